"""The action server: `rasa run actions --actions actions` registers every action in this package."""
