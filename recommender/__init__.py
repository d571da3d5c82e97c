"""Fashion recommender: catalog, visual and text models, ranking and the HTTP service."""
