"""Trends: recent sales outrank old ones, age bands and sections shape what is trending."""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from recommender.catalog.store import Catalog
from recommender.models.base import TrainData
from recommender.models.trends import Trends, age_bands, decay_weights

UNTIL = pd.Timestamp("2020-06-01")
OLD_HIT, NEW_HIT, YOUNG_PICK, OLD_PICK, MENS = 0, 1, 2, 3, 4


def _purchases(customer, article, days_ago, times=1):
    return [(UNTIL - pd.Timedelta(days=days_ago), customer, article)] * times


@pytest.fixture
def data() -> TrainData:
    articles = pd.DataFrame(
        {
            "article_id": [f"01000{i:02d}001" for i in range(5)],
            "index_group_name": ["Ladieswear"] * 4 + ["Menswear"],
            "section_name": ["Womens"] * 4 + ["Mens"],
        }
    )
    customers = pd.DataFrame({"customer_id": list("abcd"), "age": [20, 22, 62, np.nan]})
    rows = (
        _purchases(3, OLD_HIT, 365, times=40)  # sold a lot, a year ago
        + _purchases(3, NEW_HIT, 3, times=6)  # sold a little, last week
        + _purchases(0, YOUNG_PICK, 2, times=3)
        + _purchases(1, YOUNG_PICK, 5, times=2)
        + _purchases(2, OLD_PICK, 2, times=5)
        + _purchases(3, MENS, 10, times=1)
    )
    transactions = pd.DataFrame(rows, columns=["t_dat", "customer_idx", "article_idx"])
    catalog = Catalog(
        Path("."), {}, articles, customers, transactions, np.zeros((5, 4, 4, 3), np.uint8)
    )
    return TrainData(catalog, transactions, UNTIL)


def test_decay_halves_every_half_life():
    weights = decay_weights(pd.to_datetime(["2020-05-31", "2020-05-17"]), UNTIL, half_life=14)
    assert weights == pytest.approx([1.0, 0.5])


def test_age_bands_split_at_25_35_45_55_and_mark_unknown():
    assert age_bands([18, 25, 34, 44, 54, 70, np.nan]).tolist() == [0, 1, 1, 2, 3, 4, -1]


def test_last_weeks_seller_beats_last_years_bestseller(data):
    trends = Trends(half_life=14).fit(data)
    assert trends.trending(5).tolist().index(NEW_HIT) < trends.trending(5).tolist().index(OLD_HIT)
    scores = trends.score(np.array([3]))[0]
    assert scores[NEW_HIT] > scores[OLD_HIT]


def test_age_band_shapes_a_shoppers_trend(data):
    trends = Trends(half_life=14).fit(data)
    assert trends.trending(1, age=19)[0] == YOUNG_PICK
    assert trends.trending(1, age=60)[0] == OLD_PICK
    young, old = trends.score(np.array([0, 2]))
    assert young[YOUNG_PICK] > young[OLD_PICK] and old[OLD_PICK] > old[YOUNG_PICK]


def test_unknown_age_gets_the_overall_trend(data):
    trends = Trends().fit(data)
    assert np.allclose(trends.score(np.array([3]))[0], trends.overall)
    assert trends.trending(3, age=None).tolist() == trends.trending(3).tolist()


def test_section_filter_keeps_only_that_section(data):
    trends = Trends().fit(data)
    assert trends.trending(5, section="Menswear").tolist() == [MENS]
    assert MENS not in trends.trending(5, section="Womens")


def test_what_sells_for_a_wearer_takes_in_all_that_wearer_wears(data):
    data.catalog.articles["index_group_name"] = ["Ladieswear", "Divided", "Sport", "Ladieswear", "Sport"]
    data.catalog.articles["section_name"] = ["Womens", "Divided", "Ladies H&M Sport", "Womens", "Men H&M Sport"]
    trends = Trends().fit(data)
    assert set(trends.trending(5, section="Ladieswear").tolist()) == {0, 1, 2, 3}
    assert trends.trending(5, section="Divided").tolist() == [1]
    assert trends.trending(5, section="Menswear").tolist() == [4]


def test_score_on_chosen_articles_matches_full_scores(data):
    trends = Trends().fit(data)
    chosen = np.array([4, 1])
    assert np.allclose(
        trends.score(np.array([0, 2]), chosen), trends.score(np.array([0, 2]))[:, chosen]
    )


def test_save_and_load_give_the_same_trends(data, tmp_path):
    trends = Trends(half_life=7, band_weight=0.3).fit(data)
    trends.save(tmp_path / "trends")
    loaded = Trends.load(tmp_path / "trends", data.catalog)
    assert loaded.half_life == 7 and loaded.band_weight == 0.3
    assert np.allclose(loaded.score(np.arange(4)), trends.score(np.arange(4)))
    assert (
        loaded.trending(3, section="Ladieswear", age=20).tolist()
        == trends.trending(3, section="Ladieswear", age=20).tolist()
    )
