"""Questions about a piece on a card: "how much is the second one?". The answer names the piece
(the card tapped, named by its place, or in focus) as its card shows it, with its colour, and its
price from the card or the catalog, and offers the two next steps a salesperson would: the bag,
or what goes with it. Sizes are not in the catalog; that question has a plain answer in the
domain (utter_sizes)."""
from __future__ import annotations

from typing import Any, Dict, Text

from rasa_sdk.events import SlotSet

from actions import client
from actions.cards import item_title, payload
from actions.prices import display_price
from actions.recommend import RecommendationAction, card_or_product, focus_article, piece_gone

WHICH_PIECE = "Which piece do you mean? Tap a card, or tell me what you're looking for and I'll find some."


def named(item: Dict[str, Any]) -> str:
    """"the Slim jeans in dark blue": two colours of a piece on screen share the title."""
    title, colour = item_title(item), str(item.get("colour") or "").strip().lower()
    return f"the {title} in {colour}" if colour and colour not in title.lower() else f"the {title}"


class ActionTellPrice(RecommendationAction):
    def name(self) -> Text:
        return "action_tell_price"

    async def respond(self, dispatcher, tracker, domain):
        article = focus_article(tracker)
        if not article:
            dispatcher.utter_message(text=WHICH_PIECE)
            return []
        try:
            item = await card_or_product(tracker, article)
        except client.NotFound:
            return piece_gone(dispatcher)
        price = display_price(item.get("price"))
        text = f"That's {price} for {named(item)}." if price else \
            f"I don't have a price for {named(item)} just now — its page in the shop will show it."
        dispatcher.utter_message(text=text, buttons=[
            {"title": "Add to bag", "payload": payload("add_to_bag", article)},
            {"title": "What goes with it?", "payload": payload("complete_look", article)},
        ])
        return [SlotSet("article_id", article)]
