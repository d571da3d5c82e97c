"""The dashboard: conversations per day, and the share of them that reached product cards, needed
a person or fell back, and added to the bag; counted from the summary table, drawn as SVG by
matplotlib (pinned in the Rasa environment already: Rasa depends on it)."""
from __future__ import annotations

import io
import threading
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Dict, List

import matplotlib

matplotlib.use("Agg")  # no display: draw into files only
from matplotlib.figure import Figure  # noqa: E402

import sqlalchemy as sa  # noqa: E402
from sqlalchemy.engine import Engine  # noqa: E402

from bot.review.db import conversations  # noqa: E402
from bot.review.search import Filters  # noqa: E402

DEFAULT_DAYS = 30
INK, GRID = "#1f2937", "#e5e7eb"
SERIES = {  # share name -> (label, colour)
    "cards": ("Reached product cards", "#2563eb"),
    "helped": ("Needed a person or fell back", "#dc2626"),
    "bag": ("Added to bag", "#059669"),
}
# matplotlib keeps global state (fonts, caches): one drawing at a time.
_drawing = threading.Lock()


@dataclass(frozen=True)
class Day:
    day: str
    conversations: int = 0
    cards: int = 0
    helped: int = 0
    bag: int = 0

    def share(self, name: str) -> float:
        return 100.0 * getattr(self, name) / self.conversations if self.conversations else 0.0


def _count(condition) -> sa.sql.ColumnElement:
    return sa.func.coalesce(sa.func.sum(sa.case((condition, 1), else_=0)), 0)


def window(engine: Engine, filters: Filters) -> Filters:
    """The filters, with a date range: the last DEFAULT_DAYS days that have conversations,
    unless the reviewer chose one."""
    if filters.since:
        return filters
    until = filters.until
    if not until:
        with engine.connect() as connection:
            until = connection.execute(sa.select(sa.func.max(conversations.c.started_day))).scalar()
    if not until:
        return filters
    since = date.fromisoformat(until) - timedelta(days=DEFAULT_DAYS - 1)
    return replace(filters, since=since.isoformat(), until=until)


def daily(engine: Engine, filters: Filters) -> List[Day]:
    """One Day per calendar day of the filters' range (days without conversations included)."""
    c = conversations.c
    query = (
        sa.select(
            c.started_day, sa.func.count(), _count(c.cards_shown.is_(True)),
            _count(sa.or_(c.asked_person.is_(True), c.fallback.is_(True))), _count(c.added_to_bag.is_(True)),
        )
        .where(*filters.clauses())
        .group_by(c.started_day)
    )
    with engine.connect() as connection:
        found: Dict[str, Day] = {row[0]: Day(*row) for row in connection.execute(query)}
    if not (filters.since and filters.until):
        return [found[day] for day in sorted(found)]
    first, last = date.fromisoformat(filters.since), date.fromisoformat(filters.until)
    every = (first + timedelta(days=n) for n in range((last - first).days + 1))
    return [found.get(d.isoformat(), Day(d.isoformat())) for d in every]


def totals(days: List[Day]) -> Day:
    return Day(
        "all",
        *(sum(getattr(d, name) for d in days) for name in ("conversations", "cards", "helped", "bag")),
    )


def _axes(title: str):
    figure = Figure(figsize=(10, 2.8), dpi=96)
    axes = figure.add_subplot()
    axes.set_title(title, loc="left", fontsize=11, color=INK)
    axes.grid(axis="y", color=GRID)
    axes.set_axisbelow(True)
    for side in ("top", "right", "left"):
        axes.spines[side].set_visible(False)
    axes.tick_params(colors=INK, labelsize=8, length=0)
    return figure, axes


def _label_days(axes, days: List[Day]) -> None:
    step = max(1, len(days) // 10)
    positions = list(range(0, len(days), step))
    axes.set_xticks(positions)
    axes.set_xticklabels([days[i].day[5:] for i in positions])  # "MM-DD"


def _svg(figure: Figure) -> str:
    buffer = io.StringIO()
    figure.tight_layout()
    figure.savefig(buffer, format="svg")
    return buffer.getvalue()


def conversations_chart(days: List[Day]) -> str:
    with _drawing:
        figure, axes = _axes("Conversations per day")
        axes.bar(range(len(days)), [d.conversations for d in days], color="#6366f1", width=0.8)
        axes.yaxis.get_major_locator().set_params(integer=True)
        _label_days(axes, days)
        return _svg(figure)


def shares_chart(days: List[Day]) -> str:
    with _drawing:
        figure, axes = _axes("Share of each day's conversations (%)")
        for name, (label, colour) in SERIES.items():
            # a day without conversations has no share: a gap, not a fall to 0 %
            shares = [d.share(name) if d.conversations else float("nan") for d in days]
            axes.plot(range(len(days)), shares, label=label, color=colour,
                      marker="o", markersize=3, linewidth=1.6)
        axes.set_ylim(0, 100)
        axes.legend(loc="upper left", bbox_to_anchor=(0, -0.12), ncol=3, frameon=False, fontsize=8)
        _label_days(axes, days)
        return _svg(figure)


CHARTS = {"conversations": conversations_chart, "shares": shares_chart}
