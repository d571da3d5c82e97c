"""How much of what each customer bought has a given value of one article column (product type,
department, section...): the ranker's taste features and the taste model are both read from it."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import scipy.sparse as sp

from recommender.models.base import TrainData


class CustomerShares:
    """Per customer, their purchases counted by the value of one column of the bought article;
    an article that articles.csv does not describe has no value and is not counted.

    Counting an undescribed purchase by its predicted values instead (the probabilities of a
    classifier on the pre-trained CNN's features, which place a customer's never-sold purchases
    higher by department share: AUC 0.64-0.67 against 0.54-0.62 on the last five 4-week windows)
    moved the fused model's ratios by less than its ranker's seeds do and lowered the test
    window's new-article ratio (benchmarks/ranker_windows.py, 3 seeds x 5 windows: 1.11 / 1.40 /
    1.26 against 1.10 / 1.37 / 1.25; test window 1.09 / 1.30 / 0.91 against 1.11 / 1.38 / 1.14)."""

    def __init__(self, code: np.ndarray, counts: sp.csr_matrix):
        """`code`: the value's number per article (-1 where unknown); `counts`: customers x
        values."""
        self.code = code
        self.counts = counts
        self.totals = np.asarray(counts.sum(axis=1)).ravel()

    @classmethod
    def from_purchases(cls, data: TrainData, column: str) -> "CustomerShares":
        """Counted over `data`'s purchases; a catalog without `column` leaves every value unknown."""
        values = data.catalog.articles.get(column, pd.Series(np.nan, index=data.catalog.articles.index))
        code, uniques = pd.factorize(values)  # -1 where unknown
        t = data.transactions
        bought = code[t["article_idx"].to_numpy()]
        known = bought >= 0
        counts = sp.csr_matrix(
            (np.ones(int(known.sum()), np.float32), (t["customer_idx"].to_numpy()[known], bought[known])),
            shape=(data.catalog.n_customers, max(len(uniques), 1)),
        )
        counts.sum_duplicates()
        return cls(code, counts)

    def save(self, path: Path, stem: str) -> None:
        np.save(path / f"{stem}_codes.npy", self.code)
        sp.save_npz(path / f"{stem}_counts.npz", self.counts)

    @classmethod
    def load(cls, path: Path, stem: str) -> "CustomerShares":
        return cls(np.load(path / f"{stem}_codes.npy"), sp.load_npz(path / f"{stem}_counts.npz").tocsr())

    def of(self, customers: np.ndarray, articles: np.ndarray) -> np.ndarray:
        """The share for each pair (customers[i], articles[i]): NaN where the article's value is
        unknown or the customer bought nothing described."""
        codes = self.code[articles]
        out = np.full(len(customers), np.nan, np.float32)
        usable = (codes >= 0) & (self.totals[customers] > 0)
        if usable.any():
            hits = np.asarray(self.counts[customers[usable], codes[usable]]).ravel()
            out[usable] = hits / self.totals[customers[usable]]
        return out

    def of_every_article(self, customers: np.ndarray) -> np.ndarray:
        """Customers x articles: the share of each article's value, 0 where it is unknown or the
        customer bought nothing described."""
        per_value = self.counts[customers].toarray() / np.maximum(self.totals[customers], 1)[:, None]
        # float32 before the gather, which is the customers x articles copy
        per_value = np.column_stack([per_value, np.zeros(len(customers))]).astype(np.float32)
        return per_value[:, self.code]  # code -1 reads the appended zero column
