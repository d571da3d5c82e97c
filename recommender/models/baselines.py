"""Baselines that only count purchases: what the project's visual, text and fused models must beat.

Each is a `Model` on its own. Non-personal ones give every customer the same row; personal ones
give a customer with no purchases before `until` the trending row, so no customer is ever left
without recommendations. None of them can recommend an article nobody bought before `until`
beyond a tie: that is the gap the image and text models are there to close.
"""

from __future__ import annotations

import pickle
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
import scipy.sparse as sp
from implicit.cpu.als import AlternatingLeastSquares
from implicit.cpu.bpr import BayesianPersonalizedRanking
from threadpoolctl import threadpool_limits

from recommender.catalog.store import Catalog
from recommender.models.base import Model, TrainData, top_k
from recommender.models.baskets import co_purchases, cosine_normalise
from recommender.models.trends import decay_weights
from recommender.models.variants import product_codes, variant_matrix

DAY = np.timedelta64(1, "D")


def customer_article_matrix(data: TrainData, half_life_days: float | None) -> sp.csr_matrix:
    """Customers x articles, each purchase adding its decayed weight (repeats add up)."""
    t = data.transactions
    shape = (data.catalog.n_customers, data.catalog.n_articles)
    weights = decay_weights(t["t_dat"], data.until, half_life_days).astype(np.float32)
    matrix = sp.csr_matrix((weights, (t["customer_idx"].values, t["article_idx"].values)), shape)
    matrix.sum_duplicates()
    return matrix


class _Baseline(Model):
    """Baselines hold only arrays, never the catalog, so a pickle is their whole saved state."""

    def save(self, path: Path) -> None:
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        Path(path).write_bytes(pickle.dumps(self))

    @classmethod
    def load(cls, path: Path, catalog: Catalog) -> "Model":
        model = pickle.loads(Path(path).read_bytes())
        if not isinstance(model, cls):
            raise TypeError(f"{path} holds a {type(model).__name__}, not a {cls.__name__}")
        return model


class TrendingDecayed(_Baseline):
    """Popularity with exponentially decayed weights (optionally within the last `window_days`),
    scaled to [0, 1] so personal models can put it after their own candidates.

    With `variant_weight`, an article also earns that share of its colour variants' popularity
    (same product code): that is how a new colour of a selling product gets in.
    """

    name = "trending"

    def __init__(
        self,
        half_life_days: float | None = 14.0,
        window_days: int | None = None,
        variant_weight: float = 0.3,
    ):
        self.half_life_days = half_life_days
        self.window_days = window_days
        self.variant_weight = variant_weight

    def fit(self, data: TrainData) -> "TrendingDecayed":
        t = data.transactions
        if self.window_days is not None:
            t = t[
                t["t_dat"].values >= np.datetime64(data.until - pd.Timedelta(days=self.window_days))
            ]
        weights = decay_weights(t["t_dat"], data.until, self.half_life_days)
        counts = np.bincount(t["article_idx"].values, weights, minlength=data.catalog.n_articles)
        if self.variant_weight:
            counts = counts + self.variant_weight * (catalog_variants(data.catalog) @ counts)
        self.article_scores = (counts / max(counts.max(), 1e-12)).astype(np.float32)
        return self

    def score(self, customers: np.ndarray, articles: np.ndarray | None = None) -> np.ndarray:
        row = self.article_scores if articles is None else self.article_scores[articles]
        return np.tile(row, (len(customers), 1))


class LastWeekPopularity(TrendingDecayed):
    """Plain counts of the last week before `until`."""

    name = "last-week-popularity"

    def __init__(self):
        super().__init__(half_life_days=None, window_days=7, variant_weight=0.0)


class _ThenTrending(_Baseline):
    """A personal candidate score, then trending for everything it leaves out.

    Subclasses give `_primary(customers)`: a non-negative (customers x articles) sparse matrix,
    zero where they have nothing to say. Articles with a primary score rank first (among them the
    higher first), the rest by trending; a customer with no primary scores gets the trending row.
    """

    def __init__(self, trending_half_life_days: float = 60.0, trending_variant_weight: float = 1.0):
        self.trending = TrendingDecayed(
            trending_half_life_days, variant_weight=trending_variant_weight
        )

    def fit(self, data: TrainData) -> "_ThenTrending":
        self.trending.fit(data)
        self._fit_primary(data)
        return self

    def score(self, customers: np.ndarray, articles: np.ndarray | None = None) -> np.ndarray:
        primary = self._primary(np.asarray(customers)).tocsr()
        scores = self.trending.score(customers, articles)
        # Trending lies in [0, 1]; primary scores are mapped per row into (2, 3], scaled by the
        # row's maximum over all articles so that a subset scores as it does in the full row.
        row_max = primary.max(axis=1).toarray().ravel()
        scaled = sp.diags(1.0 / np.where(row_max > 0, row_max, 1.0)) @ primary
        scaled = (scaled if articles is None else scaled[:, articles]).tocoo()
        positive = scaled.data > 0
        scores[scaled.row[positive], scaled.col[positive]] = 2.0 + scaled.data[positive]
        return scores

    def _fit_primary(self, data: TrainData) -> None:
        raise NotImplementedError

    def _primary(self, customers: np.ndarray) -> sp.spmatrix:
        raise NotImplementedError


class PastPurchasesThenTrending(_ThenTrending):
    """The customer's own purchases of the last `lookback_days`, by decayed count (recent and
    frequent first), then trending: the standard strong baseline of the H&M competition.

    With `variant_weight`, the other colours of what they bought (same product code) join their
    candidates at that share of the bought article's weight: customers often buy a second colour.
    """

    name = "past-purchases+trending"

    def __init__(
        self,
        half_life_days: float = 90.0,
        lookback_days: int | None = 365,
        variant_weight: float = 0.3,
        trending_half_life_days: float = 60.0,
        trending_variant_weight: float = 1.0,
    ):
        super().__init__(trending_half_life_days, trending_variant_weight)
        self.half_life_days = half_life_days
        self.lookback_days = lookback_days
        self.variant_weight = variant_weight

    def _fit_primary(self, data: TrainData) -> None:
        bought = customer_article_matrix(_recent(data, self.lookback_days), self.half_life_days)
        if self.variant_weight:
            bought = bought + self.variant_weight * (bought @ catalog_variants(data.catalog))
        self.bought = bought.tocsr()

    def _primary(self, customers: np.ndarray) -> sp.spmatrix:
        return self.bought[customers]


class ItemCoPurchase(_ThenTrending):
    """Articles bought by the same customers within `window_days` of each other, scored from the
    customer's own purchases (recent ones weigh more), then trending.

    Co-purchase counts are divided by the square root of both articles' purchase counts, so that
    best-sellers do not become everyone's neighbour.
    """

    name = "item-co-purchase"

    def __init__(
        self,
        window_days: int = 60,
        half_life_days: float = 30.0,
        trending_half_life_days: float = 60.0,
        trending_variant_weight: float = 1.0,
    ):
        super().__init__(trending_half_life_days, trending_variant_weight)
        self.window_days = window_days
        self.half_life_days = half_life_days

    def _fit_primary(self, data: TrainData) -> None:
        self.bought = customer_article_matrix(data, self.half_life_days)
        self.co = co_purchase_matrix(data, self.window_days)

    def _primary(self, customers: np.ndarray) -> sp.spmatrix:
        return self.bought[customers] @ self.co

    def similar_items(self, article: int, k: int) -> np.ndarray:
        row = self.co[article].toarray()
        found = min(k, self.co[article].nnz)
        return top_k(row, k)[0][:found]


def co_purchase_matrix(data: TrainData, window_days: int) -> sp.csr_matrix:
    """Articles x articles: how many customers bought both within `window_days`, normalised by
    the square root of each article's purchase days."""
    n = data.catalog.n_articles
    bought = data.transactions[["customer_idx", "article_idx", "t_dat"]].drop_duplicates()
    counts = co_purchases(data.transactions, n, window_days)
    return cosine_normalise(counts, np.bincount(bought["article_idx"].values, minlength=n))


def catalog_variants(catalog: Catalog) -> sp.csr_matrix:
    """The colour variants of every article in the catalog (see `variants.py`)."""
    return variant_matrix(product_codes(catalog.articles["article_id"]))


def _recent(data: TrainData, lookback_days: int | None) -> TrainData:
    if lookback_days is None:
        return data
    since = np.datetime64(data.until - pd.Timedelta(days=lookback_days))
    return TrainData(
        data.catalog, data.transactions[data.transactions["t_dat"].values >= since], data.until
    )


class _Factorization(_Baseline):
    """A benfred/implicit matrix factorisation of decayed purchase weights; customers without
    purchases before `until` get the trending row."""

    def __init__(self, half_life_days: float, seed: int):
        self.half_life_days = half_life_days
        # The fallback of the personal models, as validated for PastPurchasesThenTrending.
        self.trending = TrendingDecayed(60.0, variant_weight=1.0)
        self.seed = seed

    def fit(self, data: TrainData) -> "_Factorization":
        self.trending.fit(data)
        matrix = customer_article_matrix(data, self.half_life_days)
        self.known = np.diff(matrix.indptr) > 0
        # implicit parallelises itself; a BLAS thread pool inside its threads only slows it down.
        with threadpool_limits(1, "blas"):
            learner = self._learner()
            learner.fit(matrix, show_progress=False)
        self.customer_factors = np.asarray(learner.user_factors)
        self.article_factors = np.asarray(learner.item_factors)
        return self

    def score(self, customers: np.ndarray, articles: np.ndarray | None = None) -> np.ndarray:
        customers = np.asarray(customers)
        items = self.article_factors if articles is None else self.article_factors[articles]
        scores = self.customer_factors[customers] @ items.T
        cold = ~self.known[customers]
        scores[cold] = self.trending.score(customers[cold], articles)
        return scores

    def similar_items(self, article: int, k: int) -> np.ndarray:
        items = self.article_factors / np.maximum(
            np.linalg.norm(self.article_factors, axis=1, keepdims=True), 1e-12
        )
        return top_k((items @ items[article])[None, :], k + 1)[0][1:]

    def _learner(self):
        raise NotImplementedError


class ImplicitALS(_Factorization):
    """Weighted ALS (Hu, Koren, Volinsky 2008) on decayed purchase weights."""

    name = "implicit-als"

    def __init__(
        self,
        factors: int = 64,
        regularization: float = 0.05,
        alpha: float = 40.0,
        iterations: int = 15,
        half_life_days: float = 90.0,
        seed: int = 0,
    ):
        super().__init__(half_life_days, seed)
        self.factors, self.regularization = factors, regularization
        self.alpha, self.iterations = alpha, iterations

    def _learner(self):
        return AlternatingLeastSquares(
            factors=self.factors,
            regularization=self.regularization,
            alpha=self.alpha,
            iterations=self.iterations,
            random_state=self.seed,
            num_threads=2,
        )


class ImplicitBPR(_Factorization):
    """BPR (Rendle et al. 2009) on which articles each customer bought; one thread, so that the
    seed fixes the result (implicit's multi-threaded SGD is not deterministic)."""

    name = "implicit-bpr"

    def __init__(
        self,
        factors: int = 64,
        learning_rate: float = 0.05,
        regularization: float = 0.01,
        iterations: int = 100,
        half_life_days: float = 90.0,
        seed: int = 0,
    ):
        super().__init__(half_life_days, seed)
        self.factors, self.learning_rate = factors, learning_rate
        self.regularization, self.iterations = regularization, iterations

    def _learner(self):
        return BayesianPersonalizedRanking(
            factors=self.factors,
            learning_rate=self.learning_rate,
            regularization=self.regularization,
            iterations=self.iterations,
            random_state=self.seed,
            num_threads=1,
        )


def baseline_factories() -> dict[str, Callable[[], Model]]:
    """Every baseline with its tuned settings, by name, as factories for `evaluation.evaluate`."""
    return {
        "last-week popularity": LastWeekPopularity,
        "trending (decayed)": TrendingDecayed,
        "past purchases + trending": PastPurchasesThenTrending,
        "item co-purchase": ItemCoPurchase,
        "implicit ALS": ImplicitALS,
        "implicit BPR": ImplicitBPR,
    }
