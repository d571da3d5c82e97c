"""The web part: the demo shop page with the chat widget, and the conversation review app."""
