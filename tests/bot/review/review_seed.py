"""Conversations as Rasa itself stores them: real Rasa events (UserUttered with parse data,
BotUttered with card payloads, ActionExecuted, SlotSet, SessionStarted), written through Rasa's
own SQLTrackerStore so that the schema and the JSON in `data` are the real ones."""
from __future__ import annotations

import asyncio
import json
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Dict, List, Optional

from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import (
    ActionExecuted,
    BotUttered,
    Event,
    SessionStarted,
    SlotSet,
    UserUttered,
)
from rasa.shared.core.trackers import DialogueStateTracker

ROOT = Path(__file__).resolve().parents[3]
DOMAIN = Domain.load(str(ROOT / "domain.yml"))
RECOMMENDER = "http://127.0.0.1:8000"


def card(article_id: str, title: str = "Black wrap dress", image_url: Optional[str] = None) -> Dict[str, Any]:
    return {
        "article_id": article_id,
        "title": title,
        "price": "€29.99",
        "image_url": image_url if image_url is not None else f"{RECOMMENDER}/images/{article_id}.jpg",
        "reason": "Popular right now",
        "buttons": [{"title": "Add to bag", "payload": f'/add_to_bag{{"article_id":"{article_id}"}}'}],
    }


def cards_payload(*cards: Dict[str, Any]) -> Dict[str, Any]:
    return {"type": "product_cards", "cards": list(cards)}


def timestamp(day: str, hour: int = 12) -> float:
    """A UTC time on `day` ("2026-03-01")."""
    return datetime.fromisoformat(day).replace(hour=hour, tzinfo=timezone.utc).timestamp()


class Conversation:
    """One shopper's conversation, built turn by turn, one second between events."""

    def __init__(self, sender: str, start: float, channel: str = "rest", metadata: Optional[Dict] = None):
        self.sender, self.clock, self.channel = sender, start, channel
        self.metadata = metadata or {}
        self.events: List[Event] = []
        self.add(ActionExecuted("action_session_start"))
        self.add(SessionStarted())
        self.add(ActionExecuted("action_listen"))

    def add(self, event: Event) -> "Conversation":
        event.timestamp = self.clock
        self.clock += 1.0
        self.events.append(event)
        return self

    def user(self, text: str, intent: str, confidence: float = 0.93, entities: Optional[List[Dict]] = None):
        entities = entities or []
        parse_data = {
            "text": text,
            "intent": {"name": intent, "confidence": confidence},
            "entities": entities,
            "intent_ranking": [{"name": intent, "confidence": confidence}],
        }
        return self.add(
            UserUttered(text, parse_data["intent"], entities, parse_data, input_channel=self.channel,
                        metadata=dict(self.metadata))
        )

    def action(self, name: str) -> "Conversation":
        return self.add(ActionExecuted(name, policy="RulePolicy", confidence=1.0))

    def bot(self, text: Optional[str] = None, custom: Optional[Dict] = None, buttons: Optional[List] = None,
            metadata: Optional[Dict] = None) -> "Conversation":
        if custom is not None and self.channel == "socketio":
            custom = {"data": custom}  # as the actions wrap it for socket.io (actions/cards.py)
        data = {"elements": None, "quick_replies": None, "buttons": buttons, "attachment": None,
                "image": None, "custom": custom}
        return self.add(BotUttered(text, data, metadata or {}))

    def slot(self, name: str, value: Any) -> "Conversation":
        return self.add(SlotSet(name, value))

    def listen(self) -> "Conversation":
        return self.action("action_listen")

    # --- the turns conversations are made of ---------------------------------------------------

    def greeting(self, *cards: Dict[str, Any]) -> "Conversation":
        shown = cards or (card("0108775015"),)
        self.user("hi", "greet", 0.99).action("action_greet")
        self.bot("Hi, welcome to the shop! 👋 Here's what everyone's loving right now:")
        self.bot(custom=cards_payload(*shown))
        return self.slot("shown", [c["article_id"] for c in shown]).listen()

    def ask(self, text: str, *cards: Dict[str, Any], intent: str = "shop") -> "Conversation":
        entities = [{"entity": "product_type", "value": "Dress", "start": 0, "end": 5, "confidence_entity": 0.98}]
        self.user(text, intent, 0.87, entities).action("action_recommend")
        if cards:
            self.bot("Here are some picks for you:").bot(custom=cards_payload(*cards))
        return self.listen()

    def add_to_bag(self, article_id: str) -> "Conversation":
        self.user(f'/add_to_bag{{"article_id":"{article_id}"}}', "add_to_bag", 1.0,
                  [{"entity": "article_id", "value": article_id}])
        self.action("action_add_to_bag").slot("bag", [article_id])
        return self.bot("Great choice! It's in your bag. 🛍️").listen()

    def handoff(self) -> "Conversation":
        self.user("can I talk to a real person", "human_handoff", 0.95).action("action_handoff")
        return self.bot("Of course. You can reach a person through our team.").slot("handoff_requested", True).listen()

    def not_understood(self, text: str = "blorp fizzle") -> "Conversation":
        return self._unread(text, "nlu_fallback", 0.31, "utter_rephrase",
                            "Sorry, I didn't quite catch that. Could you put it another way?")

    def other_language(self, text: str = "hola, busco unos zapatos") -> "Conversation":
        return self._unread(text, "other_language", 0.97, "utter_english_only",
                            "Sorry · Entschuldigung · Désolé · Lo siento · Scusa — I can only chat in English for now.")

    def _unread(self, text: str, intent: str, confidence: float, action: str, reply: str) -> "Conversation":
        """A message the assistant could not act on, and the answer that says so."""
        return self.user(text, intent, confidence).action(action).bot(reply).listen()

    def recommender_down(self) -> "Conversation":
        self.user("show me jeans", "shop", 0.9).action("action_recommend")
        return self.bot("Sorry, I can't reach our product catalogue right now. Please try again in a moment.").listen()

    def identify(self, customer_id: str) -> "Conversation":
        return self.slot("customer_id", customer_id)


def save(db_url: str, *conversations: Conversation) -> None:
    """Store the conversations through Rasa's own tracker store."""
    store = SQLTrackerStore(domain=DOMAIN, host=db_url)
    try:
        for conversation in conversations:
            tracker = DialogueStateTracker.from_events(conversation.sender, conversation.events, DOMAIN.slots)
            asyncio.run(store.save(tracker))
    finally:
        store.engine.dispose()


def as_dicts(events: List[Event]) -> List[Dict[str, Any]]:
    return json.loads(json.dumps([event.as_dict() for event in events]))
