"""The taste model: a customer's departments and sections, counted from what they bought."""
import numpy as np
import pandas as pd
import pytest

from recommender.models.base import TrainData
from recommender.models.taste import Taste

UNTIL = pd.Timestamp("2020-03-01")
# articles 0-1 jeans in Denim, 2-3 dresses in Womens Everyday, 4 a jacket in Denim but Menswear,
# 5 undescribed
DEPARTMENTS = ["Jeans", "Jeans", "Dresses", "Dresses", "Jeans", None]
SECTIONS = ["Denim", "Denim", "Womens Everyday", "Womens Everyday", "Menswear", None]


@pytest.fixture
def train(make_catalog):
    # customer 0: three jeans and a dress; customer 1: the jacket; customer 2: nothing yet
    purchases = [("2020-02-01", 0, 0), ("2020-02-02", 0, 0), ("2020-02-03", 0, 1), ("2020-02-04", 0, 2),
                 ("2020-02-05", 1, 4), ("2020-03-05", 2, 3)]
    catalog = make_catalog(purchases, n_articles=6, n_customers=3)
    catalog.articles["department_name"] = DEPARTMENTS
    catalog.articles["section_name"] = SECTIONS
    return TrainData.before(catalog, UNTIL)


def test_scores_follow_the_shares_of_department_and_section(train):
    scores = Taste(smoothing=0.02).fit(train).score(np.array([0]))[0]
    # jeans: 3 of 4 purchases in department and section; the dresses 1 of 4
    assert scores[1] == pytest.approx(2 * np.log(0.75 + 0.02))
    assert scores[3] == pytest.approx(2 * np.log(0.25 + 0.02))
    # the jacket shares the department only; the undescribed article shares nothing
    assert scores[4] == pytest.approx(np.log(0.75 + 0.02) + np.log(0.02))
    assert scores[5] == pytest.approx(2 * np.log(0.02))
    assert scores[1] > scores[3] > scores[4] > scores[5]


def test_a_customer_with_no_purchase_before_the_cut_scores_every_article_alike(train):
    # customer 2 buys only after the cut
    assert np.ptp(Taste().fit(train).score(np.array([2]))) == 0


def test_saved_and_loaded_it_scores_the_same(train, tmp_path):
    model = Taste().fit(train)
    model.save(tmp_path)
    loaded = Taste.load(tmp_path, train.catalog)
    customers = np.array([0, 1, 2])
    assert np.array_equal(loaded.score(customers), model.score(customers))
    assert np.array_equal(loaded.score(customers, np.array([4, 0])), model.score(customers)[:, [4, 0]])
