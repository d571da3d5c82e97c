"""Lookalike: an article scores by how close its description comes to the closest single purchase,
so one odd purchase is not drowned by many of another kind."""
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from recommender.catalog.store import Catalog
from recommender.models.base import TrainData
from recommender.models.lookalike import Lookalike
from recommender.models.text import TextModel

pytestmark = pytest.mark.slow  # loads the sentence encoder

UNTIL = pd.Timestamp("2020-06-01")
NAMES = ["Red summer dress", "Blue summer dress", "Yellow summer dress", "Black leather biker boots",
         "Green floral summer dress", "Brown leather ankle boots", "Grey wool scarf", "Plain photo-only"]
# customer 0: three summer dresses and one pair of boots; customer 1: only the photo-only article;
# customer 2: nothing before the cut
PURCHASES = [(0, 0), (0, 1), (0, 2), (0, 3), (1, 7), (2, 6)]


@pytest.fixture(scope="module")
def data() -> TrainData:
    articles = pd.DataFrame({"article_id": [f"0{100 + i:03d}001001" for i in range(len(NAMES))],
                             "prod_name": NAMES, "has_metadata": [True] * 7 + [False]})
    customers = pd.DataFrame({"customer_id": ["dresses and boots", "photo only", "new"]})
    dates = [UNTIL - pd.Timedelta(days=5)] * 5 + [UNTIL + pd.Timedelta(days=1)]
    transactions = pd.DataFrame([(d, c, a) for d, (c, a) in zip(dates, PURCHASES)],
                                columns=["t_dat", "customer_idx", "article_idx"])
    photos = np.zeros((len(NAMES), 2, 2, 3), np.uint8)
    catalog = Catalog(Path("."), {}, articles, customers, transactions, photos)
    return TrainData(catalog, transactions[transactions["t_dat"] < UNTIL], UNTIL)


def test_each_article_scores_its_highest_similarity_to_one_purchase(data, tmp_path):
    model = Lookalike(cache_dir=tmp_path).fit(data)
    bought = model.text[[0, 1, 2, 3]]
    assert np.allclose(model.score(np.array([0]))[0], (bought @ model.text.T).max(axis=0), atol=1e-6)
    # each purchase is its own closest lookalike
    assert np.allclose(model.score(np.array([0]))[0, :4], 1.0, atol=1e-5)


def test_a_lone_purchase_counts_as_much_as_many_of_another_kind(data, tmp_path):
    floral_dress, ankle_boots = 4, 5
    # three summer dresses and one pair of boots: the boots' lookalike comes as close as the dresses'
    lookalike = Lookalike(cache_dir=tmp_path).fit(data).score(np.array([0]))[0]
    assert lookalike[ankle_boots] > 0.9 * lookalike[floral_dress]
    # where the average of the four, a dress, leaves it far behind
    average = TextModel(cache_dir=tmp_path).fit(data).score(np.array([0]))[0]
    assert average[ankle_boots] < 0.75 * average[floral_dress]


def test_customers_without_a_described_purchase_score_every_article_zero(data, tmp_path):
    scores = Lookalike(cache_dir=tmp_path).fit(data).score(np.array([1, 2]))
    assert not scores.any()


def test_saved_and_loaded_it_scores_the_same(data, tmp_path):
    model = Lookalike(cache_dir=tmp_path).fit(data)
    model.save(tmp_path / "lookalike")
    loaded = Lookalike.load(tmp_path / "lookalike", data.catalog)
    customers = np.array([0, 1, 2])
    assert np.array_equal(loaded.score(customers), model.score(customers))
    assert np.array_equal(loaded.score(customers, np.array([5, 0])), model.score(customers)[:, [5, 0]])
