"""The summary table (bot.review.db.conversations), kept up to date from Rasa's events.

Each refresh reads only the events written since the last one (by event id, which the app
stores), and recomputes the summary of every conversation they belong to from that
conversation's events. So the list, the search and the dashboard read one row per conversation,
however many events there are, and a summary is always computed whole, never patched.
"""
from __future__ import annotations

import json
import threading
from collections import defaultdict
from datetime import datetime, timezone
from typing import Dict, Iterator, List, Optional, Sequence

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from bot.review.db import conversations, events, has_events, index_state
from bot.review.flags import FLAG_ACTIONS, FLAG_NAMES, FLAG_SLOTS, Event, flags_raised, intent_of
from bot.review.transcript import typed_text

STATE = "last_event_id"
WINDOW = "events_in_window"  # how many events the last OVERLAP ids held at the last refresh
# What a summary holds and how it is computed: a summary table written by another version is
# rebuilt from the events.
VERSION = "summary_version"
SUMMARY_VERSION = 2
BATCH = 500  # conversations recomputed per transaction: short ones, so Rasa's writes never wait long
# PostgreSQL hands out ids when a row is inserted, not when it is committed, so an event can
# appear below the last id already read when one of Rasa's writers commits late. A refresh counts
# the events among the last OVERLAP ids it read; when there are more than last time, it reads
# their conversations again (recomputing a summary twice is harmless).
OVERLAP = 5000
CUSTOMER_SLOTS = {"customer_id", "session_started_metadata"}
MAX_TEXT = 20_000  # characters of shopper text kept for the search
PREVIEW = 200
SMALL_TALK = {"greet", "goodbye", "thank"}  # not what a conversation was about

# The events a summary needs; the rest (action_listen, featurization, most slots) stay unread.
RELEVANT = sa.or_(
    events.c.type_name.in_(["user", "bot", "session_started"]),
    sa.and_(events.c.type_name == "action", events.c.action_name.in_(sorted(FLAG_ACTIONS))),
    sa.and_(events.c.type_name == "slot", events.c.action_name.in_(sorted(FLAG_SLOTS | CUSTOMER_SLOTS))),
)


def utc_day(timestamp: float) -> str:
    return datetime.fromtimestamp(timestamp, timezone.utc).date().isoformat()


def customer_of(conversation: Sequence[Event]) -> Optional[str]:
    """The customer_id slot (last value set), else the customer id the website sent as metadata."""
    slots = [e.get("value") for e in conversation if e.get("event") == "slot" and e.get("name") == "customer_id"]
    known = [str(value) for value in slots if value]
    if known:
        return known[-1][:128]
    for event in conversation:
        metadata = event.get("value") if event.get("event") == "slot" else event.get("metadata")
        if event.get("event") in ("user", "slot") and isinstance(metadata, dict) and metadata.get("customer_id"):
            return str(metadata["customer_id"])[:128]
    return None


def channel_of(conversation: Sequence[Event]) -> Optional[str]:
    return next((str(e["input_channel"]) for e in conversation if e.get("event") == "user" and e.get("input_channel")), None)


def preview(said: Sequence[Event]) -> Optional[str]:
    """What the shopper first asked for in their own words (past "hi"), for the list."""
    typed = [(intent_of(e), typed_text(e)) for e in said]
    asked = [text for intent, text in typed if text and intent not in SMALL_TALK]
    first = asked or [text for _, text in typed if text]
    return first[0][:PREVIEW] if first else None


def summarize(sender_id: str, conversation: Sequence[Event]) -> Optional[Dict]:
    """The summary row of one conversation, or None when the shopper has said nothing yet."""
    said = [e for e in conversation if e.get("event") == "user"]
    if not said:
        return None
    times = [float(e["timestamp"]) for e in conversation if e.get("timestamp") is not None]
    typed = [text for text in map(typed_text, said) if text]
    raised = set().union(*map(flags_raised, conversation))
    return {
        "sender_id": sender_id,
        "started_at": min(times),
        "last_at": max(times),
        "started_day": utc_day(min(times)),
        "channel": (channel_of(conversation) or "")[:64] or None,
        "customer_id": customer_of(conversation),
        "turns": len(said),
        "preview": preview(said),
        "shopper_text": " ".join(typed).lower()[:MAX_TEXT],
        **{name: name in raised for name in FLAG_NAMES},
    }


def _chunks(items: List[str], size: int) -> Iterator[List[str]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def read_state(connection: Connection, name: str = STATE) -> int:
    value = connection.execute(sa.select(index_state.c.value).where(index_state.c.name == name)).scalar()
    return int(value or 0)


def write_state(connection: Connection, value: int, name: str = STATE) -> None:
    updated = connection.execute(
        sa.update(index_state).where(index_state.c.name == name).values(value=value)
    ).rowcount
    if not updated:
        connection.execute(sa.insert(index_state).values(name=name, value=value))


def events_in_window(connection: Connection, last: int) -> int:
    """How many events the OVERLAP ids up to `last` hold now."""
    between = sa.and_(events.c.id > last - OVERLAP, events.c.id <= last)
    return int(connection.execute(sa.select(sa.func.count()).where(between)).scalar())


def newest_event_id(connection: Connection) -> int:
    return int(connection.execute(sa.select(sa.func.max(events.c.id))).scalar() or 0)


def resummarize(engine: Engine, sender_ids: List[str]) -> None:
    """Recompute these conversations' summaries from their events, in one short transaction."""
    query = (
        sa.select(events.c.sender_id, events.c.data)
        .where(events.c.sender_id.in_(sender_ids), RELEVANT)
        .order_by(events.c.id)
    )
    grouped: Dict[str, List[Event]] = defaultdict(list)
    with engine.connect() as connection:
        for sender_id, data in connection.execute(query):
            grouped[sender_id].append(json.loads(data))
    rows = [row for row in (summarize(s, grouped[s]) for s in sender_ids) if row]
    with engine.begin() as connection:
        connection.execute(sa.delete(conversations).where(conversations.c.sender_id.in_(sender_ids)))
        if rows:
            connection.execute(sa.insert(conversations), rows)


class Index:
    """The summary table of one database. `lock` serialises whatever rewrites it in this process."""

    def __init__(self, engine: Engine):
        self.engine = engine
        self.lock = threading.Lock()
        self._rasa_started = False

    def refresh(self) -> int:
        """Brings the summaries up to date; returns how many conversations were recomputed."""
        with self.lock:
            if not self._rasa_started:
                self._rasa_started = has_events(self.engine)
                if not self._rasa_started:
                    return 0
            return self._refresh()

    def _refresh(self) -> int:
        with self.engine.connect() as connection:
            last, newest = read_state(connection), newest_event_id(connection)
            # counted before the late check, so that whatever this count sees, the check sees too
            window = events_in_window(connection, newest)
            late = events_in_window(connection, last) != read_state(connection, WINDOW)
            # fewer events than already read: the events table was emptied or replaced
            rebuild = newest < last or read_state(connection, VERSION) != SUMMARY_VERSION
            if newest == last and not (late or rebuild):
                return 0
            since = 0 if rebuild else last - OVERLAP if late else last
            senders = connection.execute(
                sa.select(events.c.sender_id).where(events.c.id > since).distinct()
            ).scalars().all()
        if rebuild:
            with self.engine.begin() as connection:
                connection.execute(sa.delete(conversations))
        for chunk in _chunks(sorted(senders), BATCH):
            resummarize(self.engine, chunk)
        with self.engine.begin() as connection:
            write_state(connection, newest)
            write_state(connection, window, WINDOW)
            write_state(connection, SUMMARY_VERSION, VERSION)
        return len(senders)
