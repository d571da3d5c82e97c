"""Filter values as a shopper or a bot types them, resolved to the catalog's own spelling:
case-insensitive, "gray" for "grey", plurals for singulars ("dresses" -> "Dress"); an unknown value
gets the closest valid ones, so that the caller can correct itself."""
from __future__ import annotations

import difflib
import re
from collections.abc import Iterable

from recommender.service.errors import bad_request

# Word-level spellings that mean the same as the catalog's word.
SYNONYMS = {"gray": "grey", "tshirt": "t-shirt", "tee": "t-shirt", "trouser": "trousers", "pant": "trousers",
            "pants": "trousers", "kids": "baby/children", "women": "ladieswear",
            "womens": "ladieswear", "men": "menswear", "mens": "menswear"}


def normalise(text: str) -> str:
    words = re.sub(r"\s+", " ", str(text).strip().lower()).split(" ")
    return " ".join(SYNONYMS.get(w, w) for w in words)


def _spellings(key: str) -> list[str]:
    """The key and its likely singular/plural twins, most literal first."""
    out = [key]
    if key.endswith("es"):
        out.append(key[:-2])
    if key.endswith("s"):
        out.append(key[:-1])
    else:
        out.append(key + "s")
    return out


class Vocabulary:
    def __init__(self, field: str, values: Iterable[str]):
        self.field = field
        self.by_key = {normalise(v): v for v in sorted(set(values))}

    def values(self) -> list[str]:
        return sorted(self.by_key.values())

    def resolve(self, text: str) -> str:
        """The catalog's value for `text`, or a 400 that lists the closest valid values."""
        key = normalise(text)
        for spelling in _spellings(key):
            if spelling in self.by_key:
                return self.by_key[spelling]
        close = difflib.get_close_matches(key, list(self.by_key), n=5, cutoff=0.5)
        close += [k for k in self.by_key if key and key in k and k not in close][: 5 - len(close)]
        suggestions = [self.by_key[k] for k in close]
        hint = f"; did you mean {', '.join(repr(s) for s in suggestions)}?" if suggestions else ""
        raise bad_request(f"unknown {self.field} {text!r}{hint}", field=self.field, suggestions=suggestions)
