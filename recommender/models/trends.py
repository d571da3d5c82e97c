"""What is selling now: time-decayed popularity, overall, per age band and per section.

A purchase counts 0.5 ** (age in days / half_life), so an article first sold last week can outrank
one that sold steadily for a year: the trend is the recent days, not the cumulative history.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import scipy.sparse as sp

from recommender.catalog.wearers import wearer_groups
from recommender.models.base import Model, TrainData, top_k

# Upper edges of the age bands: <25, 25-34, 35-44, 45-54, 55+.
AGE_EDGES = (25, 35, 45, 55)
AGE_BAND_NAMES = ("<25", "25-34", "35-44", "45-54", "55+")
SECTION_COLUMNS = ("index_group_name", "section_name")


def decay_weights(
    dates: pd.Series | np.ndarray, until: pd.Timestamp, half_life: float | None
) -> np.ndarray:
    """0.5 ** (days before `until` / half_life): a purchase on the eve of `until` weighs ~1.
    Every purchase weighs 1 when `half_life` is None."""
    if half_life is None:
        return np.ones(len(dates), dtype=np.float32)
    days = np.datetime64(pd.Timestamp(until)) - np.asarray(dates, dtype="datetime64[ns]")
    days = days / np.timedelta64(1, "D")
    return np.power(0.5, np.maximum(days - 1.0, 0.0) / half_life).astype(np.float32)


def decayed_purchases(
    transactions: pd.DataFrame,
    n_customers: int,
    n_articles: int,
    until: pd.Timestamp,
    half_life: float,
) -> sp.csr_matrix:
    """Customers x articles, each cell the decayed count of that customer's purchases of it."""
    weights = decay_weights(transactions["t_dat"], until, half_life)
    matrix = sp.csr_matrix(
        (
            weights,
            (transactions["customer_idx"].to_numpy(), transactions["article_idx"].to_numpy()),
        ),
        shape=(n_customers, n_articles),
        dtype=np.float32,
    )
    matrix.sum_duplicates()
    return matrix


def age_bands(ages: pd.Series | np.ndarray) -> np.ndarray:
    """Band number per age (0 = "<25" ... 4 = "55+"), -1 where the age is unknown."""
    ages = np.asarray(pd.to_numeric(pd.Series(ages), errors="coerce"), dtype=float)
    bands = np.searchsorted(np.asarray(AGE_EDGES, dtype=float), ages, side="right")
    return np.where(np.isnan(ages), -1, bands)


def _share(counts: np.ndarray) -> np.ndarray:
    """Counts as shares of their total, so that bands with few shoppers weigh like big ones."""
    total = counts.sum()
    return counts / total if total > 0 else counts


class Trends(Model):
    """Decayed popularity; a customer gets their age band's trend blended with the overall one."""

    name = "trends"

    def __init__(self, half_life: float = 14.0, band_weight: float = 0.1):
        self.half_life = half_life
        self.band_weight = band_weight

    def fit(self, data: TrainData) -> "Trends":
        catalog = data.catalog
        matrix = decayed_purchases(
            data.transactions, catalog.n_customers, catalog.n_articles, data.until, self.half_life
        )
        self.customer_bands = (
            age_bands(catalog.customers["age"])
            if "age" in catalog.customers
            else np.full(catalog.n_customers, -1)
        )
        self.overall = _share(np.asarray(matrix.sum(axis=0)).ravel())
        self.by_band = np.stack(
            [
                _share(np.asarray(matrix[self.customer_bands == b].sum(axis=0)).ravel())
                for b in range(len(AGE_BAND_NAMES))
            ]
        ).astype(np.float32)
        self._attach(catalog)
        return self

    def _attach(self, catalog) -> None:
        self.sections = {
            c: catalog.articles[c].to_numpy() for c in SECTION_COLUMNS if c in catalog.articles
        }
        # what sells now for women takes in Divided and Ladies H&M Sport too, as the search does
        self.sections["wearer_group"] = wearer_groups(catalog.articles)

    def band_trend(self, band: int) -> np.ndarray:
        """The trend a shopper of this band sees (overall when the band is unknown or empty)."""
        if band < 0 or not self.by_band[band].any():
            return self.overall
        return self.band_weight * self.by_band[band] + (1 - self.band_weight) * self.overall

    def score(self, customers: np.ndarray, articles: np.ndarray | None = None) -> np.ndarray:
        bands = self.customer_bands[np.asarray(customers)]
        table = np.stack([self.band_trend(b) for b in range(-1, len(AGE_BAND_NAMES))])
        scores = table[bands + 1]
        return scores if articles is None else scores[:, np.asarray(articles)]

    def trending(self, k: int, section: str | None = None, age: float | None = None) -> np.ndarray:
        """The k articles selling most now, for a shopper of this age (if known), within the
        index group or section named `section` (if given); best first."""
        band = int(age_bands([age])[0]) if age is not None else -1
        scores = self.band_trend(band)
        candidates = np.flatnonzero(scores > 0)
        if section is not None:
            in_section = np.zeros(len(scores), dtype=bool)
            for values in self.sections.values():
                in_section |= values == section
            candidates = candidates[in_section[candidates]]
        if len(candidates) == 0:
            return np.zeros(0, dtype=np.int64)
        return top_k(scores[candidates][None, :], k, candidates)[0]

    def save(self, path: Path) -> None:
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        np.savez(
            path / "trends.npz",
            overall=self.overall,
            by_band=self.by_band,
            customer_bands=self.customer_bands,
        )
        (path / "trends.json").write_text(
            json.dumps({"half_life": self.half_life, "band_weight": self.band_weight})
        )

    @classmethod
    def load(cls, path: Path, catalog) -> "Trends":
        path = Path(path)
        model = cls(**json.loads((path / "trends.json").read_text()))
        arrays = np.load(path / "trends.npz")
        model.overall, model.by_band, model.customer_bands = (
            arrays["overall"],
            arrays["by_band"],
            arrays["customer_bands"],
        )
        model._attach(catalog)
        return model
