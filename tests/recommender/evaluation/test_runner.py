import json

import numpy as np
import pandas as pd
import pytest

from recommender.evaluation import evaluate, holdout_split, measure, validation_split, write_report
from recommender.evaluation.runner import METRICS
from recommender.evaluation.split import purchase_kinds
from recommender.models.base import Model
from recommender.models.baselines import LastWeekPopularity, PastPurchasesThenTrending

LAST_DAY = pd.Timestamp("2020-06-30")


class RandomScores(Model):
    """The floor every baseline must clear: a fixed random score per customer and article."""

    name = "random"

    def fit(self, data):
        self.table = np.random.default_rng(0).random(
            (data.catalog.n_customers, data.catalog.n_articles)
        )
        return self

    def score(self, customers, articles=None):
        rows = self.table[np.asarray(customers)]
        return rows if articles is None else rows[:, articles]


@pytest.fixture
def planted(make_catalog):
    """120 customers over 300 articles and 20 weeks. Each has four favourite articles and buys one
    of them every week or two, plus now and then something at random; articles 290-299 first
    sell in the last four weeks. Re-buying favourites is what a good baseline should find."""
    rng = np.random.default_rng(0)
    purchases = []
    for customer in range(120):
        favourites = rng.choice(290, size=4, replace=False)
        for day in range(0, 140, int(rng.integers(7, 15))):
            date = LAST_DAY - pd.Timedelta(days=139 - day)
            purchases.append((date, customer, int(rng.choice(favourites))))
            if rng.random() < 0.3:
                pool = 300 if day >= 112 else 290
                purchases.append((date, customer, int(rng.integers(pool))))
    purchases.append((LAST_DAY, 0, 299))  # so that the data end on LAST_DAY
    return make_catalog(purchases, n_articles=300, n_customers=125)


def test_holdout_window_is_the_last_four_weeks_and_training_stops_before_it(planted):
    train, truth = holdout_split(planted, weeks=4)
    assert truth.start == pd.Timestamp("2020-06-03") == train.until
    assert truth.end == LAST_DAY + pd.Timedelta(days=1)
    assert train.transactions["t_dat"].max() < truth.start
    window = planted.transactions_between(start=truth.start)
    assert sum(map(len, truth.bought.values())) == len(
        window.drop_duplicates(["customer_idx", "article_idx"])
    )
    # The articles launched in the window are new (some older ones also first sell there).
    assert set(range(290, 300)) & set(window["article_idx"]) <= truth.new_articles
    assert truth.new_articles == set(window["article_idx"]) - set(train.transactions["article_idx"])


def test_validation_split_cuts_the_training_part_again(planted):
    train, truth = holdout_split(planted, weeks=4)
    fit, validation = validation_split(train, weeks=4)
    assert validation.end == truth.start
    assert validation.start == truth.start - pd.Timedelta(days=28) == fit.until
    assert fit.transactions["t_dat"].max() < validation.start


def test_window_purchases_are_told_apart_by_how_they_stand_to_earlier_ones(make_catalog, tmp_path):
    before, during = pd.Timestamp("2020-05-01"), LAST_DAY
    # articles 0 and 1 are two colours of one product
    purchases = [(before, 0, 0), (before, 1, 2),
                 (during, 0, 0), (during, 0, 1), (during, 0, 2), (during, 0, 3), (during, 1, 2)]
    catalog = make_catalog(purchases, n_articles=6, n_customers=2, product_codes=[100, 100, 200, 300, 400, 500])
    train, truth = holdout_split(catalog, weeks=4)
    assert purchase_kinds(train, truth) == {
        "bought again": 2, "another colour of a product they bought": 1, "sold before, new to them": 1,
        "never sold before": 1,
    }
    evaluation = evaluate(catalog, [("past", PastPurchasesThenTrending)])
    report = write_report(evaluation, tmp_path)["md"].read_text()
    assert "- window purchases by kind: bought again 2 (40%), another colour of a product they bought 1 (20%)" in report


def test_past_purchases_beat_random_on_planted_repeat_buyers(planted):
    frame = evaluate(planted, {"random": RandomScores, "past": PastPurchasesThenTrending}, seed=0).table
    by_model = frame.set_index("model")
    for metric in ["MAP@12", "Recall@12", "AUC"]:
        assert by_model.loc["past", metric] > by_model.loc["random", metric] + 0.1
    assert by_model.loc["random", "AUC"] == pytest.approx(0.5, abs=0.05)


def test_evaluate_reports_every_metric_for_every_model_and_writes_the_report(planted, tmp_path):
    evaluation = evaluate(
        planted, [("last week", LastWeekPopularity), ("past", PastPurchasesThenTrending)]
    )
    frame = evaluation.table
    assert frame["model"].tolist() == ["last week", "past"]
    assert list(frame.columns) == ["model", *METRICS, "fit seconds"]
    assert frame[METRICS].notna().all().all()
    assert evaluation.split["window"] == "2020-06-03 .. 2020-06-30"

    for model in ["last week", "past"]:
        for metric in ["MAP@12", "Recall@12", "Recall@100"]:
            low, high = evaluation.intervals[model][metric]
            assert low <= frame.set_index("model").loc[model, metric] <= high

    paths = write_report(evaluation, tmp_path / "reports")
    table = paths["md"].read_text()
    assert table.count("\n| ") == 3  # header and two models
    past_map = frame.set_index("model").loc["past", "MAP@12"]
    assert f"| {past_map:.4g} [" in table
    saved = json.loads(paths["json"].read_text())
    assert saved["intervals"] == evaluation.intervals
    assert saved["split"] == evaluation.split
    per_customer = np.load(paths["npz"])
    for model in ["last week", "past"]:
        for metric in ["MAP@12", "Recall@100", "Recall@100 new"]:
            assert np.nanmean(per_customer[f"{model}|{metric}"]) == pytest.approx(frame.set_index("model").loc[model, metric])
    assert [row["model"] for row in saved["models"]] == ["last week", "past"]
    assert paths["png"].read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_the_same_seed_gives_the_same_figures(planted):
    first = evaluate(planted, {"past": PastPurchasesThenTrending}, seed=3).table
    again = evaluate(planted, {"past": PastPurchasesThenTrending}, seed=3).table
    pd.testing.assert_frame_equal(
        first.drop(columns="fit seconds"), again.drop(columns="fit seconds")
    )


def test_measure_gives_one_fitted_model_the_figures_of_its_row_in_evaluate(planted):
    train, truth = holdout_split(planted, weeks=4)
    row = evaluate(planted, {"past": PastPurchasesThenTrending}, seed=2).table.iloc[0]
    figures = measure(PastPurchasesThenTrending().fit(train), truth, seed=2)
    assert list(figures) == METRICS
    assert figures == pytest.approx({metric: row[metric] for metric in METRICS})


class FixedOrder(Model):
    """The same scores for every customer: article 5 first, then 2, then the rest."""

    def fit(self, data):
        self.scores = np.array([0.1, 0.2, 0.9, 0.3, 0.4, 1.0])
        return self

    def score(self, customers, articles=None):
        return np.tile(self.scores if articles is None else self.scores[articles], (len(customers), 1))


def test_articles_the_catalog_did_not_list_at_the_cut_are_found_by_no_model(make_catalog):
    """Article 5 has no description and first sells in the window: in a sample cut from
    purchases it is in the catalog only because of that purchase, so proposing it is no find."""
    before, during = pd.Timestamp("2020-05-01"), LAST_DAY
    purchases = [(before, 0, 0), (before, 1, 1), (before, 1, 4), (during, 0, 5), (during, 1, 2)]
    catalog = make_catalog(purchases, n_articles=6, n_customers=2)
    catalog.articles["has_metadata"] = [True, False, True, True, False, False]
    train, truth = holdout_split(catalog, weeks=4)
    # undescribed article 1 sold before the cut, so it is listed; 4 and 5 are not described
    # either, and nobody bought them before it
    assert truth.unlisted.tolist() == [False, False, False, False, False, True]
    assert train.unlisted().tolist() == truth.unlisted.tolist()

    evaluation = evaluate(catalog, {"fixed": FixedOrder})
    row = evaluation.table.iloc[0]
    # customer 0's one purchase can't be found; customer 1 finds article 2 first, as if 5 were
    # not there
    assert evaluation.per_customer["fixed"]["MAP@12"].tolist() == [0.0, 1.0]
    assert row["Recall@100"] == 0.5
    # the one (customer, article) pair left scores above every sampled negative
    assert row["AUC"] == 1.0
    assert evaluation.split["window purchases of articles not yet listed (found by no model)"] == 1
