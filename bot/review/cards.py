"""Product cards as the shopper saw them, read back from a stored bot message.

The actions send cards in each channel's own form (actions/cards.py, actions/channels/): the
widget's `{"type": "product_cards", "cards": [...]}` (over socket.io wrapped in `{"data": ...}`),
a Messenger generic template, Slack blocks, a Telegram photo, or a plain message with an image.
Here each becomes the same small record, so the transcript shows them all alike.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Dict, List, Optional, Tuple

Buttons = Tuple[Tuple[str, str], ...]  # (title, payload)


@dataclass(frozen=True)
class Card:
    title: str
    detail: str = ""
    image_url: Optional[str] = None
    article_id: str = ""
    buttons: Buttons = ()


def web_url(url: Any) -> Optional[str]:
    """A photo address the review page may load: http(s) only, never javascript: or data:."""
    url = str(url or "").strip()
    return url if url.lower().startswith(("http://", "https://")) else None


def button_list(buttons: Any, title: str = "title", payload: str = "payload") -> Buttons:
    return tuple(
        (str(b.get(title) or ""), str(b.get(payload) or "")) for b in buttons or [] if isinstance(b, dict)
    )


def _widget(custom: Dict[str, Any]) -> List[Card]:
    payload = custom.get("data") if isinstance(custom.get("data"), dict) else custom
    if payload.get("type") != "product_cards":
        return []
    return [
        Card(
            title=str(card.get("title") or ""),
            detail=" · ".join(str(card[key]) for key in ("price", "reason") if card.get(key)),
            image_url=web_url(card.get("image_url")),
            article_id=str(card.get("article_id") or ""),
            buttons=button_list(card.get("buttons")),
        )
        for card in payload.get("cards") or []
        if isinstance(card, dict)
    ]


def _messenger(custom: Dict[str, Any]) -> List[Card]:
    attachment = custom.get("attachment")
    payload = attachment.get("payload") if isinstance(attachment, dict) else None
    if not isinstance(payload, dict) or payload.get("template_type") != "generic":
        return []
    return [
        Card(str(e.get("title") or ""), str(e.get("subtitle") or ""), web_url(e.get("image_url")),
             buttons=button_list(e.get("buttons")))
        for e in payload.get("elements") or []
        if isinstance(e, dict)
    ]


def _slack_text(mrkdwn: str) -> str:
    """Slack's mrkdwn as the shopper read it: the name's *bold* marks and the escapes undone."""
    text = re.sub(r"^\*(.+?)\*", r"\1", mrkdwn)
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def _slack(custom: Dict[str, Any]) -> List[Card]:
    blocks = [b for b in custom.get("blocks") or [] if isinstance(b, dict)]
    cards = []
    for number, block in enumerate(blocks):
        if block.get("type") != "section":
            continue
        accessory = block.get("accessory") if isinstance(block.get("accessory"), dict) else {}
        title, _, detail = _slack_text(str((block.get("text") or {}).get("text") or "")).partition("\n")
        following = blocks[number + 1] if number + 1 < len(blocks) else {}
        keys = following.get("elements") if following.get("type") == "actions" else []
        buttons = tuple((str((k.get("text") or {}).get("text") or ""), str(k.get("value") or ""))
                        for k in keys or [] if isinstance(k, dict))
        cards.append(Card(title, _slack_text(detail), web_url(accessory.get("image_url")), buttons=buttons))
    return cards


def _telegram(custom: Dict[str, Any]) -> List[Card]:
    """A photo with a caption, or (no photo Telegram could fetch) a text, with a keyboard."""
    keyboard = (custom.get("reply_markup") or {}).get("inline_keyboard") if isinstance(custom.get("reply_markup"), dict) else None
    if "photo" not in custom and not keyboard:
        return []
    title, _, detail = str(custom.get("caption") or custom.get("text") or "").partition("\n")
    keys = [key for row in keyboard or [] if isinstance(row, list) for key in row]
    return [Card(title, detail, web_url(custom.get("photo")), buttons=button_list(keys, "text", "callback_data"))]


READERS = (_widget, _messenger, _slack, _telegram)


def cards_in(data: Dict[str, Any]) -> List[Card]:
    """The cards in a bot message's `data` (Rasa's BotUttered.data), in whichever form it came."""
    custom = data.get("custom")
    if isinstance(custom, dict):
        for read in READERS:
            cards = read(custom)
            if cards:
                return cards
    return []
