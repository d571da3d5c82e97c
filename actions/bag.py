"""The shopper's bag in this conversation: putting a piece in it (a card's button, the shop
page's own "Add to bag", or "I'll take it" said of the piece in focus) and looking into it
("what's in my bag?", "checkout"). Either way the stylist then offers what completes the look."""
from __future__ import annotations

import asyncio
from typing import List, Optional, Text, Tuple

from rasa_sdk.events import EventType, SlotSet

from actions import client
from actions.prices import display_price, format_amount, price_scale
from actions.recommend import (
    RecommendationAction, card_or_product, complete_look, focus_article, id_list, latest_entity, piece_gone,
    remember,
)

EMPTY_BAG = "Your bag is empty so far. Tap “Add to bag” on any card you like, and I'll help you finish the look."
COMPLETES_THE_LOOK = "These accessories would complete the look:"
# A bag read back in a chat bubble: the latest pieces, the rest counted.
MOST_LISTED = 10


async def piece(tracker, article: str) -> Optional[Tuple[str, Optional[float]]]:
    """Title and catalog price of a piece: from the cards just shown, else from the catalog,
    else "that piece" without a price (the recommender is down; the bag is still the bag);
    None when the catalog does not have it (any more)."""
    try:
        item = await card_or_product(tracker, article)
    except client.NotFound:
        return None
    except client.RecommenderUnavailable:
        item = {}
    price = item.get("price")
    return str(item.get("title") or "that piece"), float(price) if isinstance(price, (int, float)) else None


def priced(title: str, price: Optional[float]) -> str:
    return f"{title} ({display_price(price)})" if price is not None else title


class ActionAddToBag(RecommendationAction):
    """"Add to bag" on a card or the shop page, or "I'll take it": the piece goes in the bag."""

    def name(self) -> Text:
        return "action_add_to_bag"

    async def respond(self, dispatcher, tracker, domain):
        article = latest_entity(tracker, "article_id") or focus_article(tracker)
        if not article:
            dispatcher.utter_message(text="Which piece would you like? Tap “Add to bag” on its card.")
            return []
        found = await piece(tracker, article)
        if found is None:
            return piece_gone(dispatcher)
        title, price = found
        dispatcher.utter_message(text=f"Great choice! {priced(title, price)} is in your bag. 🛍️")
        events: List[EventType] = [SlotSet("bag", remember(id_list(tracker, "bag"), [article])),
                                   SlotSet("article_id", article)]
        return events + await complete_look(dispatcher, tracker, article, COMPLETES_THE_LOOK, complementary_only=True)


class ActionCheckout(RecommendationAction):
    """"What's in my bag?", "checkout": the pieces in the bag and their total, then what
    completes the look of the latest one."""

    def name(self) -> Text:
        return "action_checkout"

    async def respond(self, dispatcher, tracker, domain):
        bag = id_list(tracker, "bag")
        if not bag:
            dispatcher.utter_message(text=EMPTY_BAG)
            return []
        dispatcher.utter_message(text=await bag_summary(tracker, bag))
        return await complete_look(dispatcher, tracker, bag[-1], COMPLETES_THE_LOOK, complementary_only=True)


async def bag_summary(tracker, bag: List[str]) -> str:
    """"In your bag: ...", the latest pieces first, and the total when every price is known."""
    latest = list(reversed(bag))[:MOST_LISTED]
    pieces = [found or ("that piece", None) for found in await asyncio.gather(*(piece(tracker, a) for a in latest))]
    lines = [f"• {priced(title, price)}" for title, price in pieces]
    if len(bag) > len(latest):
        lines.append(f"• and {len(bag) - len(latest)} more")
    prices = [price for _, price in pieces]
    if len(bag) == len(latest) and None not in prices:
        lines.append(f"{format_amount(sum(prices) * price_scale())} in all.")
    count = "1 piece" if len(bag) == 1 else f"{len(bag)} pieces"
    return "\n".join([f"In your bag, {count}:", *lines, "Lovely, you're nearly done! 🛍️"])
