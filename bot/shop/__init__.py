"""The demo shop that hosts the chat widget: a landing grid and product pages."""
