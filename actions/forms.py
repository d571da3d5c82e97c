"""The shopping form: what a salesperson asks before showing something.

What kind of item, who it is for, and the budget, in that order, but only what is missing and
matters, and never more than two questions before cards are shown. "Anything" / "surprise me"
(or a plain "no") fills the question with "any" and stops the questions. An answer the NLU did
not recognise is kept as part of the shopper's own words (the free-text query) instead of being
asked again; "who is it for?" answered with another detail ("under 50") is asked once more,
within the two questions. `questions_asked` lists the questions put, one entry per time.
"""
from __future__ import annotations

from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.for_whom import SECTIONS, says_who
from actions.prices import NO_LIMIT_WORDS, format_amount, parse_budget, to_catalog_price
from actions.recommend import customer_id, first_value, user_text
from actions.words import plural, shoppers_words

MAX_QUESTIONS = 2
QUESTION_ORDER = ("product_type", "section", "budget")
FREE_ANSWER_INTENTS = {"shop", "nlu_fallback", "no_preference", "deny"}


class ValidateShoppingForm(FormValidationAction):
    def name(self) -> Text:
        return "validate_shopping_form"

    async def required_slots(
        self,
        domain_slots: List[Text],
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> List[Text]:
        # Filled slots stay in the list (rasa-sdk validates only slots listed here), and so does
        # the question just put until it is answered; another missing one is listed only if it
        # matters and fewer than two questions were put.
        values = {slot: first_value(tracker.get_slot(slot)) for slot in QUESTION_ORDER}
        filled = [slot for slot in QUESTION_ORDER if values[slot] is not None]
        if "any" in values.values():  # "surprise me": no more questions
            return filled
        asked = questions_asked(tracker)
        candidates = []
        for slot in QUESTION_ORDER:
            if values[slot] is not None:
                continue
            if slot == "product_type" and (
                tracker.get_slot("occasion") or tracker.get_slot("colour") or tracker.get_slot("pattern")
            ):
                continue
            if slot == "section" and (says_who(values["product_type"]) or customer_id(tracker)):
                continue
            candidates.append(slot)
        outstanding = tracker.get_slot("requested_slot")
        others = [slot for slot in candidates if slot != outstanding]
        asking = [slot for slot in candidates if slot == outstanding] + others[: max(0, MAX_QUESTIONS - len(asked))]
        return [slot for slot in QUESTION_ORDER if slot in filled or slot in asking]

    # --- extraction of answers the NLU did not tag -------------------------------------------

    def _free_answer(self, tracker: Tracker, slot: Text) -> bool:
        return (
            tracker.get_slot("requested_slot") == slot
            and tracker.get_slot(slot) is None
            and (tracker.latest_message or {}).get("intent", {}).get("name") in FREE_ANSWER_INTENTS
        )

    async def extract_product_type(self, dispatcher, tracker, domain) -> Dict[Text, Any]:
        if not self._free_answer(tracker, "product_type"):
            return {}
        return {"product_type": "any"}

    async def extract_section(self, dispatcher, tracker, domain) -> Dict[Text, Any]:
        if not self._free_answer(tracker, "section"):
            return {}
        if (tracker.latest_message or {}).get("entities") and len(questions_asked(tracker)) < MAX_QUESTIONS:
            # another detail instead ("under 50"): a salesperson asks once more who it is for,
            # rather than show kids' jeans to a man, if that keeps to two questions. Left empty
            # on purpose: a form turn that sets nothing is rejected by Rasa, and "in black" would
            # then start a new search without the jeans.
            return {"section": None}
        return {"section": "any"}

    async def extract_budget(self, dispatcher, tracker, domain) -> Dict[Text, Any]:
        if not self._free_answer(tracker, "budget"):
            return {}
        text = ((tracker.latest_message or {}).get("text") or "")[:300]
        amount = parse_budget(text) if not text.startswith("/") else None
        return {"budget": text if amount is not None else "any"}

    # --- validation -------------------------------------------------------------------------

    async def validate_product_type(self, slot_value, dispatcher, tracker, domain):
        result = {"product_type": first_value(slot_value)}
        intent = ((tracker.latest_message or {}).get("intent") or {}).get("name")
        text = user_text(tracker)
        if result["product_type"] == "any" and text and intent not in {"no_preference", "deny"}:
            # an answer we could not tag ("something sparkly and fun"): keep the words
            result["query"] = " ".join(p for p in (tracker.get_slot("query"), text) if p)[:300]
        return result

    async def validate_section(self, slot_value, dispatcher, tracker, domain):
        return {"section": first_value(slot_value)}

    async def validate_budget(self, slot_value, dispatcher, tracker, domain):
        value = str(first_value(slot_value) or "")
        amount = None if value == "any" or NO_LIMIT_WORDS.search(value) else parse_budget(value)
        return {"budget": "any" if amount is None else value,
                "max_price": None if amount is None else to_catalog_price(amount)}


def questions_asked(tracker: Tracker) -> List[Text]:
    """The form's questions put to the shopper in this search, a slot per time it was asked."""
    return list(tracker.get_slot("questions_asked") or [])


def put_question(tracker: Tracker, slot: Text) -> List[EventType]:
    return [SlotSet("questions_asked", questions_asked(tracker) + [slot])]


class ActionAskProductType(Action):
    def name(self) -> Text:
        return "action_ask_product_type"

    async def run(self, dispatcher, tracker, domain):
        dispatcher.utter_message(
            text="What kind of piece are you looking for? A dress, jeans, a jacket… or tell me the occasion.",
            buttons=[
                {"title": title, "payload": f'/shop{{"product_type":"{value}"}}'}
                for title, value in (("Dresses", "Dress"), ("Tops", "Top"), ("Trousers & jeans", "Trousers"), ("Jackets", "Jacket"))
            ] + [{"title": "Surprise me", "payload": "/no_preference"}],
        )
        return put_question(tracker, "product_type")


class ActionAskSection(Action):
    def name(self) -> Text:
        return "action_ask_section"

    async def run(self, dispatcher, tracker, domain):
        product = first_value(tracker.get_slot("product_type"))
        thing = "it"
        if product and product != "any":
            words = shoppers_words(tracker.events, {"product_type": product})
            thing = f"the {words.get('product_type') or str(product).lower()}"
        verb = "are" if plural(thing) else "is"
        asked_before = "section" in questions_asked(tracker)
        dispatcher.utter_message(
            text=f"Got it. And who {verb} {thing} for?" if asked_before else f"Lovely! Who {verb} {thing} for?",
            buttons=[{"title": title, "payload": f'/shop{{"section":"{value}"}}'} for value, title in SECTIONS.items()],
        )
        return put_question(tracker, "section")


class ActionAskBudget(Action):
    def name(self) -> Text:
        return "action_ask_budget"

    async def run(self, dispatcher, tracker, domain):
        dispatcher.utter_message(
            text="Do you have a budget in mind?",
            buttons=[
                {"title": f"Under {format_amount(a)}", "payload": f'/shop{{"budget":"{a}"}}'} for a in (30, 50, 100)
            ] + [{"title": "No limit", "payload": "/no_preference"}],
        )
        return put_question(tracker, "budget")
