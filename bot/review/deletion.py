"""Deleting a customer's conversations on request (privacy law): their events from Rasa's table
and their summaries, in one transaction with a line in the deletion log saying who, when, which
customer and how many."""
from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any, List

import sqlalchemy as sa

from bot.review.db import conversations, deletions, events
from bot.review.index import Index, newest_event_id, read_state, write_state
from bot.review.search import NEWEST_FIRST, LISTED

LOG_LENGTH = 200


@dataclass(frozen=True)
class Deletion:
    customer_id: str
    conversations: int
    events: int


def customer_conversations(index: Index, customer_id: str) -> List[Any]:
    """What a deletion would remove (the confirmation step shows it)."""
    index.refresh()
    query = sa.select(*LISTED).where(conversations.c.customer_id == customer_id).order_by(*NEWEST_FIRST)
    with index.engine.connect() as connection:
        return connection.execute(query).all()


def delete_customer(index: Index, customer_id: str, reviewer: str) -> Deletion:
    index.refresh()  # conversations the customer had since the last look are included
    with index.lock, index.engine.begin() as connection:
        senders = connection.execute(
            sa.select(conversations.c.sender_id).where(conversations.c.customer_id == customer_id)
        ).scalars().all()
        removed = connection.execute(sa.delete(events).where(events.c.sender_id.in_(senders))).rowcount
        connection.execute(sa.delete(conversations).where(conversations.c.sender_id.in_(senders)))
        # SQLite gives a new row the highest id + 1: once the newest events are gone their ids
        # come back, so the index must read on from what is left, or it would skip Rasa's next ones.
        write_state(connection, min(read_state(connection), newest_event_id(connection)))
        connection.execute(sa.insert(deletions).values(
            deleted_at=time.time(), reviewer=reviewer, customer_id=customer_id,
            conversations=len(senders), events=removed,
        ))
    return Deletion(customer_id, len(senders), removed)


def log(engine) -> List[Any]:
    query = sa.select(deletions).order_by(deletions.c.deleted_at.desc()).limit(LOG_LENGTH)
    with engine.connect() as connection:
        return connection.execute(query).all()
