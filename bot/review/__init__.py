"""The conversation review app for support teams, at /review on the web server: Rasa's stored
conversations listed, searched, read as the shopper saw them, exported, charted, and deleted on
a customer's request. `bot.review.routes.review_blueprint` is what the server registers."""
