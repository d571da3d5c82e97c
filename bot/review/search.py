"""Finding conversations in the summary table: by the shopper's words, customer, date range and
flag; newest first, a page at a time."""
from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from datetime import date
from typing import Any, Dict, List, Mapping, Optional

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from bot.review.db import conversations
from bot.review.flags import FLAG_NAMES

PAGE_SIZE = 25
MAX_WORDS = 10
NEWEST_FIRST = (conversations.c.started_at.desc(), conversations.c.sender_id.desc())


def _day(value: str) -> str:
    """An ISO date as given, or "" when it is not one."""
    try:
        return date.fromisoformat(value.strip()).isoformat()
    except ValueError:
        return ""


@dataclass(frozen=True)
class Filters:
    words: str = ""
    customer: str = ""
    since: str = ""  # "YYYY-MM-DD", UTC, inclusive
    until: str = ""
    flag: str = ""

    @classmethod
    def from_args(cls, args: Mapping[str, Any]) -> "Filters":
        """From a query string (sanic's request.args: a value per key is a list)."""
        def first(key: str) -> str:
            value = args.get(key) or ""
            return str(value[0] if isinstance(value, list) else value).strip()[:200]

        flag = first("flag")
        return cls(
            words=" ".join(first("words").split()[:MAX_WORDS]),
            customer=first("customer"),
            since=_day(first("since")),
            until=_day(first("until")),
            flag=flag if flag in FLAG_NAMES else "",
        )

    def params(self) -> Dict[str, str]:
        """The filters that are set, for links that keep them (pages, exports, dashboard)."""
        return {key: value for key, value in asdict(self).items() if value}

    def clauses(self) -> List[Any]:
        found = [conversations.c.shopper_text.contains(word, autoescape=True) for word in self.words.lower().split()]
        if self.customer:
            found.append(conversations.c.customer_id == self.customer)
        if self.since:
            found.append(conversations.c.started_day >= self.since)
        if self.until:
            found.append(conversations.c.started_day <= self.until)
        if self.flag:
            found.append(conversations.c[self.flag].is_(True))
        return found


@dataclass
class Page:
    rows: List[Any]
    total: int
    number: int

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / PAGE_SIZE))


LISTED = [c for c in conversations.c if c.name != "shopper_text"]


def page(engine: Engine, filters: Filters, number: int) -> Page:
    where = filters.clauses()
    with engine.connect() as connection:
        total = connection.execute(sa.select(sa.func.count()).select_from(conversations).where(*where)).scalar()
        number = min(max(1, number), max(1, math.ceil(total / PAGE_SIZE)))
        rows = connection.execute(
            sa.select(*LISTED).where(*where).order_by(*NEWEST_FIRST)
            .limit(PAGE_SIZE).offset((number - 1) * PAGE_SIZE)
        ).all()
    return Page(rows, int(total), number)


def matching_ids(engine: Engine, filters: Filters) -> List[str]:
    """Every conversation the filters select, newest first (for exports)."""
    query = sa.select(conversations.c.sender_id).where(*filters.clauses()).order_by(*NEWEST_FIRST)
    with engine.connect() as connection:
        return list(connection.execute(query).scalars())


def summaries(engine: Engine, sender_ids: List[str]) -> Dict[str, Any]:
    query = sa.select(*LISTED).where(conversations.c.sender_id.in_(sender_ids))
    with engine.connect() as connection:
        return {row.sender_id: row for row in connection.execute(query)}


def summary(engine: Engine, sender_id: str) -> Optional[Any]:
    return summaries(engine, [sender_id]).get(sender_id)
