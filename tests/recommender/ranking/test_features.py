import numpy as np
import pandas as pd
import pytest

from recommender.models.base import TrainData
from recommender.ranking.features import ContextFeatures

UNTIL = pd.Timestamp("2020-03-01")


def column(features: np.ndarray, name: str) -> np.ndarray:
    return features[:, ContextFeatures.names().index(name)]


@pytest.fixture
def context(make_catalog):
    # Customer 0 bought two dresses and a sock before UNTIL; article 2 (a dress) sold only after.
    purchases = [("2020-02-01", 0, 0), ("2020-02-02", 0, 1), ("2020-02-03", 0, 3), ("2020-03-05", 1, 2)]
    catalog = make_catalog(purchases, n_articles=5, n_customers=3)
    catalog.articles["product_type_name"] = ["Dress", "Dress", "Dress", "Socks", None]
    catalog.articles["index_group_name"] = ["Ladieswear"] * 4 + [None]
    catalog.articles["has_metadata"] = [True] * 4 + [False]
    catalog.transactions["price"] = [0.02, 0.04, 0.01, 0.05]
    return ContextFeatures(TrainData.before(catalog, UNTIL))


def test_an_article_sold_only_after_the_cut_has_no_price_yet(context):
    features = context.for_pairs(np.array([0, 0, 0]), np.array([0, 1, 2]))
    price = column(features, "price")
    assert price[:2].tolist() == pytest.approx([0.02, 0.04])
    assert np.isnan(price[2])


def test_never_sold_means_listed_but_no_purchase_before_the_cut(context):
    # article 2 sells only after the cut; 4 never, and with no description the catalog does not
    # list it before it sells
    assert context.never_sold().tolist() == [False, False, True, False, False]
    assert context.unlisted.tolist() == [False, False, False, False, True]


def test_price_is_compared_with_what_the_customer_usually_pays(context):
    features = context.for_pairs(np.array([0, 0]), np.array([0, 1]))
    usual = (0.02 + 0.04 + 0.01) / 3
    assert column(features, "usual_price") == pytest.approx([usual, usual])
    assert column(features, "price_vs_usual") == pytest.approx([0.02 / usual, 0.04 / usual])


def test_taste_shares_count_the_customers_purchases_of_the_same_kind(context):
    features = context.for_pairs(np.array([0, 0, 0, 1]), np.array([2, 3, 4, 2]))
    assert column(features, "share_of_same_type")[:2] == pytest.approx([2 / 3, 1 / 3])
    assert column(features, "share_of_same_index_group")[0] == pytest.approx(1.0)
    # article 4 is undescribed, customer 1 bought nothing before the cut: unknown, not zero
    assert np.isnan(column(features, "share_of_same_type")[2:]).all()


def test_what_the_customer_bought_before_counts_the_article_and_its_other_colours(make_catalog):
    # articles 0 and 1 are two colours of one product; customer 0 bought article 0 twice
    purchases = [("2020-02-01", 0, 0), ("2020-02-03", 0, 0), ("2020-02-04", 1, 2), ("2020-03-05", 0, 2)]
    catalog = make_catalog(purchases, n_articles=3, n_customers=2, product_codes=[100, 100, 200])
    catalog.articles["has_metadata"] = True
    features = ContextFeatures(TrainData.before(catalog, UNTIL)).for_pairs(np.array([0, 0, 0, 1]),
                                                                           np.array([0, 1, 2, 0]))
    assert column(features, "bought_before").tolist() == [2, 0, 0, 0]
    # article 2, bought by customer 0 only after the cut, is not theirs yet
    assert column(features, "bought_product_before").tolist() == [1, 1, 0, 0]
    # the latest purchase counts (2020-02-03, 27 days before the cut), for the other colour too
    assert column(features, "days_since_bought")[0] == 27
    assert column(features, "days_since_bought_product")[:2].tolist() == [27, 27]
    assert np.isnan(column(features, "days_since_bought")[1:]).all()
    assert np.isnan(column(features, "days_since_bought_product")[2:]).all()


def test_recent_purchases_count_only_the_last_28_days_before_the_cut(make_catalog):
    purchases = [("2020-01-01", 0, 0), ("2020-02-10", 0, 1), ("2020-02-20", 0, 2), ("2020-03-02", 0, 0)]
    catalog = make_catalog(purchases, n_articles=3, n_customers=2)
    catalog.articles["has_metadata"] = True
    features = ContextFeatures(TrainData.before(catalog, UNTIL)).for_pairs(np.array([0, 1]), np.array([0, 0]))
    assert column(features, "purchases").tolist() == [3, 0]
    assert column(features, "purchases_28d").tolist() == [2, 0]
