"""The tracker store endpoints.yml configures: Rasa loads our class from it, it writes to
PostgreSQL when TRACKER_DB_URL says so and to SQLite under var/ otherwise, and nothing is lost
when a process stops and another one opens the store again."""
from __future__ import annotations

import asyncio
import sqlite3

from rasa.core.tracker_store import create_tracker_store
from rasa.core.utils import read_endpoints_from_path
from rasa.shared.core.trackers import DialogueStateTracker

from bot.tracker_store import EnvSQLTrackerStore
from review_seed import DOMAIN, ROOT, Conversation, as_dicts, card, timestamp


def store_from_endpoints_yml() -> EnvSQLTrackerStore:
    endpoints = read_endpoints_from_path(str(ROOT / "endpoints.yml"))
    return create_tracker_store(endpoints.tracker_store, DOMAIN)


def a_conversation() -> Conversation:
    conversation = Conversation("restart-me", timestamp("2026-03-01"), metadata={"customer_id": "c-42"})
    conversation.greeting().ask("a black dress for a wedding", card("0706016001"))
    return conversation.add_to_bag("0706016001").handoff()


def test_rasa_loads_our_store_from_endpoints_yml(db_url, monkeypatch):
    monkeypatch.setenv("TRACKER_DB_URL", db_url)
    store = store_from_endpoints_yml()
    assert type(store) is EnvSQLTrackerStore
    assert store.engine.url.get_backend_name() == db_url.split(":")[0]
    store.engine.dispose()


def test_nothing_is_lost_across_a_restart(db_url, monkeypatch):
    monkeypatch.setenv("TRACKER_DB_URL", db_url)
    conversation = a_conversation()
    first = store_from_endpoints_yml()
    asyncio.run(first.save(DialogueStateTracker.from_events("restart-me", conversation.events, DOMAIN.slots)))
    first.engine.dispose()  # the process stops

    again = store_from_endpoints_yml()
    tracker = asyncio.run(again.retrieve_full_tracker("restart-me"))
    again.engine.dispose()
    assert as_dicts(list(tracker.events)) == as_dicts(conversation.events)
    assert tracker.get_slot("bag") == ["0706016001"]
    assert tracker.get_slot("handoff_requested") is True


def test_without_a_url_it_is_sqlite_under_var(tmp_path, monkeypatch):
    monkeypatch.delenv("TRACKER_DB_URL", raising=False)
    monkeypatch.chdir(tmp_path)  # Rasa runs in the repository root: var/ is taken from there
    store = store_from_endpoints_yml()
    asyncio.run(store.save(DialogueStateTracker.from_events("local", a_conversation().events, DOMAIN.slots)))
    store.engine.dispose()
    rows = sqlite3.connect(tmp_path / "var" / "rasa" / "tracker.db").execute(
        "select count(*) from events where sender_id = 'local'").fetchone()
    assert rows[0] == len(a_conversation().events)
