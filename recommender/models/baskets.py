"""Baskets: what is bought together, the other colours of the same product, and what completes
a look.

Two articles are bought together when one customer buys both within `window_days` of each other
(a basket spread over a few days still is one outfit). Pair counts are normalised as cosine
(co-buyers / sqrt(buyers of a * buyers of b)), so that best-sellers do not pair with everything.
Colour variants come from `variants.py`.
"""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import numpy as np
import pandas as pd
import scipy.sparse as sp

from recommender.catalog.wearers import wearers
from recommender.models.base import Model, TrainData
from recommender.models.trends import decay_weights, decayed_purchases
from recommender.models.variants import product_codes, variant_matrix

# Product groups that go with an outfit rather than make it.
ACCESSORY_GROUPS = ("Accessories", "Shoes", "Bags", "Socks & Tights")


def co_purchases(transactions: pd.DataFrame, n_articles: int, window_days: int) -> sp.csr_matrix:
    """Articles x articles: how many customers bought both within `window_days` of each other."""
    bought = transactions[["customer_idx", "article_idx", "t_dat"]].drop_duplicates()
    pairs = bought.merge(bought, on="customer_idx", suffixes=("_a", "_b"))
    apart = (pairs["t_dat_a"] - pairs["t_dat_b"]).abs() <= pd.Timedelta(days=window_days)
    pairs = pairs[apart & (pairs["article_idx_a"] != pairs["article_idx_b"])]
    pairs = pairs[["customer_idx", "article_idx_a", "article_idx_b"]].drop_duplicates()
    counts = sp.csr_matrix(
        (np.ones(len(pairs), dtype=np.float32), (pairs["article_idx_a"], pairs["article_idx_b"])),
        shape=(n_articles, n_articles),
    )
    counts.sum_duplicates()
    return counts


def cosine_normalise(counts: sp.csr_matrix, buyers: np.ndarray) -> sp.csr_matrix:
    """counts[a, b] / sqrt(buyers[a] * buyers[b])."""
    inverse = sp.diags(1.0 / np.sqrt(np.maximum(buyers, 1.0)).astype(np.float32))
    return (inverse @ counts @ inverse).tocsr()


class Baskets(Model):
    """Bought-together pairs and colour variants; as a Model, what goes with a customer's recent
    purchases (their co-purchases plus the other colours of what they bought)."""

    name = "baskets"

    def __init__(
        self,
        window_days: int = 3,
        half_life: float = 30.0,
        variant_weight: float = 1.0,
        popularity_half_life: float = 14.0,
    ):
        self.window_days = window_days
        self.half_life = half_life
        self.variant_weight = variant_weight
        self.popularity_half_life = popularity_half_life

    def fit(self, data: TrainData) -> "Baskets":
        catalog, t = data.catalog, data.transactions
        buyers = np.bincount(
            t.drop_duplicates(["customer_idx", "article_idx"])["article_idx"],
            minlength=catalog.n_articles,
        ).astype(np.float32)
        self.pairs = cosine_normalise(co_purchases(t, catalog.n_articles, self.window_days), buyers)
        self.history = decayed_purchases(
            t, catalog.n_customers, catalog.n_articles, data.until, self.half_life
        )
        weights = decay_weights(t["t_dat"], data.until, self.popularity_half_life)
        self.popularity = np.bincount(
            t["article_idx"], weights=weights, minlength=catalog.n_articles
        )
        self._attach(catalog)
        return self

    def _attach(self, catalog) -> None:
        articles = catalog.articles
        self.codes = product_codes(articles["article_id"])
        self.variants = variant_matrix(self.codes)
        self.groups = articles["product_group_name"].to_numpy(dtype=object)
        # once, not per "complete the look" request: a pass over every article's group
        self.accessory = np.isin(self.groups, ACCESSORY_GROUPS)
        self.described_garment = ~self.accessory & ~pd.isna(self.groups)
        self.wearers = wearers(articles)
        self.related = (self.pairs + self.variant_weight * self.variants).tocsr()

    def bought_together(self, article: int, k: int) -> tuple[np.ndarray, np.ndarray]:
        """The k articles most often bought with `article`, best first, and their cosine scores."""
        row = self.pairs[article]
        order = np.argsort(-row.data, kind="stable")[:k]
        return row.indices[order].astype(np.int64), row.data[order]

    def colour_variants(self, article: int) -> np.ndarray:
        """Other articles of the same product (other colours), best-selling first."""
        others = self.variants[article].indices
        return others[np.argsort(-self.popularity[others], kind="stable")].astype(np.int64)

    def complete_the_look(self, article: int, k: int, complementary_only: bool = False) -> np.ndarray:
        """Up to k articles that go with `article`: bought-together articles of other product
        groups worn by the same kind of person (never more of the same kind, nor another colour
        of it, nor a child's piece with a man's), then popular accessories for the same wearer;
        for an accessory, popular garments instead.

        `complementary_only` keeps to that complementary kind throughout: at checkout a dress
        wants a belt or shoes, not the trousers others bought with it. One colour of a piece
        at most: a look is made of different pieces, not one bag in three colours."""
        together, _ = self.bought_together(article, self.pairs[article].nnz)
        complement = self.complementary_kind(article)
        bought_with = (a for a in together if self._completes(article, a) and (complement[a] or not complementary_only))
        picks, products = [], {self.codes[article]}
        for other in itertools.chain(bought_with, self._fallback(article, complement)):
            if len(picks) == k:
                break
            if self.codes[other] not in products:
                picks.append(other)
                products.add(self.codes[other])
        return np.asarray(picks, dtype=np.int64)

    def _completes(self, article: int, other: int) -> bool:
        group, other_group = self.groups[article], self.groups[other]
        if self.codes[article] == self.codes[other] or not self._same_wearer(article, other):
            return False
        return pd.isna(group) or (not pd.isna(other_group) and other_group != group)

    def _same_wearer(self, article: int, other: int) -> bool:
        """Whether one person could wear both, as far as the catalog says (bought together may
        be a family's basket: a dad's belt with a daughter's dress)."""
        wearer, other_wearer = self.wearers[article], self.wearers[other]
        return wearer is None or other_wearer is None or wearer == other_wearer

    def complementary_kind(self, article: int) -> np.ndarray:
        """Which articles are of the kind that completes `article`: accessories for a garment
        (or an article of unknown group), described garments for an accessory."""
        return self.described_garment if self.accessory[article] else self.accessory

    def _fallback(self, article: int, complement: np.ndarray) -> np.ndarray:
        """Best-selling articles of the complementary kind (`complement`, the article's), for the
        same wearer if known."""
        wanted = complement.copy()
        if self.wearers[article] is not None:
            wanted &= self.wearers == self.wearers[article]
        candidates = np.flatnonzero(wanted & (self.popularity > 0))
        return candidates[np.argsort(-self.popularity[candidates], kind="stable")]

    def score(self, customers: np.ndarray, articles: np.ndarray | None = None) -> np.ndarray:
        related = self.related if articles is None else self.related[:, np.asarray(articles)]
        return (self.history[np.asarray(customers)] @ related).toarray()

    def similar_items(self, article: int, k: int) -> np.ndarray:
        row = self.related[article]
        return row.indices[np.argsort(-row.data, kind="stable")[:k]].astype(np.int64)

    def save(self, path: Path) -> None:
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        sp.save_npz(path / "pairs.npz", self.pairs)
        sp.save_npz(path / "history.npz", self.history)
        np.save(path / "popularity.npy", self.popularity)
        config = {
            "window_days": self.window_days,
            "half_life": self.half_life,
            "variant_weight": self.variant_weight,
            "popularity_half_life": self.popularity_half_life,
        }
        (path / "baskets.json").write_text(json.dumps(config))

    @classmethod
    def load(cls, path: Path, catalog) -> "Baskets":
        path = Path(path)
        model = cls(**json.loads((path / "baskets.json").read_text()))
        model.pairs = sp.load_npz(path / "pairs.npz").tocsr()
        model.history = sp.load_npz(path / "history.npz").tocsr()
        model.popularity = np.load(path / "popularity.npy")
        model._attach(catalog)
        return model
