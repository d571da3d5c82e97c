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
    return mean_counted(average_precisions(recommended, actual, k))


def average_precisions(recommended: np.ndarray, actual: Sequence[set[int]], k: int = 12) -> np.ndarray:
    """AP@k of each customer; NaN for those who bought nothing (they have nothing to find)."""
    return np.array(
        [average_precision_at_k(list(r), a, k) if a else np.nan for r, a in zip(recommended, actual)],
        dtype=np.float64,
    )


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
    return mean_counted(recalls(recommended, actual, k, among))


def recalls(
    recommended: np.ndarray,
    actual: Sequence[set[int]],
    k: int,
    among: set[int] | None = None,
) -> np.ndarray:
    """Each customer's share of bought articles (of those in `among`) found in their top k; NaN
    for customers with none to find."""
    values = np.full(len(actual), np.nan)
    for i, (row, bought) in enumerate(zip(recommended, actual)):
        wanted = bought if among is None else bought & among
        if wanted:
            values[i] = len(wanted.intersection(row[:k].tolist())) / len(wanted)
    return values


def bootstrap_interval(
    values: np.ndarray, rounds: int = 1000, level: float = 0.95, seed: int = 0
) -> tuple[float, float]:
    """Percentile interval of the mean of per-customer `values` (NaN: not counted) over
    `rounds` resamplings of the customers with replacement.

    A few hundred buyers make every figure noisy; this says how noisy. The same seed draws the
    same resamplings for every model of a window, so their intervals are comparable.
    """
    values = np.asarray(values, dtype=np.float64)
    if not np.isfinite(values).any():
        return float("nan"), float("nan")
    return _percentiles(_resampled_means([values], rounds, seed)[:, 0], level)


def ratio_interval(
    values: np.ndarray, reference: np.ndarray, rounds: int = 1000, level: float = 0.95, seed: int = 0
) -> tuple[float, float, float]:
    """The ratio of two models' means over the customers counted by both, and its percentile
    interval when the same customers are resampled for both (paired: far narrower than the two
    figures' own intervals, since a customer easy for one model is mostly easy for the other)."""
    values, reference = (np.asarray(v, dtype=np.float64) for v in (values, reference))
    both = np.isfinite(values) & np.isfinite(reference)
    if not both.any() or reference[both].sum() == 0:
        return float("nan"), float("nan"), float("nan")
    means = _resampled_means([values[both], reference[both]], rounds, seed)
    with np.errstate(invalid="ignore", divide="ignore"):
        ratios = means[:, 0] / means[:, 1]
    ratios[~np.isfinite(ratios)] = np.nan  # a resampling without any hit of the reference
    return (float(values[both].mean() / reference[both].mean()), *_percentiles(ratios, level))


def _resampled_means(arrays: list[np.ndarray], rounds: int, seed: int) -> np.ndarray:
    """(rounds, len(arrays)): the mean of each array's counted values on each resampling of
    its positions, the same positions for every array."""
    rng = np.random.default_rng(seed)
    n = len(arrays[0])
    means = []
    for start in range(0, rounds, 100):  # in slices, so a large window needs little memory
        draws = rng.integers(0, n, size=(min(100, rounds - start), n))
        columns = []
        for values in arrays:
            picked = values[draws]
            counted = np.isfinite(picked)
            with np.errstate(invalid="ignore"):
                columns.append(np.where(counted, picked, 0).sum(axis=1) / counted.sum(axis=1))
        means.append(np.column_stack(columns))
    return np.concatenate(means)


def _percentiles(values: np.ndarray, level: float) -> tuple[float, float]:
    tail = (1 - level) / 2 * 100
    low, high = np.nanpercentile(values, [tail, 100 - tail])
    return float(low), float(high)


def mean_counted(values: np.ndarray) -> float:
    """The mean of the values that count (not NaN); NaN when none does."""
    return float(np.nanmean(values)) if np.isfinite(values).any() else float("nan")


def auc_per_pair(
    scores: np.ndarray,
    actual: Sequence[set[int]],
    negatives: int,
    rng: np.random.Generator,
    unreachable: np.ndarray | None = None,
) -> np.ndarray:
    """For each (customer, bought article) pair, the share of `negatives` sampled articles the
    customer did not buy in the window that score lower (ties count half), as in DVBPR.

    `scores` holds one row of scores over all articles per customer. Negatives are drawn
    uniformly, with replacement, from the articles outside the customer's window purchases.
    Articles flagged `unreachable` (no model could have shown them) are neither positives nor
    negatives.
    """
    n_articles = scores.shape[1]
    excluded_everywhere = set() if unreachable is None else set(np.flatnonzero(unreachable).tolist())
    out = []
    for row, bought in zip(scores, actual):
        positives = np.fromiter(set(bought) - excluded_everywhere, dtype=np.int64)
        if not len(positives):
            continue
        sampled = _sample_outside(set(bought) | excluded_everywhere, n_articles, (len(positives), negatives), rng)
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
