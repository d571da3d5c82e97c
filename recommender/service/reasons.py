"""One short reason per recommended item, in words a shopper understands, from the signal that
contributed most to its place in the list."""
from __future__ import annotations

import numpy as np

from recommender.service.facts import ArticleFacts

MAX_QUERY_IN_REASON = 40


def because_liked(facts: ArticleFacts, liked_row: int) -> str:
    return f"Because you liked the {facts.describe(liked_row)}"


def matches(query: str) -> str:
    short = query if len(query) <= MAX_QUERY_IN_REASON else query[: MAX_QUERY_IN_REASON - 1].rstrip() + "…"
    return f"Matches: {short}"


def for_customer() -> str:
    return "Picked for you from what you bought before"


def trending(facts: ArticleFacts, row: int, trend: float) -> str:
    section = facts.section_label(row)
    where = f" in {section}" if section else ""
    return f"Trending{where} this week" if trend > 0 else f"New{where}"


def similar_to(facts: ArticleFacts, row: int) -> str:
    return f"Looks like the {facts.describe(row)}"


def goes_with(facts: ArticleFacts, row: int) -> str:
    return f"Goes with the {facts.describe(row)}"


def nearest_liked(unit: np.ndarray, liked: list[int], row: int) -> int:
    """The liked article whose photo is closest to `row`'s (cosine in taste space)."""
    return int(liked[int(np.argmax(unit[liked] @ unit[row]))])
