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
    """Per article, "women", "men", "children" or None where the catalog does not say."""
    groups = articles.get("index_group_name", pd.Series(None, index=articles.index, dtype=object))
    sections = articles.get("section_name", pd.Series(None, index=articles.index, dtype=object))
    return np.array([_wearer(group, section) for group, section in zip(groups, sections)], dtype=object)


def _wearer(group, section) -> str | None:
    if isinstance(group, str) and group in WEARER_OF_INDEX_GROUP:
        return WEARER_OF_INDEX_GROUP[group]
    if isinstance(section, str) and section.strip():
        return WEARER_OF_SECTION_PREFIX.get(section.split()[0].lower())
    return None


def wearer_groups(articles: pd.DataFrame) -> np.ndarray:
    """Per article, its wearer's own index group ("Ladieswear" for a Divided piece too), "" where
    unknown: what a section filter naming a wearer's own group matches beside the group itself."""
    return np.array([OWN_INDEX_GROUP.get(wearer, "") for wearer in wearers(articles)], dtype=object)
