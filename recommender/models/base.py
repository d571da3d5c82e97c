"""The one small face every model shows (in the spirit of benfred/implicit): fit, score, recommend,
similar items, save and load. Customers and articles are the catalog's row indices throughout."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from recommender.catalog.store import Catalog


@dataclass
class TrainData:
    """What a model may learn from: the whole catalog (articles, photos, customers) but only the
    purchases before `until`, so that evaluation never leaks the window it scores."""

    catalog: Catalog
    transactions: pd.DataFrame
    until: pd.Timestamp

    @classmethod
    def before(cls, catalog: Catalog, until=None) -> "TrainData":
        """Purchases strictly before `until`; everything ingested when `until` is None."""
        if until is None:
            until = catalog.transactions["t_dat"].max() + pd.Timedelta(days=1)
        until = pd.Timestamp(until)
        return cls(catalog, catalog.transactions_between(end=until), until)

    def sold(self) -> np.ndarray:
        """Per article: bought at least once before `until`."""
        return np.bincount(self.transactions["article_idx"].to_numpy(np.int64), minlength=self.catalog.n_articles) > 0

    def unlisted(self) -> np.ndarray:
        """Per article: known to the catalog only from purchases on or after `until` (no
        description, no earlier sale). A sample cut from purchases, as the H&M one is, holds an
        undescribed article only because someone bought it, so before its first sale the shop's
        list would not have shown it, and a model that proposes it is told what sells next: on the
        H&M sample, every one of the 133 such articles at the last 4 weeks' cut sells in them."""
        described = self.catalog.articles.get("has_metadata", pd.Series(True, index=self.catalog.articles.index))
        return ~described.to_numpy(bool) & ~self.sold()


class Model:
    """Subclasses implement `fit` and `score`; the rest follows from them."""

    name = "model"

    def fit(self, data: TrainData) -> "Model":
        raise NotImplementedError

    def score(self, customers: np.ndarray, articles: np.ndarray | None = None) -> np.ndarray:
        """Scores of shape (len(customers), len(articles)); all articles when `articles` is None.
        Higher is better. Non-personal models return the same row for every customer."""
        raise NotImplementedError

    def recommend(
        self,
        customers: np.ndarray,
        k: int,
        articles: np.ndarray | None = None,
        batch_size: int = 1024,
    ) -> np.ndarray:
        """Top-k article indices per customer, best first, shape (len(customers), k)."""
        customers = np.asarray(customers)
        candidates = None if articles is None else np.asarray(articles)
        out = []
        for start in range(0, len(customers), batch_size):
            scores = self.score(customers[start : start + batch_size], candidates)
            out.append(top_k(scores, k, candidates))
        if not out:
            return np.zeros((0, k), dtype=np.int64)
        return np.concatenate(out)

    def similar_items(self, article: int, k: int) -> np.ndarray:
        raise NotImplementedError(f"{self.name} has no notion of item similarity")

    def save(self, path: Path) -> None:
        raise NotImplementedError

    @classmethod
    def load(cls, path: Path, catalog: Catalog) -> "Model":
        raise NotImplementedError


def top_k(scores: np.ndarray, k: int, candidates: np.ndarray | None = None) -> np.ndarray:
    """Indices of the k best columns per row, best first; mapped through `candidates` if given."""
    k = min(k, scores.shape[1])
    part = np.argpartition(-scores, k - 1, axis=1)[:, :k]
    order = np.take_along_axis(scores, part, axis=1).argsort(axis=1)[:, ::-1]
    best = np.take_along_axis(part, order, axis=1)
    return best if candidates is None else candidates[best]
