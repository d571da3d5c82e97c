"""Product cards, rendered for the channel the shopper is on.

Widget channels (REST, socket.io, callback) get one custom payload
`{"type": "product_cards", "cards": [{"article_id", "title", "price", "image_url", "reason",
"buttons": [{"title", "payload"}]}]}`. Over REST it reaches the client as `{"custom": {...}}`;
over socket.io Rasa emits a custom payload as keyword arguments (`sio.emit(event, **json_message)`),
where only a top-level `data` key survives, so there it is wrapped as `{"data": {...}}` and the
widget receives the payload itself as the event's data.

Telegram, Facebook Messenger and Slack get the cards in their own form (photo messages with an
inline keyboard, a generic-template carousel, Block Kit blocks), trimmed to each platform's
limits: see `actions.channels`. Other channels (the shell, ...) get each card as a text (name,
price, reason) with its photo and its buttons.
"""
from __future__ import annotations

import json
import os
import re
from collections import Counter
from typing import Any, Dict, List, Optional

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions import channels
from actions.channels.common import heading, reason
from actions.for_whom import for_whom_words
from actions.prices import display_price, format_amount, price_scale
from actions.words import WORDED_SLOTS

CARD_CHANNELS = {"rest", "socketio", "callback", None, ""}
WRAP_IN_DATA_CHANNELS = {"socketio"}
# The recommender's reason for a match on the free-text query quotes the query, cut short
# ("Matches: I'm looking for a black dress for a par…"); the card says instead what matched.
QUERY_QUOTE = re.compile(r"^\s*Matches:\s*(?P<quote>.*)$", re.S)
# Occasions that read wrong after "for": the ways of dressing that "less formal" and "dressier"
# set, and a gift.
OCCASION_PHRASES = {"casual": "casual", "formal": "dressy", "gift": "as a gift", "present": "as a gift"}


def public_image_url(image_url: Optional[str]) -> str:
    """Absolute photo address for the shopper's browser or app; relative ones hang off the
    recommender's public address (`RECOMMENDER_PUBLIC_URL`, else `RECOMMENDER_URL`)."""
    if not image_url:
        return ""
    if image_url.startswith(("http://", "https://", "data:")):
        return image_url
    base = os.environ.get("RECOMMENDER_PUBLIC_URL") or os.environ.get("RECOMMENDER_URL", "http://localhost:8000")
    return f"{base.rstrip('/')}/{image_url.lstrip('/')}"


def payload(intent: str, article_id: str) -> str:
    return f"/{intent}" + json.dumps({"article_id": str(article_id)}, separators=(",", ":"))


def card_buttons(article_id: str) -> List[Dict[str, str]]:
    return [
        {"title": "More like this", "payload": payload("like", article_id)},
        {"title": "Not for me", "payload": payload("dislike", article_id)},
        {"title": "What goes with it?", "payload": payload("complete_look", article_id)},
        {"title": "Add to bag", "payload": payload("add_to_bag", article_id)},
    ]


def occasion_words(occasion: str, query: Optional[str]) -> str:
    """"for a party" as the shopper put it in their request, else "for party", except for the
    occasions said otherwise (a way of dressing, a gift)."""
    found = re.search(
        rf"\bfor (?:a |an |the |my |your |our )?{re.escape(occasion)}\b", query or "", re.I
    )
    if found:
        return found.group(0).lower()
    return OCCASION_PHRASES.get(occasion.lower(), f"for {occasion.lower()}")


def search_words(
    filters: Dict[str, Any],
    occasion: Optional[str] = None,
    query: Optional[str] = None,
    words: Optional[Dict[str, str]] = None,
) -> Optional[str]:
    """What the shopper asked for, in a few words: "Navy jeans, for a party, under €40.00";
    `words` are the shopper's own words for the filters' values (else the catalog's are used)."""
    words = words or {}
    piece = " ".join(
        words.get(name) or str(filters[name]).lower() for name in WORDED_SLOTS
        if filters.get(name) not in (None, "", "any")
    )
    parts = [piece] if piece else []
    if occasion and occasion != "any":
        parts.append(occasion_words(str(occasion), query))
    for_whom = for_whom_words(filters.get("section"), filters.get("product_type"))
    if for_whom:
        parts.append(for_whom)
    if filters.get("max_price"):
        parts.append(f"under {format_amount(float(filters['max_price']) * price_scale())}")
    text = ", ".join(parts)
    return text[:1].upper() + text[1:] if text else None


def card_reason(reason: Any, said: Optional[str] = None) -> str:
    """The recommender's reason, except a quote of the query: that becomes what matched, in
    the shopper's terms (`said`), or the quote itself when it is whole and there is nothing
    better, or "Close to what you described"."""
    reason = str(reason or "").strip()
    quote = QUERY_QUOTE.match(reason)
    if not quote:
        return reason[:200]
    if said:
        return said[:200]
    whole = quote.group("quote").strip()
    return f"Matches: {whole}"[:200] if whole and not whole.endswith("…") else "Close to what you described"


def item_title(item: Dict[str, Any]) -> str:
    return str(item.get("title") or item.get("product_type") or "This piece").strip()


def told_apart(title: str, colour: Any) -> str:
    """The title with the piece's colour, for a card whose title another card in the same set
    shares: two colours of one dress, or two products both called "Midi dress", would otherwise
    read the same, and on a messaging app the text is all there is."""
    colour = str(colour or "").strip().lower()
    if not colour or colour in title.lower():
        return title
    return f"{title}, {colour}"


def to_card(item: Dict[str, Any], said: Optional[str] = None, shared_title: bool = False) -> Dict[str, Any]:
    """`shared_title`: another card in the same set has this one's title."""
    article_id = str(item.get("article_id", ""))
    title = item_title(item)
    if shared_title:
        title = told_apart(title, item.get("colour"))
    return {
        "article_id": article_id,
        "title": title[:120],
        "price": display_price(item.get("price")),
        "image_url": public_image_url(item.get("image_url")),
        "reason": card_reason(item.get("reason"), said),
        "buttons": card_buttons(article_id),
    }


def cards_payload(items: List[Dict[str, Any]], said: Optional[str] = None) -> Dict[str, Any]:
    titles = Counter(item_title(item).lower() for item in items)
    cards = [to_card(item, said, shared_title=titles[item_title(item).lower()] > 1) for item in items]
    return {"type": "product_cards", "cards": cards}


def custom_message(message: Dict[str, Any], channel: Optional[str]) -> Dict[str, Any]:
    """A custom payload as it must leave for `channel` (see the module's docstring)."""
    return {"data": message} if channel in WRAP_IN_DATA_CHANNELS else message


def card_text(card: Dict[str, Any]) -> str:
    return "\n".join(line for line in (heading(card), reason(card)) if line)


def send_cards(
    dispatcher: CollectingDispatcher,
    tracker: Tracker,
    items: List[Dict[str, Any]],
    intro: Optional[str] = None,
    said: Optional[str] = None,
) -> None:
    """The intro text, then the cards in the channel's own form; `said` is what the shopper
    asked for, in words (search_words), for the cards that match it."""
    if intro:
        dispatcher.utter_message(text=intro)
    if not items:
        return
    channel = tracker.get_latest_input_channel()
    message = cards_payload(items, said)
    if channel in CARD_CHANNELS:
        dispatcher.utter_message(json_message=custom_message(message, channel))
        return
    render = channels.renderer(channel)
    if render:
        for json_message in render(message["cards"]):
            dispatcher.utter_message(json_message=json_message)
        return
    for card in message["cards"]:
        dispatcher.utter_message(
            text=card_text(card), image=card["image_url"] or None, buttons=card["buttons"]
        )
