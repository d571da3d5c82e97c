import numpy as np

from recommender.ranking.merge import (
    NEVER_SOLD,
    SOLD_BEFORE,
    HitRateMerge,
    article_kinds,
    places_within_kind,
)


def test_article_kinds_tell_sold_before_from_never_sold():
    kinds = article_kinds(sold_before=np.array([3, 0, 0, 1]))
    assert kinds.tolist() == [SOLD_BEFORE, NEVER_SOLD, NEVER_SOLD, SOLD_BEFORE]


def test_places_count_within_each_customer_and_kind_best_score_first():
    rows = np.array([0, 0, 0, 0, 1, 1])
    kinds = np.array([0, 1, 0, 1, 0, 0])
    scores = np.array([0.1, 0.9, 0.5, 0.2, 3.0, 4.0])
    assert places_within_kind(rows, kinds, scores).tolist() == [1, 0, 0, 1, 1, 0]


def planted_windows(n_customers=400, per_kind=10, seed=0, sold_rate=0.02, new_top_rate=0.3):
    """Each customer has 10 sold-before and 10 new candidates, ranker scores favouring the sold
    ones; but new candidates at the top of their kind were bought far more often (unless the
    rates say otherwise)."""
    rng = np.random.default_rng(seed)
    rows = np.repeat(np.arange(n_customers), 2 * per_kind)
    kinds = np.tile(np.r_[np.zeros(per_kind, int), np.full(per_kind, NEVER_SOLD)], n_customers)
    place = np.tile(np.r_[np.arange(per_kind), np.arange(per_kind)], n_customers)
    scores = np.where(kinds == SOLD_BEFORE, 10.0, 0.0) - place
    hit_rate = np.where(kinds == SOLD_BEFORE, sold_rate, np.where(place < 5, new_top_rate, 0.01))
    return rows, kinds, scores, (rng.random(len(rows)) < hit_rate).astype(float)


def test_the_merge_puts_a_kind_first_where_its_places_bought_more():
    rows, kinds, scores, bought = planted_windows()
    merge = HitRateMerge().fit(rows, kinds, scores, bought)
    assert merge.rates[NEVER_SOLD, 0] > 0.2 > merge.rates[SOLD_BEFORE, 0]
    assert (np.diff(merge.rates, axis=1) <= 0).all()

    one = rows == 0
    merged = merge.scores(rows[one], kinds[one], scores[one])
    order = np.argsort(-merged)
    # the 5 best new candidates first, in the ranker's order, then the rest
    assert kinds[one][order[:5]].tolist() == [NEVER_SOLD] * 5
    assert scores[one][order[:5]].tolist() == sorted(scores[one][order[:5]], reverse=True)
    sold = order[kinds[one][order] == SOLD_BEFORE]
    assert scores[one][sold].tolist() == sorted(scores[one][sold], reverse=True)


def test_without_any_difference_in_hit_rates_the_ranker_order_stands():
    rows, kinds, scores, _ = planted_windows()
    merge = HitRateMerge().fit(rows, kinds, scores, np.zeros(len(rows)))
    one = rows == 0
    assert np.argsort(-merge.scores(rows[one], kinds[one], scores[one])).tolist() == np.argsort(-scores[one]).tolist()


def test_below_the_first_places_never_sold_purchases_count_as_weighted():
    """Sold-before places bought at 12%, the first five never-sold ones at 6%: unweighted, every
    sold-before candidate comes first. Counting a never-sold purchase 3 times (18%), the five
    best never-sold ones come right after the first five places, which stay as they were."""
    rows, kinds, scores, bought = planted_windows(sold_rate=0.12, new_top_rate=0.06)
    one = rows == 0

    def merged_kinds(weight, unweighted_places):
        merge = HitRateMerge(weight, unweighted_places).fit(rows, kinds, scores, bought)
        return kinds[one][np.argsort(-merge.scores(rows[one], kinds[one], scores[one]))].tolist()

    S, N = SOLD_BEFORE, NEVER_SOLD
    assert merged_kinds(1.0, 5) == [S] * 10 + [N] * 10
    assert merged_kinds(3.0, 5) == [S] * 5 + [N] * 5 + [S] * 5 + [N] * 5
    # the first 12 (10 sold before, 2 never sold) keep their order, the weight notwithstanding
    assert merged_kinds(3.0, 12) == [S] * 10 + [N] * 10
