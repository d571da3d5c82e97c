import numpy as np
import pytest

from recommender.evaluation.metrics import (
    auc_per_pair,
    auc_sampled,
    average_precision_at_k,
    average_precisions,
    bootstrap_interval,
    map_at_k,
    ratio_interval,
    recall_at_k,
    recalls,
)


def test_average_precision_sums_precision_at_each_hit_over_min_of_bought_and_k():
    # Hits at ranks 2 and 4: precision 1/2 and 2/4; three articles bought -> (0.5 + 0.5) / 3.
    assert average_precision_at_k([1, 2, 3, 4], {2, 4, 9}, k=12) == pytest.approx(1 / 3)
    # Three bought but k = 2: both slots hit, (1 + 1) / min(3, 2) = 1.
    assert average_precision_at_k([1, 2], {1, 2, 3}, k=2) == pytest.approx(1.0)
    # The only hit lies beyond k.
    assert average_precision_at_k([7, 8, 1], {1}, k=2) == 0.0


def test_map_averages_customers_who_bought_something():
    recommended = np.array([[1, 2, 3, 4], [5, 6, 7, 8], [1, 2, 3, 4]])
    actual = [{2, 4, 9}, {5}, set()]
    # (1/3 + 1) / 2: the third customer bought nothing and is left out.
    assert map_at_k(recommended, actual, k=12) == pytest.approx(2 / 3)


def test_recall_at_k_is_the_mean_share_of_bought_articles_found():
    recommended = np.array([[1, 2, 3], [4, 5, 6]])
    actual = [{1, 9}, {7}]
    # 1 of {1, 9} found, 0 of {7}: (1/2 + 0) / 2.
    assert recall_at_k(recommended, actual, k=2) == pytest.approx(0.25)
    # Article 3 is found only from k = 3 on.
    assert recall_at_k(recommended, [{3}, {4}], k=2) == pytest.approx(0.5)
    assert recall_at_k(recommended, [{3}, {4}], k=3) == pytest.approx(1.0)


def test_recall_among_counts_only_those_articles_and_their_buyers():
    recommended = np.array([[1, 2, 3], [4, 5, 6]])
    actual = [{1, 9}, {7}]
    # Only customer 0 bought article 1 and it was found; customer 1 drops out.
    assert recall_at_k(recommended, actual, k=3, among={1}) == pytest.approx(1.0)
    # Customer 0 wants {9}, customer 1 wants {7}: neither found.
    assert recall_at_k(recommended, actual, k=3, among={7, 9}) == 0.0
    assert np.isnan(recall_at_k(recommended, actual, k=3, among={42}))


def test_auc_is_one_for_the_top_article_and_zero_for_the_bottom_one():
    scores = np.array([[0.9, 0.1, 0.5, 0.4, 0.2]])
    assert auc_sampled(scores, [{0}], negatives=50) == 1.0
    assert auc_sampled(scores, [{1}], negatives=50) == 0.0


def test_auc_counts_ties_half_and_matches_the_exact_share_on_many_samples():
    # Bought article 2 (0.5) against {0: 0.9, 1: 0.1, 3: 0.5, 4: 0.2}: 2 lower, 1 tie, 1 higher,
    # so (2 + 0.5) / 4 = 0.625 in expectation.
    scores = np.array([[0.9, 0.1, 0.5, 0.5, 0.2]])
    assert auc_sampled(scores, [{2}], negatives=20000, seed=1) == pytest.approx(0.625, abs=0.01)


def test_auc_never_samples_the_customers_own_purchases_as_negatives():
    # Articles 0 and 1 were both bought and tie; any other article scores lower. If one bought
    # article were drawn as the other's negative, the tie would pull the AUC below 1.
    scores = np.array([[1.0, 1.0, 0.0]])
    pairs = auc_per_pair(scores, [{0, 1}], 200, np.random.default_rng(0))
    assert pairs.tolist() == [1.0, 1.0]


def test_auc_is_averaged_over_pairs_and_skips_customers_without_purchases():
    scores = np.array([[0.9, 0.1, 0.5], [0.9, 0.1, 0.5], [0.0, 0.0, 0.0]])
    # Customer 0 bought the top article (1.0), customer 1 the bottom one (0.0), customer 2 none.
    pairs = auc_per_pair(scores, [{0}, {1}, set()], 10, np.random.default_rng(0))
    assert pairs.tolist() == [1.0, 0.0]


def test_per_customer_metrics_mark_customers_with_nothing_to_find_as_nan():
    recommended = np.array([[1, 2, 3], [4, 5, 6], [7, 8, 9]])
    actual = [{2}, set(), {9, 10}]
    np.testing.assert_allclose(average_precisions(recommended, actual, k=12), [0.5, np.nan, 1 / 3 / 2])
    np.testing.assert_allclose(recalls(recommended, actual, k=3), [1.0, np.nan, 0.5])
    np.testing.assert_allclose(recalls(recommended, actual, k=3, among={10}), [np.nan, np.nan, 0.0])


def test_bootstrap_interval_holds_the_mean_narrows_with_more_customers_and_skips_nan():
    rng = np.random.default_rng(0)
    few = rng.random(50)
    low, high = bootstrap_interval(few)
    assert low < few.mean() < high
    many = rng.random(5000)
    many_low, many_high = bootstrap_interval(many)
    assert many_high - many_low < (high - low) / 5  # about sqrt(100) = 10 times narrower
    assert bootstrap_interval(np.full(40, 0.25)) == (0.25, 0.25)
    with_nan = np.concatenate([few, np.full(50, np.nan)])
    assert low - 0.05 < bootstrap_interval(with_nan)[0] < few.mean() < bootstrap_interval(with_nan)[1]
    assert np.isnan(bootstrap_interval(np.full(3, np.nan))).all()
    # the same seed resamples the same customers
    assert bootstrap_interval(few, seed=4) == bootstrap_interval(few, seed=4)


def test_ratio_interval_is_paired_over_the_same_customers():
    rng = np.random.default_rng(1)
    reference = rng.random(200)
    # twice the reference on every customer: the ratio is 2 on every resampling
    ratio, low, high = ratio_interval(2 * reference, reference)
    assert ratio == pytest.approx(2) and low == pytest.approx(2) and high == pytest.approx(2)
    # a small lift on the same customers is told apart from noise; the unpaired intervals overlap
    better = reference * 1.1 + rng.normal(0, 0.01, 200)
    ratio, low, high = ratio_interval(better, reference)
    assert 1.0 < low < ratio < high < 1.2
    assert bootstrap_interval(better)[0] < bootstrap_interval(reference)[1]
    # only customers counted by both
    with_nan = np.r_[reference, np.full(5, np.nan)]
    assert ratio_interval(np.r_[2 * reference, np.ones(5)], with_nan)[0] == pytest.approx(2)
    assert np.isnan(ratio_interval(reference, np.zeros(200))).all()
