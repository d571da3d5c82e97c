"""The shopper's own words for what they asked for, said back to them.

The NLU maps everyday words to the catalog's values ("jeans" -> Trousers, "navy" -> Dark Blue,
"floral" -> All over pattern): the recommender filters on those. A salesperson says back "navy
jeans", not "dark blue trousers", so the word is read again from the message that set the slot.
The NLU also accepts common misspellings ("jeens"); those are said back spelled right. This
table is where the misspellings are kept: scripts/make_lookups.py teaches them to the NLU from
here, so this module needs nothing beyond the standard library.
"""
from __future__ import annotations

import re
from typing import Any, Dict, Iterable, Optional

# A misspelling, or a form a card should not repeat, -> the word it stands for. Each word on the
# right is one of make_lookups.py's synonyms, which is how the NLU learns the one on the left.
MISSPELLINGS: Dict[str, str] = {
    "dres": "dress",
    "trousrs": "trousers",
    "jeens": "jeans",
    "jean": "jeans",
    "tshirt": "t-shirt",
    "tshirts": "t-shirts",
    "tshirst": "t-shirts",
    "sweatr": "sweater",
    "hoddie": "hoodie",
    "hoodys": "hoodies",
    "jaket": "jacket",
    "blk": "black",
    "wite": "white",
    "blu": "blue",
    "brwn": "brown",
}
# the slots whose values the shopper names with a word of their own
WORDED_SLOTS = ("colour", "pattern", "product_type")
# what a word looks like; an entity over anything else (a payload, a run of symbols) is not one
WORD = re.compile(r"[a-z][a-z' -]{0,39}")


def spelled_right(word: str) -> str:
    return MISSPELLINGS.get(word, word)


def plural(words: str) -> bool:
    """Whether a garment's name is plural ("jeans", "sneakers"; not "dress" or "jumpsuit")."""
    return words.endswith("s") and not words.endswith(("ss", "us"))


def shoppers_words(events: Iterable[Dict[str, Any]], values: Dict[str, Any]) -> Dict[str, str]:
    """For each slot in `values` (slot -> its value now), the word the shopper last typed for
    that value, spelled right; a slot whose value came from a button has none."""
    wanted = {slot: str(value).lower() for slot, value in values.items() if value}
    found: Dict[str, str] = {}
    for event in reversed(list(events)):
        if len(found) == len(wanted):
            break
        if event.get("event") != "user" or (event.get("text") or "").startswith("/"):
            continue
        for entity in (event.get("parse_data") or {}).get("entities") or []:
            slot = entity.get("entity")
            if slot in wanted and slot not in found and str(entity.get("value", "")).lower() == wanted[slot]:
                word = typed_word(event.get("text") or "", entity)
                if word:
                    found[slot] = word
    return found


def typed_word(text: str, entity: Dict[str, Any]) -> Optional[str]:
    """The entity's words as the message has them, lower-case and spelled right."""
    start, end = entity.get("start"), entity.get("end")
    if not isinstance(start, int) or not isinstance(end, int):
        return None
    word = " ".join(text[start:end].lower().split())
    return spelled_right(word) if WORD.fullmatch(word) else None
