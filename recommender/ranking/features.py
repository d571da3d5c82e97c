"""What the learned ranker knows about a (customer, candidate article) pair besides the component
models' scores: how the article sells lately, how new it is, and the customer's own history."""
from __future__ import annotations

import numpy as np
import pandas as pd

from recommender.models.base import TrainData
from recommender.models.assortment import catalog_newness
from recommender.models.customer_shares import CustomerShares
from recommender.models.pair_counts import PairCounts
from recommender.models.variants import product_codes

DAY = np.timedelta64(1, "D")

ARTICLE_FEATURES = ("sold_7d", "sold_28d", "sold_all", "days_since_first_sale", "days_since_last_sale",
                    "has_metadata", "price", "catalog_newness")
# Which channel a customer buys in (71% online on the H&M sample) holds from one window to the
# next, but the customer's and the article's online shares and their match as features moved the
# ratios by less than the ranker's seeds do (benchmarks/ranker_windows.py, 3 seeds x 5 windows:
# 1.12 / 1.37 / 1.20 against 1.10 / 1.37 / 1.25).
CUSTOMER_FEATURES = ("purchases", "purchases_28d", "days_since_last_purchase", "age", "usual_price")
PAIR_FEATURES = ("bought_before", "bought_product_before", "days_since_bought", "days_since_bought_product",
                 "price_vs_usual", "share_of_same_type", "share_of_same_index_group")
# What a customer's taste in kinds of garment is measured on: the share of their purchases of the
# candidate's product type, and of its index group (ladies, men, kids, ...).
TASTE_COLUMNS = ("product_type_name", "index_group_name")


class ContextFeatures:
    """Per-article and per-customer facts as of `until`, and the pair facts from history."""

    def __init__(self, data: TrainData):
        t = data.transactions
        catalog = data.catalog
        n_articles, n_customers = catalog.n_articles, catalog.n_customers
        age_days = ((np.datetime64(data.until) - t["t_dat"].values) / DAY).astype(np.float32)
        articles = t["article_idx"].values
        customers = t["customer_idx"].values

        def purchases_within(keys, n, days=np.inf):
            return np.bincount(keys[age_days <= days], minlength=n).astype(np.float32)

        last_price = np.full(n_articles, np.nan, np.float32)
        latest = t.groupby("article_idx")["price"].last()  # transactions are sorted by date
        last_price[latest.index.to_numpy()] = latest.to_numpy(np.float32)
        first = np.full(n_articles, np.nan, np.float32)
        last = np.full(n_articles, np.nan, np.float32)
        np.fmax.at(first, articles, age_days)
        np.fmin.at(last, articles, age_days)
        self.article = np.column_stack([
            purchases_within(articles, n_articles, 7),
            purchases_within(articles, n_articles, 28),
            purchases_within(articles, n_articles),
            first,
            last,
            catalog.articles["has_metadata"].to_numpy(np.float32),
            # what it last sold for before `until`: the catalog's own price column was set from
            # every purchase, the held-out ones too, and would tell the ranker what sells later.
            # An article not sold yet has none; estimating it (another colour's price, else its
            # product type's median) moved the five-window ratios by less than the ranker's seeds
            # do (benchmarks/ranker_windows.py: 1.14 / 1.37 / 1.24 against 1.10 / 1.37 / 1.25)
            last_price,
            # Where the products first sold in the last 56 days stand in the order of product
            # numbers (catalog_newness, below) is where the shop is launching now: a never-sold
            # article's distance from the nearest of them tells the ones that sell in the next 4
            # weeks (AUC 0.59-0.70 on the last five windows, where newness alone scores
            # 0.38-0.53), but as one more feature it moved the ratios by less than the ranker's
            # seeds do (benchmarks/ranker_windows.py, 3 seeds x 5 windows: 1.07 / 1.39 / 1.28
            # against 1.10 / 1.37 / 1.25), and so did 50 more never-sold proposals a customer from
            # it blended with taste, photo and text (1.08 / 1.40 / 1.24). The distance from what
            # the customer bought before tells less (AUC 0.51-0.63 per customer, with the other
            # colours of their own products left out: the baskets' variants propose those already).
            catalog_newness(catalog.articles["article_id"]),
        ])
        self.unlisted = data.unlisted()
        # once, not per scored batch: serving a known customer asks for it on every request
        self._never_sold = (self.article[:, ARTICLE_FEATURES.index("sold_all")] == 0) & ~self.unlisted
        since_last = np.full(n_customers, np.nan, np.float32)
        np.fmin.at(since_last, customers, age_days)
        ages = pd.to_numeric(catalog.customers.get("age", pd.Series(np.nan, index=catalog.customers.index)),
                             errors="coerce")
        self.customer = np.column_stack([
            purchases_within(customers, n_customers),
            purchases_within(customers, n_customers, 28),
            since_last,
            np.asarray(ages, np.float32),
            _mean_per(customers, t["price"].to_numpy(np.float64), n_customers),
        ])
        self.taste = [CustomerShares.from_purchases(data, column) for column in TASTE_COLUMNS]
        self.product_of = product_codes(catalog.articles["article_id"])
        # what customers buy again is mostly what they bought lately: how long ago, not only whether
        self.bought = PairCounts(customers, articles, n_articles, ages=age_days)
        self.bought_product = PairCounts(customers, self.product_of[articles], self.product_of.max(initial=-1) + 1,
                                         ages=age_days)

    def never_sold(self) -> np.ndarray:
        """Per article: listed, but nobody bought it before `until` (a new arrival, or stock that
        never sold)."""
        return self._never_sold

    def for_pairs(self, customers: np.ndarray, articles: np.ndarray) -> np.ndarray:
        """Rows of context features for each (customers[i], articles[i])."""
        with np.errstate(invalid="ignore", divide="ignore"):
            price_vs_usual = self.article[articles, ARTICLE_FEATURES.index("price")] / self.customer[
                customers, CUSTOMER_FEATURES.index("usual_price")]
        taste = [shares.of(customers, articles) for shares in self.taste]
        products = self.product_of[articles]
        return np.column_stack([
            self.article[articles],
            self.customer[customers],
            self.bought.of(customers, articles),
            (self.bought_product.of(customers, products) > 0).astype(np.float32),
            self.bought.days_since_last(customers, articles),
            self.bought_product.days_since_last(customers, products),
            price_vs_usual,
            *taste,
        ])

    @staticmethod
    def names() -> list[str]:
        return [*ARTICLE_FEATURES, *CUSTOMER_FEATURES, *PAIR_FEATURES]


def _mean_per(groups: np.ndarray, values: np.ndarray, n: int) -> np.ndarray:
    """Mean of `values` per group index (NaN for groups without any)."""
    counts = np.bincount(groups, minlength=n)
    with np.errstate(invalid="ignore"):
        return (np.bincount(groups, weights=values, minlength=n) / counts).astype(np.float32)
