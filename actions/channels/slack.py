"""Slack: all cards in one message of Block Kit blocks.

Rasa 3.6's Slack connector posts a custom payload as `chat.postMessage(channel=..., **payload)`
(adding `as_user`), so the payload holds `blocks` and a plain `text` for notifications, and no
`channel` of its own (the connector passes that). Per card: a section with the name, price and
reason in mrkdwn and the photo as its accessory, then an actions block with the card's buttons;
a divider between cards. A tapped button sends its `value` back, which the connector hands to
Rasa as the user's text: the card's `/intent{"article_id": ...}` payload, whole, or the button is
left out. Slack needs interactivity switched on for the app, with the Request URL
`https://<public host>/webhooks/slack/webhook`.
"""
from __future__ import annotations

from typing import Any, Dict, List

from actions.channels.common import clip, fitting_buttons, reason, web_image

# https://api.slack.com/reference/block-kit/blocks: "maximum of 50 blocks in each message".
MAX_BLOCKS = 50
# https://api.slack.com/reference/block-kit/blocks#section: text "maximum length ... 3000".
SECTION_TEXT_MAX = 3000
# https://api.slack.com/reference/block-kit/blocks#actions: "maximum number of items is 25".
MAX_ACTION_ELEMENTS = 25
# https://api.slack.com/reference/block-kit/block-elements#button: text "maximum length ... 75",
# value "maximum length ... 2000", action_id "maximum length ... 255".
BUTTON_TEXT_MAX = 75
BUTTON_VALUE_MAX = 2000
# https://api.slack.com/reference/block-kit/block-elements#image: image_url "maximum length
# ... 3000", alt_text (required) "maximum length ... 2000".
IMAGE_URL_MAX = 3000
ALT_TEXT_MAX = 2000
# https://api.slack.com/methods/chat.postMessage#truncating: text "no more than 4,000 characters".
TEXT_MAX = 4000
# Our own choice: a name longer than this is cut so the reason still shows.
TITLE_MAX = 200
BLOCKS_PER_CARD = 3  # section, actions, and the divider before the next card


def escape(text: str) -> str:
    """Slack's mrkdwn control characters (https://api.slack.com/reference/surfaces/formatting#escaping)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def section_text(card: Dict[str, Any]) -> str:
    head = f"*{clip(card.get('title') or 'This piece', TITLE_MAX, escape=escape)}*"
    price = str(card.get("price") or "")
    if price:
        head += f" — {escape(price)}"
    head = clip(head, SECTION_TEXT_MAX)
    why = reason(card)
    room = SECTION_TEXT_MAX - len(head) - 1
    if not why or room < 2:
        return head
    return head + "\n" + clip(why, room, escape=escape)


def card_blocks(card: Dict[str, Any], number: int) -> List[Dict[str, Any]]:
    section: Dict[str, Any] = {"type": "section", "text": {"type": "mrkdwn", "text": section_text(card)}}
    image = web_image(card, IMAGE_URL_MAX)
    if image:
        section["accessory"] = {
            "type": "image", "image_url": image,
            "alt_text": clip(card.get("title") or "Product photo", ALT_TEXT_MAX),
        }
    blocks = [section]
    buttons = fitting_buttons(
        card, most=MAX_ACTION_ELEMENTS, payload_fits=lambda p: len(p) <= BUTTON_VALUE_MAX
    )
    if buttons:
        blocks.append({"type": "actions", "elements": [
            {
                "type": "button", "action_id": f"card{number}_button{index}",
                "text": {"type": "plain_text", "text": clip(b["title"], BUTTON_TEXT_MAX), "emoji": True},
                "value": b["payload"],
            }
            for index, b in enumerate(buttons)
        ]})
    return blocks


def render(cards: List[Dict[str, Any]]) -> List[Dict[str, Any]]:
    blocks: List[Dict[str, Any]] = []
    shown: List[str] = []
    for number, card in enumerate(cards):
        more = ([{"type": "divider"}] if blocks else []) + card_blocks(card, number)
        if len(blocks) + len(more) > MAX_BLOCKS:
            break
        blocks += more
        shown.append(str(card.get("title") or "This piece"))
    if not blocks:
        return []
    text = clip("Picks for you: " + ", ".join(shown), TEXT_MAX, escape=escape)
    return [{"text": text, "blocks": blocks}]
