"""Product cards in each messaging app's own form.

One module per platform, each with a pure `render(cards) -> [json message, ...]` that turns the
cards of `actions.cards.to_card` into custom payloads for Rasa 3.6's connector of that platform,
within the platform's documented limits (named constants in each module, with the doc cited).
`actions.cards.send_cards` picks the renderer by the tracker's input channel.
"""
from __future__ import annotations

from typing import Any, Callable, Dict, List, Optional

from actions.channels import facebook, slack, telegram

Renderer = Callable[[List[Dict[str, Any]]], List[Dict[str, Any]]]

RENDERERS: Dict[str, Renderer] = {
    "telegram": telegram.render,
    "facebook": facebook.render,
    "slack": slack.render,
}


def renderer(channel: Optional[str]) -> Optional[Renderer]:
    """The renderer for an input channel's name, or None where cards go as text + photo + buttons."""
    return RENDERERS.get(channel or "")
