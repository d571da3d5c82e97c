"""Ranking metrics of the evaluation protocol (issue 3).

Every metric takes the customers' ranked recommendations (or scores) as rows aligned with
`actual`, the set of articles each of those customers bought in the held-out window. Customers
with nothing to find (an empty set) are left out of the mean rather than counted as zero, so the
figures mean "of the customers who bought something, how well was it found".
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np


def average_precision_at_k(recommended: Sequence[int], actual: set[int], k: int = 12) -> float:
    """Kaggle H&M AP@k: sum of precision@i at each hit i <= k, over min(|actual|, k)."""
    hits, total = 0, 0.0
    for i, article in enumerate(recommended[:k], start=1):
        if article in actual:
            hits += 1
            total += hits / i
    return total / min(len(actual), k)


def map_at_k(recommended: np.ndarray, actual: Sequence[set[int]], k: int = 12) -> float:
    """Mean AP@k over the customers who bought something (the competition's MAP@12)."""
    values = [average_precision_at_k(list(r), a, k) for r, a in zip(recommended, actual) if a]
    return float(np.mean(values)) if values else float("nan")


def recall_at_k(
    recommended: np.ndarray,
    actual: Sequence[set[int]],
    k: int,
    among: set[int] | None = None,
) -> float:
    """Mean share of each customer's bought articles found in their top k.

    With `among`, only bought articles in that set count (e.g. articles never sold before the
    window), and only customers who bought at least one of them are averaged.
    """
    values = []
    for row, bought in zip(recommended, actual):
        wanted = bought if among is None else bought & among
        if wanted:
            values.append(len(wanted.intersection(row[:k].tolist())) / len(wanted))
    return float(np.mean(values)) if values else float("nan")


def auc_per_pair(
    scores: np.ndarray,
    actual: Sequence[set[int]],
    negatives: int,
    rng: np.random.Generator,
) -> np.ndarray:
    """For each (customer, bought article) pair, the share of `negatives` sampled articles the
    customer did not buy in the window that score lower (ties count half), as in DVBPR.

    `scores` holds one row of scores over all articles per customer. Negatives are drawn
    uniformly, with replacement, from the articles outside the customer's window purchases.
    """
    n_articles = scores.shape[1]
    out = []
    for row, bought in zip(scores, actual):
        if not bought:
            continue
        positives = np.fromiter(bought, dtype=np.int64)
        sampled = _sample_outside(bought, n_articles, (len(positives), negatives), rng)
        pos, neg = row[positives][:, None], row[sampled]
        out.append(((neg < pos).mean(axis=1) + 0.5 * (neg == pos).mean(axis=1)))
    return np.concatenate(out) if out else np.zeros(0)


def auc_sampled(
    scores: np.ndarray,
    actual: Sequence[set[int]],
    negatives: int = 100,
    seed: int = 0,
) -> float:
    """Mean of `auc_per_pair` over all (customer, bought article) pairs."""
    pairs = auc_per_pair(scores, actual, negatives, np.random.default_rng(seed))
    return float(pairs.mean()) if len(pairs) else float("nan")


def _sample_outside(
    excluded: set[int], n: int, shape: tuple[int, int], rng: np.random.Generator
) -> np.ndarray:
    """Uniform draws from range(n) minus `excluded`; redraws the rare collisions."""
    if len(excluded) >= n:
        raise ValueError("every article was bought: no negatives to sample")
    drawn = rng.integers(0, n, size=shape)
    excluded_array = np.fromiter(excluded, dtype=np.int64)
    clash = np.isin(drawn, excluded_array)
    while clash.any():
        drawn[clash] = rng.integers(0, n, size=int(clash.sum()))
        clash = np.isin(drawn, excluded_array)
    return drawn
