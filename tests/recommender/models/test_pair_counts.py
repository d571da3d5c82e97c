import numpy as np

from recommender.models.pair_counts import PairCounts


def test_counts_each_customer_and_key_pair_and_zero_for_pairs_never_seen():
    # customer 0 bought key 2 twice and key 0 once; customer 3 bought key 0
    counts = PairCounts(np.array([0, 3, 0, 0]), np.array([2, 0, 0, 2]), n_keys=3)
    assert counts.of(np.array([0, 0, 3, 3, 0, 1, 9]), np.array([2, 0, 0, 2, 1, 0, 2])).tolist() == [
        2, 1, 1, 0, 0, 0, 0]


def test_a_customer_and_key_never_pass_for_another_customers_pair():
    # with keys packed as customer * n_keys + key, (1, 0) and (0, 5) would collide if n_keys were 5
    counts = PairCounts(np.array([0]), np.array([5]), n_keys=6)
    assert counts.of(np.array([1, 0]), np.array([0, 5])).tolist() == [0, 1]


def test_no_purchases_count_nothing():
    counts = PairCounts(np.array([], np.int64), np.array([], np.int64), n_keys=4)
    assert counts.of(np.array([0, 2]), np.array([1, 3])).tolist() == [0, 0]


def test_days_since_last_is_the_latest_purchase_of_the_pair_and_unknown_where_never():
    # customer 0 bought key 2 forty and five days before the cut, key 0 ten days before
    counts = PairCounts(np.array([0, 0, 0]), np.array([2, 2, 0]), n_keys=3, ages=np.array([40.0, 5.0, 10.0]))
    days = counts.days_since_last(np.array([0, 0, 0, 1]), np.array([2, 0, 1, 2]))
    assert days[:2].tolist() == [5.0, 10.0]
    assert np.isnan(days[2:]).all()
