"""Telegram: each card as a photo with a caption and an inline keyboard.

Each message is a custom payload for Rasa 3.6's Telegram connector: `TelegramOutput.send_custom_json`
picks the Bot API call by the keys present ("photo" -> sendPhoto, "text" -> sendMessage) and passes
the other keys on as that call's parameters, so `{"photo", "caption", "reply_markup"}` becomes
`send_photo(chat, photo, caption=..., reply_markup=...)`. A card without a photo Telegram can
fetch goes as a text message with the same keyboard. No `parse_mode`: the caption is plain text,
so nothing in a title or reason needs escaping.

A tapped button sends its `callback_data` back, which the connector hands to Rasa as the user's
text: the card's `/intent{"article_id": ...}` payload, whole, or the button is left out.
"""
from __future__ import annotations

from typing import Any, Dict, List

from actions.channels.common import clip, fitting_buttons, heading, reason, utf16_units, utf8_bytes, web_image

# https://core.telegram.org/bots/api#sendphoto: "caption: 0-1024 characters after entities
# parsing" (Telegram counts UTF-16 code units).
CAPTION_MAX = 1024
# https://core.telegram.org/bots/api#inlinekeyboardbutton: "callback_data: 1-64 bytes".
CALLBACK_DATA_MAX_BYTES = 64
# Our own choices: Telegram sets no documented limit on button text or cards per reply, but long
# labels are cut off on phones and each card is a message of its own.
BUTTON_TEXT_MAX = 32
BUTTONS_PER_ROW = 2
MAX_BUTTONS = 4
MAX_CARDS = 10
TITLE_MAX = 200


def _keyboard(card: Dict[str, Any]) -> List[List[Dict[str, str]]]:
    buttons = fitting_buttons(
        card, most=MAX_BUTTONS, payload_fits=lambda p: utf8_bytes(p) <= CALLBACK_DATA_MAX_BYTES
    )
    keys = [
        {"text": clip(b["title"], BUTTON_TEXT_MAX, measure=utf16_units), "callback_data": b["payload"]}
        for b in buttons
    ]
    return [keys[i : i + BUTTONS_PER_ROW] for i in range(0, len(keys), BUTTONS_PER_ROW)]


def caption(card: Dict[str, Any]) -> str:
    """"Title — price", then the reason, within the caption limit (the reason is cut first)."""
    head = heading({**card, "title": clip(card.get("title") or "This piece", TITLE_MAX, measure=utf16_units)})
    why = reason(card)
    room = CAPTION_MAX - utf16_units(head) - 1
    if not why or room < 2:
        return clip(head, CAPTION_MAX, measure=utf16_units)
    return head + "\n" + clip(why, room, measure=utf16_units)


def render(cards: List[Dict[str, Any]]) -> List[Dict[str, Any]]:
    messages = []
    for card in cards[:MAX_CARDS]:
        photo = web_image(card)
        message: Dict[str, Any] = {"photo": photo, "caption": caption(card)} if photo else {"text": caption(card)}
        keyboard = _keyboard(card)
        if keyboard:
            message["reply_markup"] = {"inline_keyboard": keyboard}
        messages.append(message)
    return messages
