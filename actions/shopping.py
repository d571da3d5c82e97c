"""What the shopper says they want (intent `shop`), outside the shopping form: a new search or a
change to the one shown.

The NLU does not try to tell "black ones" (a refinement) from "a black dress" (a new search): the
difference is in the content, and a salesperson reads it there. After cards were shown for a
search, a message that names another kind of piece, or someone else to shop for, starts a new
search; anything else (a colour, a budget, an occasion, the same kind of piece) refines the
current one. With no search shown yet, every request starts one. The action only decides and
prepares: slot `search_step` ("new" or "refine") tells the rules (data/rules.yml) whether the
shopping form or action_refine comes next. While the form is active, every message is an answer
to it and never reaches this action.
"""
from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet

from actions.recommend import (
    SEARCH_SLOTS,
    events_before_message,
    first_value,
    last_items,
    latest_entities,
    new_search_events,
    real,
)

NEW, REFINE = "new", "refine"
# a different value of one of these is another search, not a narrower one
SEARCH_DEFINING = ("product_type", "section")


def slots_before_message(tracker: Tracker) -> Dict[str, Any]:
    """The search slots as they were before the latest message filled any of them from its
    entities (the slot events that precede the latest user event)."""
    before: Dict[str, Any] = {}
    for event in events_before_message(tracker):
        if event.get("event") == "slot" and event.get("name") in SEARCH_SLOTS:
            before.setdefault(event["name"], event.get("value"))
    return before


def search_shown(tracker: Tracker, before: Dict[str, Any]) -> bool:
    """Cards are on screen for a search the shopper described (not just the greeting's
    trending picks)."""
    described = any(real(first_value(v)) for v in before.values()) or bool(tracker.get_slot("query"))
    return described and bool(last_items(tracker))


def conflicts(said: Dict[str, str], before: Dict[str, Any]) -> bool:
    """The message names another kind of piece, or someone else, than the search shown."""
    for slot in SEARCH_DEFINING:
        old = first_value(before.get(slot))
        if slot in said and real(old) and said[slot].lower() != str(old).lower():
            return True
    return False


def search_step(tracker: Tracker) -> Text:
    before = slots_before_message(tracker)
    if not search_shown(tracker, before):
        return NEW
    return NEW if conflicts(latest_entities(tracker), before) else REFINE


class ActionShop(Action):
    """Decides between a new search (fresh filters, the shopper's words as the query; the rules
    then run the shopping form) and a refinement of the cards shown (the rules run
    action_refine)."""

    def name(self) -> Text:
        return "action_shop"

    async def run(self, dispatcher, tracker, domain) -> List[EventType]:
        step = search_step(tracker)
        events: List[EventType] = [SlotSet("search_step", step)]
        return events + new_search_events(tracker) if step == NEW else events

