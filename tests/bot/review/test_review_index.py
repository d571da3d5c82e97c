"""The review app's reading of Rasa's events, on SQLite and PostgreSQL: flags, customer and
channel, incremental indexing, search, pagination, export, and deleting a customer's data."""
from __future__ import annotations

import csv
import io
import json

import pytest
import sqlalchemy as sa

from bot.review import deletion, export, search
from bot.review.db import connect, deletions, events
from bot.review.index import SUMMARY_VERSION, Index
from review_seed import Conversation, card, save, timestamp

FLAGS = ("asked_person", "fallback", "recommender_down", "cards_shown", "added_to_bag")


@pytest.fixture
def index(db_url):
    index = Index(connect(db_url))
    yield index
    index.engine.dispose()


def flags_of(index: Index, sender_id: str) -> set:
    row = search.summary(index.engine, sender_id)
    return {name for name in FLAGS if getattr(row, name)}


def test_each_flag_comes_from_its_events(db_url, index):
    day = timestamp("2026-03-02")
    save(
        db_url,
        Conversation("plain", day).ask("just browsing thanks", intent="chitchat"),
        Conversation("person", day).handoff(),
        Conversation("lost", day).not_understood(),
        Conversation("foreign", day).other_language(),
        Conversation("down", day).recommender_down(),
        Conversation("marked", day).user("jeans", "shop").bot("Sorry!", metadata={"recommender_unavailable": True}),
        Conversation("cards", day).greeting(),
        Conversation("bag", day).greeting(card("0706016001")).add_to_bag("0706016001"),
        Conversation("socket", day, channel="socketio").greeting(),
    )
    assert index.refresh() == 9
    assert flags_of(index, "plain") == set()
    assert flags_of(index, "person") == {"asked_person"}
    assert flags_of(index, "lost") == flags_of(index, "foreign") == {"fallback"}
    assert flags_of(index, "down") == flags_of(index, "marked") == {"recommender_down"}
    assert flags_of(index, "cards") == {"cards_shown"}
    assert flags_of(index, "bag") == {"cards_shown", "added_to_bag"}
    assert flags_of(index, "socket") == {"cards_shown"}  # the payload wrapped in "data"


def test_summary_knows_channel_customer_turns_and_first_words(db_url, index):
    by_metadata = Conversation("web", timestamp("2026-03-02", 9), channel="socketio", metadata={"customer_id": "c-7"})
    by_slot = Conversation("app", timestamp("2026-03-02", 10), channel="telegram")
    by_slot.greeting().ask("my member number is 12345678", intent="give_member_number").identify("12345678")
    save(db_url, by_metadata.greeting().ask("a red dress"), by_slot)
    index.refresh()
    web, app = search.summary(index.engine, "web"), search.summary(index.engine, "app")
    assert (web.channel, web.customer_id, web.turns, web.preview) == ("socketio", "c-7", 2, "a red dress")
    assert (app.channel, app.customer_id, app.started_day) == ("telegram", "12345678", "2026-03-02")


def test_refresh_reads_only_what_is_new_and_updates_a_growing_conversation(db_url, index):
    growing = Conversation("growing", timestamp("2026-03-03")).greeting()
    save(db_url, growing, Conversation("done", timestamp("2026-03-03", 8)).greeting())
    assert index.refresh() == 2
    assert index.refresh() == 0  # nothing new: nothing read

    growing.ask("something for a beach wedding", card("0111")).add_to_bag("0111")
    save(db_url, growing, Conversation("new", timestamp("2026-03-04")).handoff())
    index.refresh()
    assert search.summary(index.engine, "growing").turns == 3
    assert "added_to_bag" in flags_of(index, "growing")
    assert search.page(index.engine, search.Filters(), 1).total == 3


def test_summaries_of_another_version_are_rebuilt(db_url, index, monkeypatch):
    save(db_url, Conversation("kept", timestamp("2026-03-03")).greeting().ask("a green coat"))
    index.refresh()
    monkeypatch.setattr("bot.review.index.SUMMARY_VERSION", SUMMARY_VERSION + 1)
    monkeypatch.setattr("bot.review.index.preview", lambda said: "new")
    assert index.refresh() == 1
    assert search.summary(index.engine, "kept").preview == "new"
    assert index.refresh() == 0


def test_index_survives_a_restart_of_the_app(db_url, index):
    save(db_url, Conversation("kept", timestamp("2026-03-03")).greeting())
    index.refresh()
    again = Index(connect(db_url))
    assert again.refresh() == 0
    assert search.summary(again.engine, "kept").turns == 1
    again.engine.dispose()


@pytest.fixture
def shop_floor(db_url, index):
    """A week of conversations: who said what, with which outcome."""
    save(
        db_url,
        Conversation("a", timestamp("2026-03-01"), metadata={"customer_id": "alice"}).greeting().ask("A black dress for a wedding", card("1")),
        Conversation("b", timestamp("2026-03-03")).ask("blue jeans please", card("2")).handoff(),
        Conversation("c", timestamp("2026-03-05"), metadata={"customer_id": "alice"}).ask("black boots 100%_sure"),
        Conversation("d", timestamp("2026-03-07")).not_understood("asdf qwerty"),
    )
    index.refresh()
    return index


@pytest.mark.parametrize("filters, expected", [
    (search.Filters(), ["d", "c", "b", "a"]),  # newest first
    (search.Filters(words="black"), ["c", "a"]),
    (search.Filters(words="BLACK wedding"), ["a"]),  # every word, any case
    (search.Filters(words="100%_"), ["c"]),  # % and _ are characters, not wildcards
    (search.Filters(words="%"), ["c"]),
    (search.Filters(customer="alice"), ["c", "a"]),
    (search.Filters(since="2026-03-03", until="2026-03-05"), ["c", "b"]),
    (search.Filters(flag="asked_person"), ["b"]),
    (search.Filters(flag="fallback"), ["d"]),
    (search.Filters(words="black", customer="alice", flag="cards_shown"), ["a"]),
    (search.Filters(words="hi"), ["a"]),  # the shopper's words only: "hi" in a bot message counts not
])
def test_search(shop_floor, filters, expected):
    found = search.page(shop_floor.engine, filters, 1)
    assert [row.sender_id for row in found.rows] == expected
    assert found.total == len(expected)


def test_filters_from_a_query_string_ignore_what_they_cannot_use():
    filters = search.Filters.from_args({"words": ["  red   dress "], "since": ["yesterday"], "until": ["2026-03-09"],
                                        "flag": ["drop table"], "customer": ["c-1"]})
    assert filters == search.Filters(words="red dress", customer="c-1", until="2026-03-09")
    assert filters.params() == {"words": "red dress", "customer": "c-1", "until": "2026-03-09"}


def test_pages_of_newest_first(db_url, index):
    save(db_url, *(Conversation(f"s{n:02}", timestamp("2026-03-01") + 60 * n).ask(f"look {n}") for n in range(60)))
    index.refresh()
    first, third = search.page(index.engine, search.Filters(), 1), search.page(index.engine, search.Filters(), 3)
    assert (first.total, first.pages) == (60, 3)
    assert [r.sender_id for r in first.rows] == [f"s{n:02}" for n in range(59, 34, -1)]
    assert [r.sender_id for r in third.rows] == [f"s{n:02}" for n in range(9, -1, -1)]
    assert search.page(index.engine, search.Filters(), 99).number == 3  # past the end: the last page


def export_text(index: Index, ids: list, fmt: str) -> str:
    document = export.Document(fmt, {})
    return document.opening() + "".join(document.batch(index.engine, ids[i : i + 2]) for i in range(0, len(ids), 2)) + document.closing()


def test_export_csv_has_a_row_per_message_with_what_the_nlu_understood(shop_floor):
    rows = list(csv.DictReader(io.StringIO(export_text(shop_floor, ["a"], "csv"))))
    shopper = [r for r in rows if r["speaker"] == "shopper"]
    assert [r["text"] for r in shopper] == ["hi", "A black dress for a wedding"]
    assert shopper[1]["intent"] == "shop" and shopper[1]["entities"] == "product_type=Dress"
    assert any(r["cards"] == "1 Black wrap dress" for r in rows)


def test_export_json_of_a_filtered_set_is_one_document(shop_floor):
    ids = search.matching_ids(shop_floor.engine, search.Filters(customer="alice"))
    document = json.loads(export_text(shop_floor, ids, "json"))
    assert [c["conversation"] for c in document["conversations"]] == ["c", "a"]
    assert document["conversations"][1]["flags"] == ["cards_shown"]
    shown = [m["cards"][0] for m in document["conversations"][1]["messages"] if m["cards"]]
    assert [c["article_id"] for c in shown] == ["0108775015", "1"]
    assert shown[1]["image_url"].endswith("/images/1.jpg")


def test_export_csv_defuses_spreadsheet_formulas(db_url, index):
    save(db_url, Conversation("formula", timestamp("2026-03-01")).ask('=HYPERLINK("http://evil","x")'))
    index.refresh()
    rows = list(csv.reader(io.StringIO(export_text(index, ["formula"], "csv"))))
    assert rows[1][3] == '\'=HYPERLINK("http://evil","x")'


def event_count(index: Index, sender_id: str) -> int:
    with index.engine.connect() as connection:
        return connection.execute(sa.select(sa.func.count()).where(events.c.sender_id == sender_id)).scalar()


def test_deleting_a_customer_removes_their_events_and_summaries_and_is_logged(shop_floor, db_url):
    assert [r.sender_id for r in deletion.customer_conversations(shop_floor, "alice")] == ["c", "a"]
    alice_events = event_count(shop_floor, "a") + event_count(shop_floor, "c")
    done = deletion.delete_customer(shop_floor, "alice", reviewer="support")
    assert done == deletion.Deletion("alice", 2, alice_events)
    assert event_count(shop_floor, "a") == event_count(shop_floor, "c") == 0
    assert event_count(shop_floor, "b") > 0
    assert search.page(shop_floor.engine, search.Filters(), 1).total == 2
    shop_floor.refresh()  # nothing comes back
    assert search.page(shop_floor.engine, search.Filters(customer="alice"), 1).total == 0
    with shop_floor.engine.connect() as connection:
        logged = connection.execute(sa.select(deletions)).one()
    assert (logged.reviewer, logged.customer_id, logged.conversations, logged.events) == ("support", "alice", 2, alice_events)


def test_conversations_after_a_deletion_of_the_newest_are_still_indexed(db_url, index):
    """SQLite reuses the ids of the newest rows once they are deleted."""
    save(db_url, Conversation("old", timestamp("2026-03-01")).greeting(),
         Conversation("newest", timestamp("2026-03-02"), metadata={"customer_id": "bob"}).greeting())
    index.refresh()
    deletion.delete_customer(index, "bob", reviewer="support")
    save(db_url, Conversation("after", timestamp("2026-03-03")).handoff())
    index.refresh()
    assert [r.sender_id for r in search.page(index.engine, search.Filters(), 1).rows] == ["after", "old"]
