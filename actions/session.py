"""A new session, after the shopper has been away longer than domain.yml's session_config says.

A salesperson remembers who the shopper is, what they liked and disliked and what is in their
bag, but not the search of an hour ago: carried over, "a black dress" would refine cards that
are long gone instead of starting a new search. Rasa sets `session_started_metadata` (the
website's customer id) before this runs; it is carried too.
"""
from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActionExecuted, EventType, SessionStarted, SlotSet
from rasa_sdk.executor import CollectingDispatcher

CARRIED_OVER = ("session_started_metadata", "customer_id", "liked", "disliked", "bag")


class ActionSessionStart(Action):
    def name(self) -> Text:
        return "action_session_start"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[EventType]:
        carried = [SlotSet(name, tracker.get_slot(name)) for name in CARRIED_OVER
                   if tracker.get_slot(name) not in (None, [], {})]
        # a user message follows the session start, so the session ends on a listen
        return [SessionStarted(), *carried, ActionExecuted("action_listen")]
