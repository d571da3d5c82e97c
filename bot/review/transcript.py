"""A conversation as the shopper saw it, from Rasa's stored events: what they wrote (or which
button they tapped), what the bot answered, with its cards and buttons, and beside each shopper
message what the NLU understood (intent, confidence, the next best intents, entities)."""
from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional, Sequence, Tuple

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from bot.review.cards import Buttons, Card, button_list, cards_in, web_url
from bot.review.db import events as events_table
from bot.review.flags import NOT_UNDERSTOOD_INTENTS, Event, intent_of

ALTERNATIVES = 2  # next best intents shown beside a shopper message


@dataclass
class Turn:
    kind: str  # "shopper", "bot" or "session" (a new Rasa session began)
    time: float
    text: str = ""
    tapped: str = ""  # the title of the button the shopper tapped, when the text is its payload
    intent: str = ""
    confidence: Optional[float] = None
    alternatives: List[Tuple[str, float]] = field(default_factory=list)
    entities: List[Tuple[str, str]] = field(default_factory=list)
    buttons: Buttons = ()
    cards: List[Card] = field(default_factory=list)
    image: Optional[str] = None
    action: str = ""  # the action that sent this bot message (on the first of its messages)

    @property
    def not_understood(self) -> bool:
        return self.intent in NOT_UNDERSTOOD_INTENTS


def is_payload(text: str) -> bool:
    """A button's payload ("/add_to_bag{...}"), not words the shopper typed."""
    return text.startswith("/")


def typed_text(event: Event) -> str:
    text = str(event.get("text") or "").strip()
    return "" if is_payload(text) else text


def _entities(parse_data: Dict[str, Any]) -> List[Tuple[str, str]]:
    return [
        (str(e.get("entity") or ""), str(e.get("value") or ""))
        for e in parse_data.get("entities") or []
        if isinstance(e, dict)
    ]


def _alternatives(parse_data: Dict[str, Any], intent: str) -> List[Tuple[str, float]]:
    ranking = [r for r in parse_data.get("intent_ranking") or [] if isinstance(r, dict) and r.get("name") != intent]
    return [(str(r.get("name")), float(r.get("confidence") or 0.0)) for r in ranking[:ALTERNATIVES]]


def shopper_turn(event: Event, buttons: Dict[str, str]) -> Turn:
    parse_data = event.get("parse_data") or {}
    intent = intent_of(event)
    confidence = (parse_data.get("intent") or {}).get("confidence")
    text = str(event.get("text") or "")
    return Turn(
        kind="shopper",
        time=float(event.get("timestamp") or 0),
        text=text,
        tapped=buttons.get(text, "") if is_payload(text) else "",
        intent=intent,
        confidence=float(confidence) if confidence is not None else None,
        alternatives=_alternatives(parse_data, intent),
        entities=_entities(parse_data),
    )


def bot_turn(event: Event, action: str) -> Turn:
    data = event.get("data") or {}
    return Turn(
        kind="bot",
        time=float(event.get("timestamp") or 0),
        text=str(event.get("text") or ""),
        buttons=button_list(data.get("buttons")),
        cards=cards_in(data),
        image=web_url(data.get("image")),
        action=action,
    )


def button_titles(turn: Turn) -> Dict[str, str]:
    """What the shopper may tap after this bot message: payload -> what the button said."""
    titles = {payload: title for title, payload in turn.buttons}
    for card in turn.cards:
        for title, payload in card.buttons:
            titles[payload] = f"{title}: {card.title}"
    return titles


def turns(events: Sequence[Event]) -> List[Turn]:
    result: List[Turn] = []
    buttons: Dict[str, str] = {}  # the payloads the shopper could tap, and their titles
    action = ""
    for event in events:
        kind = event.get("event")
        if kind == "user":
            result.append(shopper_turn(event, buttons))
        elif kind == "action":
            action = str(event.get("name") or "")
        elif kind == "bot":
            turn = bot_turn(event, action)
            action = ""  # named beside the first message it sent only
            buttons.update(button_titles(turn))
            result.append(turn)
        elif kind == "session_started" and result:
            result.append(Turn(kind="session", time=float(event.get("timestamp") or 0)))
    return result


def load_events(engine: Engine, sender_ids: Sequence[str]) -> Dict[str, List[Event]]:
    """Every stored event of these conversations, in the order Rasa wrote them."""
    query = (
        sa.select(events_table.c.sender_id, events_table.c.data)
        .where(events_table.c.sender_id.in_(list(sender_ids)))
        .order_by(events_table.c.id)
    )
    found: Dict[str, List[Event]] = defaultdict(list)
    with engine.connect() as connection:
        for sender_id, data in connection.execute(query):
            found[sender_id].append(json.loads(data))
    return found
