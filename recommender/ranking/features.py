"""What the learned ranker knows about a (customer, candidate article) pair besides the component
models' scores: how the article sells lately, how new it is, and the customer's own history."""
from __future__ import annotations

import numpy as np
import pandas as pd

from recommender.models.base import TrainData
from recommender.models.variants import product_codes

DAY = np.timedelta64(1, "D")

ARTICLE_FEATURES = ("sold_7d", "sold_28d", "sold_all", "days_since_first_sale", "days_since_last_sale",
                    "has_metadata", "price", "catalog_newness")
CUSTOMER_FEATURES = ("purchases", "days_since_last_purchase", "age")
PAIR_FEATURES = ("bought_before", "bought_product_before")


def catalog_newness(article_ids: pd.Series) -> np.ndarray:
    """Where each article's product number stands among all of them, 0 (oldest) to 1 (newest).
    Shops number products as they release them, so this tells a new arrival from old stock even
    before anyone has bought it (NaN where an id is not a number)."""
    numbers = pd.to_numeric(article_ids.astype(str).str[:-3], errors="coerce")
    return numbers.rank(pct=True).to_numpy(np.float32)


class ContextFeatures:
    """Per-article and per-customer facts as of `until`, and the pair facts from history."""

    def __init__(self, data: TrainData):
        t = data.transactions
        catalog = data.catalog
        n_articles, n_customers = catalog.n_articles, catalog.n_customers
        age_days = ((np.datetime64(data.until) - t["t_dat"].values) / DAY).astype(np.float32)
        articles = t["article_idx"].values
        customers = t["customer_idx"].values

        def sold_within(days):
            return np.bincount(articles[age_days <= days], minlength=n_articles).astype(np.float32)

        first = np.full(n_articles, np.nan, np.float32)
        last = np.full(n_articles, np.nan, np.float32)
        np.fmax.at(first, articles, age_days)
        np.fmin.at(last, articles, age_days)
        self.article = np.column_stack([
            sold_within(7),
            sold_within(28),
            np.bincount(articles, minlength=n_articles).astype(np.float32),
            first,
            last,
            catalog.articles["has_metadata"].to_numpy(np.float32),
            catalog.articles["price"].to_numpy(np.float32),
            catalog_newness(catalog.articles["article_id"]),
        ])
        since_last = np.full(n_customers, np.nan, np.float32)
        np.fmin.at(since_last, customers, age_days)
        ages = pd.to_numeric(catalog.customers.get("age"), errors="coerce")
        self.customer = np.column_stack([
            np.bincount(customers, minlength=n_customers).astype(np.float32),
            since_last,
            np.asarray(ages, np.float32) if ages is not None else np.full(n_customers, np.nan),
        ])
        _, self.product_of = np.unique(product_codes(catalog.articles["article_id"]), return_inverse=True)
        self.bought = pd.Series(1.0, index=pd.MultiIndex.from_arrays([customers, articles])).groupby(level=[0, 1]).sum()
        self.bought_product = set(zip(customers.tolist(), self.product_of[articles].tolist()))

    def for_pairs(self, customers: np.ndarray, articles: np.ndarray) -> np.ndarray:
        """Rows of context features for each (customers[i], articles[i])."""
        bought = self.bought.reindex(pd.MultiIndex.from_arrays([customers, articles])).to_numpy(np.float32)
        products = self.product_of[articles]
        bought_product = np.fromiter(
            ((c, p) in self.bought_product for c, p in zip(customers.tolist(), products.tolist())),
            dtype=np.float32, count=len(customers),
        )
        return np.column_stack([
            self.article[articles],
            self.customer[customers],
            np.nan_to_num(bought, nan=0.0),
            bought_product,
        ])

    @staticmethod
    def names() -> list[str]:
        return [*ARTICLE_FEATURES, *CUSTOMER_FEATURES, *PAIR_FEATURES]
