import numpy as np
import pandas as pd
import pytest

from recommender.models.base import TrainData
from recommender.models.baselines import (
    ImplicitALS,
    ImplicitBPR,
    ItemCoPurchase,
    LastWeekPopularity,
    PastPurchasesThenTrending,
    TrendingDecayed,
    baseline_factories,
    decay_weights,
)

# The last purchase of every data set below is on 2020-03-01, so models learn until 2020-03-02.
OLD, LAST_WEEK, LAST_DAY = "2020-01-01", "2020-02-27", "2020-03-01"


@pytest.fixture
def train(make_catalog):
    def build(purchases, n_articles=8, n_customers=6, product_codes=None):
        catalog = make_catalog(purchases, n_articles, n_customers, product_codes)
        return TrainData.before(catalog)

    return build


def test_decay_weight_is_one_on_the_last_day_and_halves_every_half_life():
    dates = pd.Series(pd.to_datetime(["2020-03-01", "2020-02-23", "2020-02-16"]))  # a leap year
    weights = decay_weights(dates, pd.Timestamp("2020-03-02"), half_life=7)
    assert weights == pytest.approx([1.0, 0.5, 0.25])
    assert decay_weights(dates, pd.Timestamp("2020-03-02"), None).tolist() == [1, 1, 1]


def test_last_week_popularity_ignores_older_best_sellers(train):
    data = train(
        [(OLD, c, 0) for c in range(5)] + [(LAST_WEEK, 0, 1), (LAST_WEEK, 1, 1), (LAST_DAY, 2, 2)]
    )
    model = LastWeekPopularity().fit(data)
    assert model.recommend(np.array([3]), 2).tolist() == [[1, 2]]
    assert model.score(np.array([3]), np.array([0])).item() == 0.0


def test_trending_prefers_recent_sales_and_gives_everyone_the_same_row(train):
    # Article 0 sold twice two months ago, article 1 once yesterday: with a 14-day half-life the
    # recent sale wins.
    data = train([(OLD, 0, 0), (OLD, 1, 0), (LAST_DAY, 2, 1)])
    scores = TrendingDecayed(half_life_days=14).fit(data).score(np.array([0, 5]))
    assert scores[0, 1] > scores[0, 0] > 0
    assert np.array_equal(scores[0], scores[1])


def test_trending_lends_a_new_colour_its_variants_popularity(train):
    # Articles 0 and 3 are colours of product 100; 3 never sold. Article 5 is a product of its own.
    codes = [100, 200, 200, 100, None, None, None, None]
    data = train([(LAST_DAY, 0, 0), (LAST_DAY, 1, 0)], product_codes=codes)
    scores = TrendingDecayed(variant_weight=0.5).fit(data).score(np.array([0]))[0]
    assert scores[3] == pytest.approx(0.5 * scores[0])
    assert scores[1] == scores[5] == 0.0
    assert TrendingDecayed(variant_weight=0.0).fit(data).score(np.array([0]))[0, 3] == 0.0


def test_past_purchases_come_first_most_recent_first_then_trending(train):
    # Customer 0 bought article 5 long ago and 6 yesterday; the best seller is 1, then 2.
    purchases = [(OLD, 0, 5), (LAST_DAY, 0, 6)]
    purchases += [(LAST_DAY, c, 1) for c in (1, 2, 3)] + [(LAST_DAY, c, 2) for c in (1, 2)]
    model = PastPurchasesThenTrending(half_life_days=30, variant_weight=0.0).fit(train(purchases))
    assert model.recommend(np.array([0]), 4).tolist() == [[6, 5, 1, 2]]
    # Customer 4 never bought: the trending row, nothing personal.
    assert model.recommend(np.array([4]), 2).tolist() == [[1, 2]]


def test_past_purchases_lookback_drops_old_purchases(train):
    purchases = [(OLD, 0, 5), (LAST_DAY, 0, 6), (LAST_DAY, 1, 1)]
    model = PastPurchasesThenTrending(lookback_days=30).fit(train(purchases))
    assert model.recommend(np.array([0]), 2).tolist() == [[6, 1]]


def test_item_co_purchase_recommends_what_others_bought_with_your_articles(train):
    # Customers 1 and 2 bought 3 and 4 a few days apart; customer 3 bought 3 and, 60 days later,
    # 7 (too far apart to count). Customer 0 bought 3. The best seller overall is 1.
    purchases = [
        ("2020-02-20", 1, 3),
        ("2020-02-23", 1, 4),
        ("2020-02-20", 2, 3),
        ("2020-02-21", 2, 4),
    ]
    purchases += [(OLD, 3, 3), ("2020-03-01", 3, 7), (LAST_DAY, 0, 3)]
    purchases += [(LAST_DAY, c, 1) for c in (4, 5)] + [(LAST_DAY, 3, 1)]
    model = ItemCoPurchase(window_days=14, trending_half_life_days=7).fit(train(purchases))
    assert model.recommend(np.array([0]), 2).tolist() == [[4, 1]]
    assert model.similar_items(3, 5).tolist() == [4]


@pytest.fixture
def two_tastes(train):
    """Customers 0-4 buy among articles 0-3, customers 5-9 among 4-7; customer 10 never buys."""
    rng = np.random.default_rng(0)
    purchases = []
    for customer in range(10):
        group = range(0, 4) if customer < 5 else range(4, 8)
        for article in rng.choice(list(group), size=3, replace=False):
            purchases.append((LAST_WEEK, customer, int(article)))
    purchases.append((LAST_DAY, 0, 0))
    return train(purchases, n_articles=8, n_customers=11)


@pytest.mark.parametrize(
    "factory",
    [
        lambda: ImplicitALS(factors=4, iterations=10, seed=0),
        lambda: ImplicitBPR(factors=4, iterations=200, learning_rate=0.05, seed=0),
    ],
)
def test_factorisations_learn_each_groups_taste_and_are_seeded(two_tastes, factory):
    model = factory().fit(two_tastes)
    scores = model.score(np.arange(10))
    first_taste = scores[:, :4].mean(axis=1) > scores[:, 4:].mean(axis=1)
    # Customers 0-4 should lean to articles 0-3, customers 5-9 away from them; one miss allowed.
    assert (first_taste == (np.arange(10) < 5)).sum() >= 9
    assert np.array_equal(scores, factory().fit(two_tastes).score(np.arange(10)))


@pytest.mark.parametrize("name", list(baseline_factories()))
def test_every_baseline_gives_a_customer_without_purchases_the_trending_row(two_tastes, name):
    model = baseline_factories()[name]().fit(two_tastes)
    if hasattr(model, "trending"):
        assert np.array_equal(model.score(np.array([10])), model.trending.score(np.array([10])))
    assert model.recommend(np.array([10]), 3).shape == (1, 3)
    subset = np.array([5, 0])
    assert np.allclose(
        model.score(np.array([0, 10]), subset), model.score(np.array([0, 10]))[:, subset]
    )


@pytest.mark.parametrize("name", list(baseline_factories()))
def test_a_saved_baseline_scores_the_same_once_loaded(two_tastes, tmp_path, name):
    model = baseline_factories()[name]().fit(two_tastes)
    model.save(tmp_path / "model.pkl")
    loaded = type(model).load(tmp_path / "model.pkl", two_tastes.catalog)
    assert np.array_equal(loaded.score(np.arange(11)), model.score(np.arange(11)))
