"""What the catalog itself says of every article, bought or not: whether the shop describes it
(H&M's article table covers the current range; older stock has a photo only) and how new it is."""
from __future__ import annotations

import numpy as np
import pandas as pd

from recommender.catalog.store import Catalog


def catalog_newness(article_ids: pd.Series) -> np.ndarray:
    """Where each article's product number stands among all of them, 0 (oldest) to 1 (newest).
    Shops number products as they release them, so this tells a new arrival from old stock even
    before anyone has bought it (NaN where an id is not a number)."""
    numbers = pd.to_numeric(article_ids.astype(str).str[:-3], errors="coerce")
    return numbers.rank(pct=True).to_numpy(np.float32)


def assortment_facts(catalog: Catalog) -> np.ndarray:
    """(n_articles, 2) float32: described (0/1) and catalog newness (0.5 where the id is not a number)."""
    articles = catalog.articles
    newness = np.nan_to_num(catalog_newness(articles["article_id"]), nan=0.5)
    return np.column_stack([articles["has_metadata"].to_numpy(np.float32), newness]).astype(np.float32)
