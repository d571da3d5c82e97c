"""The recommender's HTTP service: `create_app(engine)` over a `RecommendationEngine`, and `serve`."""
