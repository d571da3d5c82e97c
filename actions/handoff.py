"""Human handoff: tell the shopper how to reach a person, and mark the conversation for the
support team's review app (slot `handoff_requested`, which the review app reads from the
tracker store)."""
from __future__ import annotations

import os
from typing import Text

from rasa_sdk import Action
from rasa_sdk.events import SlotSet

SUPPORT_CONTACT = "our customer service team (use the “Contact us” link at the bottom of the shop page)"


class ActionHandoff(Action):
    def name(self) -> Text:
        return "action_handoff"

    async def run(self, dispatcher, tracker, domain):
        contact = os.environ.get("SHOP_SUPPORT_CONTACT", SUPPORT_CONTACT)
        dispatcher.utter_message(
            text=f"Of course. You can reach a person through {contact}. I've also flagged this "
            "conversation so our support team can review it and get back to you."
        )
        return [SlotSet("handoff_requested", True)]
