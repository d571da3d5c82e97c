"""What the review app flags in a conversation, and which stored Rasa events raise each flag.

An event here is the JSON Rasa keeps in the `data` column of its `events` table (`Event.as_dict()`).
A conversation carries a flag when any one of its events raises it.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Dict

from bot.review.cards import cards_in

Event = Dict[str, Any]

HANDOFF_ACTIONS = {"action_handoff"}  # actions/handoff.py
# utter_rephrase is what config.yml's RulePolicy and the nlu_fallback rule run (data/rules.yml);
# a sentence in another language than English is not understood either, and is told so
# (utter_english_only)
NOT_UNDERSTOOD_INTENTS = {"nlu_fallback", "other_language"}
FALLBACK_ACTIONS = {"action_default_fallback", "utter_rephrase", "utter_english_only"}
# The marker the actions can put on the apology they send when the recommender is down, and,
# for conversations stored before it, the apologies' own first words (actions/recommend.py).
RECOMMENDER_DOWN_MARKER = "recommender_unavailable"
RECOMMENDER_APOLOGIES = (
    "Sorry, I'm having trouble fetching fresh picks",
    "Sorry, I can't reach our product catalogue",
)
# The slots the flags read; bot.review.index reads only these of all slot events.
FLAG_SLOTS = {"handoff_requested", "bag"}
FLAG_ACTIONS = HANDOFF_ACTIONS | FALLBACK_ACTIONS


def intent_of(event: Event) -> str:
    return str(((event.get("parse_data") or {}).get("intent") or {}).get("name") or "")


def _is(event: Event, kind: str) -> bool:
    return event.get("event") == kind


def asked_for_a_person(event: Event) -> bool:
    return (
        (_is(event, "user") and intent_of(event) == "human_handoff")
        or (_is(event, "action") and event.get("name") in HANDOFF_ACTIONS)
        or (_is(event, "slot") and event.get("name") == "handoff_requested" and event.get("value") is True)
    )


def not_understood(event: Event) -> bool:
    return (_is(event, "user") and intent_of(event) in NOT_UNDERSTOOD_INTENTS) or (
        _is(event, "action") and event.get("name") in FALLBACK_ACTIONS
    )


def recommender_unavailable(event: Event) -> bool:
    if not _is(event, "bot"):
        return False
    marked = (event.get("metadata") or {}).get(RECOMMENDER_DOWN_MARKER) is True
    return marked or str(event.get("text") or "").startswith(RECOMMENDER_APOLOGIES)


def cards_shown(event: Event) -> bool:
    """Cards in any channel's form, or a photo (where cards go as text + photo + buttons)."""
    data = event.get("data") or {}
    return _is(event, "bot") and bool(cards_in(data) or data.get("image"))


def added_to_bag(event: Event) -> bool:
    """The bag slot holds an article: action_add_to_bag put one there."""
    return _is(event, "slot") and event.get("name") == "bag" and bool(event.get("value"))


@dataclass(frozen=True)
class Flag:
    name: str  # also the summary table's column
    label: str
    raised_by: Callable[[Event], bool]


FLAGS = (
    Flag("asked_person", "Asked for a person", asked_for_a_person),
    Flag("fallback", "Not understood", not_understood),
    Flag("recommender_down", "Recommender unavailable", recommender_unavailable),
    Flag("cards_shown", "Cards shown", cards_shown),
    Flag("added_to_bag", "Added to bag", added_to_bag),
)
FLAG_NAMES = [flag.name for flag in FLAGS]


def flags_raised(event: Event) -> set:
    return {flag.name for flag in FLAGS if flag.raised_by(event)}
