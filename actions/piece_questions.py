"""Questions about a piece on a card: "how much is the second one?". The answer names the piece
(the card tapped, named by its place, or in focus), its price from the card or the catalog, and
offers the two next steps a salesperson would: the bag, or what goes with it. Sizes are not in
the catalog; that question has a plain answer in the domain (utter_sizes)."""
from __future__ import annotations

from typing import Text

from rasa_sdk.events import SlotSet

from actions.bag import piece
from actions.cards import payload
from actions.prices import display_price
from actions.recommend import RecommendationAction, focus_article, piece_gone

WHICH_PIECE = "Which piece do you mean? Tap a card, or tell me what you're looking for and I'll find some."


class ActionTellPrice(RecommendationAction):
    def name(self) -> Text:
        return "action_tell_price"

    async def respond(self, dispatcher, tracker, domain):
        article = focus_article(tracker)
        if not article:
            dispatcher.utter_message(text=WHICH_PIECE)
            return []
        found = await piece(tracker, article)
        if found is None:
            return piece_gone(dispatcher)
        title, price = found
        text = f"{title} is {display_price(price)}." if price is not None else \
            f"I don't have a price for {title} just now — its page in the shop will show it."
        dispatcher.utter_message(text=text, buttons=[
            {"title": "Add to bag", "payload": payload("add_to_bag", article)},
            {"title": "What goes with it?", "payload": payload("complete_look", article)},
        ])
        return [SlotSet("article_id", article)]
