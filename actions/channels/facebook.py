"""Facebook Messenger: all cards in one generic-template carousel.

Rasa 3.6's Facebook connector passes a custom payload unchanged as the Send API's `message`
(`MessengerClient.send(json_message, recipient_id, "RESPONSE")`), so the payload is a message
object: `{"attachment": {"type": "template", "payload": {"template_type": "generic", ...}}}`.
A tapped postback button sends its payload back, which the connector hands to Rasa as the user's
text: the card's `/intent{"article_id": ...}` payload, whole, or the button is left out.
"""
from __future__ import annotations

from typing import Any, Dict, List

from actions.channels.common import clip, fitting_buttons, reason, web_image

# https://developers.facebook.com/docs/messenger-platform/reference/templates/generic
MAX_ELEMENTS = 10  # elements: "limited to 10"
TITLE_MAX = 80  # title: "80 character limit"
SUBTITLE_MAX = 80  # subtitle: "80 character limit"
MAX_BUTTONS = 3  # buttons: "maximum of 3 buttons per element"
# https://developers.facebook.com/docs/messenger-platform/reference/buttons/postback
BUTTON_TITLE_MAX = 20  # title: "20 character limit"
PAYLOAD_MAX = 1000  # payload: "1000 character limit"


def _subtitle(card: Dict[str, Any]) -> str:
    parts = [str(card.get("price") or ""), reason(card)]
    return clip(" · ".join(p for p in parts if p), SUBTITLE_MAX)


def element(card: Dict[str, Any]) -> Dict[str, Any]:
    item: Dict[str, Any] = {"title": clip(card.get("title") or "This piece", TITLE_MAX)}
    subtitle = _subtitle(card)
    if subtitle:
        item["subtitle"] = subtitle
    image = web_image(card)
    if image:
        item["image_url"] = image
    buttons = fitting_buttons(card, most=MAX_BUTTONS, payload_fits=lambda p: len(p) <= PAYLOAD_MAX)
    if buttons:
        item["buttons"] = [
            {"type": "postback", "title": clip(b["title"], BUTTON_TITLE_MAX), "payload": b["payload"]}
            for b in buttons
        ]
    return item


def render(cards: List[Dict[str, Any]]) -> List[Dict[str, Any]]:
    if not cards:
        return []
    return [{
        "attachment": {
            "type": "template",
            "payload": {
                "template_type": "generic",
                "image_aspect_ratio": "square",
                "elements": [element(card) for card in cards[:MAX_ELEMENTS]],
            },
        }
    }]
