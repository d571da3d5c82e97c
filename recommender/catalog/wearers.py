"""Who wears a piece: women, men or children, from H&M's index group, and for Sport (which
dresses everybody) from the section's name. One look is worn by one person, so pieces of
different wearers do not complete each other, however often a family buys them together."""
from __future__ import annotations

import numpy as np
import pandas as pd

# Each wearer's own index group; Divided, H&M's young women's line, dresses women too.
OWN_INDEX_GROUP = {"women": "Ladieswear", "men": "Menswear", "children": "Baby/Children"}
WEARER_OF_INDEX_GROUP = {**{group: wearer for wearer, group in OWN_INDEX_GROUP.items()}, "Divided": "women"}
# How Sport's section names begin, for each wearer ("Ladies H&M Sport", "Men H&M Sport", "Kids Sports").
WEARER_OF_SECTION_PREFIX = {"ladies": "women", "men": "men", "kids": "children"}


def wearers(articles: pd.DataFrame) -> np.ndarray:
    """Per article, "women", "men", "children" or None where the catalog does not say. Worked out
    once per distinct group and section name: the service, the trends and the baskets each ask
    at start-up, of up to a million articles."""
    by_group = _per_value(articles, "index_group_name", WEARER_OF_INDEX_GROUP.get)
    by_section = _per_value(articles, "section_name", _wearer_of_section)
    return np.where(pd.isna(by_group), by_section, by_group)


def _per_value(articles: pd.DataFrame, column: str, wearer_of) -> np.ndarray:
    if column not in articles:
        return np.full(len(articles), None, dtype=object)
    codes, values = pd.factorize(articles[column])
    table = np.array([wearer_of(value) for value in values] + [None], dtype=object)
    return table[codes]  # a missing value's code is -1: the None at the end


def _wearer_of_section(section) -> str | None:
    words = str(section).split()
    return WEARER_OF_SECTION_PREFIX.get(words[0].lower()) if words else None


def wearer_groups(articles: pd.DataFrame) -> np.ndarray:
    """Per article, its wearer's own index group ("Ladieswear" for a Divided piece too), "" where
    unknown: what a section filter naming a wearer's own group matches beside the group itself."""
    wearer, groups = wearers(articles), np.full(len(articles), "", dtype=object)
    for who, group in OWN_INDEX_GROUP.items():
        groups[wearer == who] = group
    return groups
