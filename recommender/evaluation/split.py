"""Time splits: hold out the last weeks of purchases, and train on everything before them.

The held-out window ends with the last day that has purchases. With `weeks=4` on the H&M sample
(last purchase 2020-08-25) the window is 2020-07-29 .. 2020-08-25 inclusive, and models learn from
the purchases before 2020-07-29. `validation_split` cuts the training part the same way again, so a
learned ranker can fit on the older purchases and be tuned on the weeks just before the test.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from recommender.catalog.store import Catalog
from recommender.models.base import TrainData
from recommender.models.pair_counts import PairCounts
from recommender.models.variants import product_codes


PURCHASE_KINDS = ("bought again", "another colour of a product they bought", "sold before, new to them",
                  "never sold before")


@dataclass
class GroundTruth:
    """What each customer bought in the window [start, end), by row index."""

    start: pd.Timestamp
    end: pd.Timestamp
    bought: dict[int, set[int]]
    new_articles: set[int]  # bought in the window, never bought before it
    unlisted: np.ndarray  # per article: not yet in the catalog at `start` (TrainData.unlisted)

    @property
    def customers(self) -> np.ndarray:
        """The customers who bought in the window, in ascending order."""
        return np.array(sorted(self.bought), dtype=np.int64)

    def actual(self, customers: np.ndarray) -> list[set[int]]:
        """Window purchases aligned with `customers` (empty for those who bought nothing)."""
        return [self.bought.get(int(c), set()) for c in customers]


def holdout_split(catalog: Catalog, weeks: int = 4) -> tuple[TrainData, GroundTruth]:
    """Train on everything before the last `weeks` weeks of purchases; score on those weeks."""
    end = catalog.transactions["t_dat"].max() + pd.Timedelta(days=1)
    return _split(catalog, catalog.transactions, end, weeks)


def validation_split(train: TrainData, weeks: int = 4) -> tuple[TrainData, GroundTruth]:
    """Split a training set again: fit on all but its last `weeks` weeks, validate on them."""
    return _split(train.catalog, train.transactions, train.until, weeks)


def _split(
    catalog: Catalog, transactions: pd.DataFrame, end: pd.Timestamp, weeks: int
) -> tuple[TrainData, GroundTruth]:
    start = pd.Timestamp(end) - pd.Timedelta(days=7 * weeks)
    dates = transactions["t_dat"].values
    before = transactions[dates < np.datetime64(start)]
    window = transactions[(dates >= np.datetime64(start)) & (dates < np.datetime64(end))]
    bought = {
        int(c): set(a.tolist())
        for c, a in window.groupby("customer_idx")["article_idx"].unique().items()
    }
    train = TrainData(catalog, before, start)
    sold = train.sold()
    new_articles = {a for a in window["article_idx"].unique().tolist() if not sold[a]}
    return train, GroundTruth(start, pd.Timestamp(end), bought, new_articles, train.unlisted())


def purchase_kinds(train: TrainData, truth: GroundTruth) -> dict[str, int]:
    """The window's purchases (distinct customer and article) by how they stand to what came
    before: bought again by the same customer, another colour of a product they bought, an
    article others bought but they did not, or one nobody had bought. Which kinds dominate says
    what a recommender can find: the first two are where counting purchases works."""
    t = train.transactions
    codes = product_codes(train.catalog.articles["article_id"])
    pairs = [(customer, article) for customer, bought in truth.bought.items() for article in bought]
    customers, articles = np.array(pairs, dtype=np.int64).reshape(-1, 2).T
    before_customers, before_articles = t["customer_idx"].to_numpy(np.int64), t["article_idx"].to_numpy(np.int64)
    again = PairCounts(before_customers, before_articles, train.catalog.n_articles).of(customers, articles) > 0
    bought_product = PairCounts(before_customers, codes[before_articles], codes.max(initial=-1) + 1)
    other_colour = ~again & (bought_product.of(customers, codes[articles]) > 0)
    sold = ~np.isin(articles, np.fromiter(truth.new_articles, np.int64, len(truth.new_articles)))
    elsewhere = ~again & ~other_colour
    kinds = (again, other_colour, elsewhere & sold, elsewhere & ~sold)
    return {name: int(kind.sum()) for name, kind in zip(PURCHASE_KINDS, kinds)}
