"""The review app's database: the tracker store's own, holding Rasa's `events` table, beside which
the app keeps its tables (a summary per conversation, how far it has read, the deletion log)."""
from __future__ import annotations

import os
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import Engine, make_url

from bot.review.flags import FLAGS

# Rasa's table (rasa.core.tracker_store.SQLTrackerStore.SQLEvent), described rather than imported
# so that the web server never loads Rasa. In a MetaData of its own: only Rasa creates it.
events = sa.Table(
    "events",
    sa.MetaData(),
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("sender_id", sa.String(255), nullable=False, index=True),
    sa.Column("type_name", sa.String(255), nullable=False),
    sa.Column("timestamp", sa.Float),
    sa.Column("intent_name", sa.String(255)),
    sa.Column("action_name", sa.String(255)),
    sa.Column("data", sa.Text),
)

metadata = sa.MetaData()

# One row per conversation (a Rasa sender id), kept up to date by bot.review.index, so that the
# list, the search and the dashboard never read the events themselves.
conversations = sa.Table(
    "review_conversations",
    metadata,
    sa.Column("sender_id", sa.String(255), primary_key=True),
    sa.Column("started_at", sa.Float, nullable=False, index=True),
    sa.Column("last_at", sa.Float, nullable=False),
    # UTC date, "YYYY-MM-DD": a portable way to filter and group by day on both databases
    sa.Column("started_day", sa.String(10), nullable=False, index=True),
    sa.Column("channel", sa.String(64)),
    sa.Column("customer_id", sa.String(128), index=True),
    sa.Column("turns", sa.Integer, nullable=False),
    sa.Column("preview", sa.String(200)),
    # what the shopper wrote, lower-cased, for the word search
    sa.Column("shopper_text", sa.Text, nullable=False),
    *(sa.Column(flag.name, sa.Boolean, nullable=False) for flag in FLAGS),
)

index_state = sa.Table(
    "review_index_state",
    metadata,
    sa.Column("name", sa.String(64), primary_key=True),
    sa.Column("value", sa.Integer, nullable=False),
)

# Who deleted which customer's conversations, when, and how many (privacy requests).
deletions = sa.Table(
    "review_deletions",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("deleted_at", sa.Float, nullable=False),
    sa.Column("reviewer", sa.String(64), nullable=False),
    sa.Column("customer_id", sa.String(128), nullable=False),
    sa.Column("conversations", sa.Integer, nullable=False),
    sa.Column("events", sa.Integer, nullable=False),
)


def connect(url: str) -> Engine:
    """An engine on the tracker store's database, with the review tables created."""
    parsed = make_url(url)
    kwargs = {}
    if parsed.get_backend_name() == "sqlite" and parsed.database:
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
    schema = os.environ.get("POSTGRESQL_SCHEMA")
    if schema and parsed.get_backend_name() == "postgresql":
        # the schema Rasa itself uses when this is set (rasa.core.tracker_store)
        kwargs["connect_args"] = {"options": f"-csearch_path={schema}"}
    engine = sa.create_engine(parsed, future=True, **kwargs)
    metadata.create_all(engine)
    return engine


def has_events(engine: Engine) -> bool:
    """Whether Rasa has created its table yet (it does when it first starts)."""
    return sa.inspect(engine).has_table("events")
