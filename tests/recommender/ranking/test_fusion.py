"""The fused ranker on the demo catalog: it must order candidates better than the components it
is made of, never repeat an article, and give cold-start customers the trending list."""
import pickle

import numpy as np
import pandas as pd
import pytest

from recommender.evaluation.metrics import map_at_k, recall_at_k
from recommender.evaluation.split import holdout_split
from recommender.models.base import Model, TrainData, top_k
from recommender.models.baselines import PastPurchasesThenTrending
from recommender.models.baskets import Baskets
from recommender.models.trends import Trends
from recommender.ranking.features import ContextFeatures
from recommender.ranking.fusion import STATE, FusedModel
from recommender.ranking.merge import NEVER_SOLD, SOLD_BEFORE


def cheap_components():
    return {"trends": Trends, "repurchase": PastPurchasesThenTrending, "baskets": Baskets}


@pytest.fixture(scope="module")
def fitted(small_demo_catalog):
    train, truth = holdout_split(small_demo_catalog, weeks=4)
    return FusedModel(cheap_components(), candidates_per_component=40).fit(train), train, truth


def test_fused_beats_trending_alone(fitted):
    fused, train, truth = fitted
    customers = truth.customers
    actual = truth.actual(customers)
    trending = Trends().fit(train).recommend(customers, 100)
    ranked = fused.recommend(customers, 100)
    assert recall_at_k(ranked, actual, 100) > recall_at_k(trending, actual, 100)
    assert map_at_k(ranked, actual, 12) > map_at_k(trending, actual, 12)


def test_lists_have_no_repeats_and_cold_customers_get_trending(fitted):
    fused, train, _ = fitted
    cold = np.flatnonzero(~fused.known)[:3]
    warm = np.flatnonzero(fused.known)[:5]
    assert len(cold) and len(warm)
    ranked = fused.recommend(np.concatenate([warm, cold]), 30)
    assert all(len(set(row)) == 30 for row in ranked)
    # Trending order, compared by score so that ties may fall either way.
    trend_scores = fused.components["trends"].score(cold)
    got = np.take_along_axis(trend_scores, ranked[len(warm):], axis=1)
    best = -np.sort(-trend_scores, axis=1)[:, :30]
    assert np.allclose(got, best)


def test_save_and_load_give_the_same_lists(fitted, small_demo_catalog, tmp_path):
    fused, train, _ = fitted
    fused.save(tmp_path)
    loaded = FusedModel.load(tmp_path, small_demo_catalog, train)
    customers = np.flatnonzero(fused.known)[:10]
    assert (loaded.recommend(customers, 12) == fused.recommend(customers, 12)).all()


def test_a_ranker_saved_before_the_merge_weighed_new_arrivals_is_refused(fitted, small_demo_catalog, tmp_path):
    fused, train, _ = fitted
    fused.save(tmp_path)
    state = pickle.loads((tmp_path / STATE).read_bytes())
    del state["trained_on"]["never_sold_weight"]
    (tmp_path / STATE).write_bytes(pickle.dumps(state))
    with pytest.raises(ValueError, match="recommender train"):
        FusedModel.load(tmp_path, small_demo_catalog, train)


def test_validation_windows_step_back_four_weeks_until_the_purchases_run_out(small_demo_catalog):
    train, _ = holdout_split(small_demo_catalog, weeks=4)
    windows = FusedModel(cheap_components(), validation_windows=1000)._validation_windows(train)
    truths = [truth for _, truth in windows]
    assert truths[0].end == train.until
    assert all(t.end - t.start == pd.Timedelta(weeks=4) for t in truths)
    # newest first, each ending where the one after it starts: no purchase is learnt twice
    assert all(newer.start == older.end for newer, older in zip(truths, truths[1:]))
    assert all(fit_part.until == truth.start for fit_part, truth in windows)
    # as far back as there is something to fit the components on before the window
    assert len(windows) > 8
    dates = train.transactions["t_dat"]
    assert (dates < truths[-1].start).any() and not (dates < truths[-1].start - pd.Timedelta(weeks=4)).any()


def test_the_ranker_learns_from_as_many_places_as_its_depth():
    """LightGBM weighs only pairs that involve its first `lambdarank_truncation_level` places (30
    unless set); the merge shows never-sold articles from far deeper in the ranker's order."""
    rng = np.random.default_rng(0)
    groups = np.full(30, 200)
    features = rng.normal(size=(groups.sum(), 3)).astype(np.float32)
    labels = (features[:, 0] + features[:, 1] + rng.normal(size=len(features)) > 3).astype(np.int32)
    bought = np.array([labels.sum()])
    fitted = {depth: FusedModel(cheap_components(), ranker_depth=depth)._fit_ranker(features, labels, groups, bought)
              for depth in (1, 150)}
    assert FusedModel(cheap_components()).ranker_depth >= 100  # the longest list the targets judge
    assert {depth: r.get_params()["lambdarank_truncation_level"] for depth, r in fitted.items()} == {1: 1, 150: 150}
    assert not np.allclose(fitted[1].predict(features), fitted[150].predict(features))


def test_the_merge_counts_never_sold_purchases_as_the_fused_model_weighs_them():
    """The same ranker rows give a merge whose weighted never-sold hit rates are
    `never_sold_weight` times the unweighted ones, and the weight is part of what a saved ranker
    was trained with."""
    rng = np.random.default_rng(0)
    names = FusedModel(cheap_components()).feature_names()
    groups = np.full(40, 100)
    features = rng.normal(size=(groups.sum(), len(names))).astype(np.float32)
    features[:, names.index("sold_all")] = rng.integers(0, 2, len(features))
    labels = (features[:, 0] + rng.normal(size=len(features)) > 2).astype(np.int32)
    windows = [(features, labels, groups, np.array([labels.sum()]))]
    merges = {w: FusedModel(cheap_components(), never_sold_weight=w).fit_ranker(windows).merge for w in (1.0, 3.0)}
    rates, weighted = merges[1.0].rates, merges[3.0].weighted_rates
    assert np.allclose(weighted[NEVER_SOLD], 3 * rates[NEVER_SOLD]) and rates[NEVER_SOLD].max() > 0
    assert np.allclose(weighted[SOLD_BEFORE], rates[SOLD_BEFORE])
    assert np.allclose(merges[3.0].rates, rates)
    assert FusedModel(cheap_components(), never_sold_weight=3.0).training_setup()["never_sold_weight"] == 3.0


class Favours(Model):
    """Scores the articles `which(data)` picks above every other, and each group by row index:
    a component whose own top list holds one kind of article only."""

    def __init__(self, which):
        self.which = which

    def fit(self, data):
        n = data.catalog.n_articles
        self.scores = (np.arange(n) + n * self.which(data)).astype(np.float32)
        return self

    def score(self, customers, articles=None):
        row = self.scores if articles is None else self.scores[articles]
        return np.tile(row, (len(customers), 1))


def test_a_component_also_proposes_its_best_never_sold_articles(small_demo_catalog):
    train, _ = holdout_split(small_demo_catalog, weeks=4)
    context = ContextFeatures(train)
    components = {"trends": Trends().fit(train), "sold first": Favours(TrainData.sold).fit(train)}
    customers = np.array([0, 1])
    proposed = {name: top_k(model.score(customers[:1]), 5)[0] for name, model in components.items()}
    never_sold = np.flatnonzero(context.never_sold())
    assert not set(proposed["sold first"]) & set(never_sold)

    def candidates(unsold_candidates):
        fused = FusedModel(dict.fromkeys(components), candidates_per_component=5, unsold_candidates=unsold_candidates)
        rows, articles, _ = fused._candidate_features(components, context, customers)
        return set(articles[rows == 1])

    assert candidates({}) == {*proposed["trends"], *proposed["sold first"]}
    assert candidates({"sold first": 3}) == {*proposed["trends"], *proposed["sold first"], *never_sold[-3:]}
    # once everything has sold, there is nothing more to propose
    context.never_sold = lambda: np.zeros(train.catalog.n_articles, bool)
    assert candidates({"sold first": 3}) == candidates({})


def test_a_proposer_adds_candidates_but_no_features(small_demo_catalog):
    train, _ = holdout_split(small_demo_catalog, weeks=4)
    context = ContextFeatures(train)
    models = {"trends": Trends().fit(train), "sold first": Favours(TrainData.sold).fit(train)}
    customers = np.array([0, 1])
    fused = FusedModel({"trends": None}, {"sold first": None}, candidates_per_component=5)
    rows, articles, features = fused._candidate_features(models, context, customers)
    proposed = {name: top_k(model.score(customers[:1]), 5)[0] for name, model in models.items()}
    assert set(articles[rows == 0]) == {*proposed["trends"], *proposed["sold first"]}
    assert fused.feature_names() == ["trends_score", "trends_rank", *ContextFeatures.names()]
    assert features.shape[1] == len(fused.feature_names())
    assert fused.training_setup()["proposers"] == ["sold first"]


def test_a_blend_proposes_the_never_sold_articles_its_components_agree_on():
    # never-sold: 1, 2, 3; "a" likes 1 best, "b" likes 2 best, both like 3 almost as much
    a = np.array([[9.0, 3.0, 0.0, 2.9]])
    b = np.array([[9.0, 0.0, 3.0, 2.9]]) * 1000  # a scale that a plain sum would let win
    never_sold = np.array([1, 2, 3])

    def proposals(unsold_candidates, scores):
        fused = FusedModel(dict.fromkeys(["a", "b"]), cold_start="a", candidates_per_component=1,
                           unsold_candidates=unsold_candidates)
        return fused._proposals(scores, never_sold).tolist()

    assert proposals({"a": 1, "b": 1}, {"a": a, "b": b}) == [[0, 0, 1, 2]]
    assert proposals({"a+b": 1}, {"a": a, "b": b}) == [[0, 0, 3]]
    # an article that one of them cannot score comes last
    a[0, 3] = -np.inf
    assert proposals({"a+b": 3}, {"a": a, "b": b}) == [[0, 0, 2, 1, 3]]


def test_articles_not_yet_listed_are_never_candidates(small_demo_catalog):
    train, _ = holdout_split(small_demo_catalog, weeks=4)
    context = ContextFeatures(train)
    unlisted = np.flatnonzero(train.unlisted())
    assert len(unlisted) > 10  # the demo catalog has undescribed stock that never sold
    # what a model that learnt the H&M sample's artefact would propose first
    components = {"trends": Trends().fit(train), "unlisted first": Favours(TrainData.unlisted).fit(train)}
    fused = FusedModel(dict.fromkeys(components), candidates_per_component=5, unsold_candidates={"unlisted first": 5})
    rows, articles, features = fused._candidate_features(components, context, np.array([0, 1]))
    assert not set(articles) & set(unlisted)
    # its best listed articles, sold or not, stand in; ranks count listed articles only
    assert len(articles[rows == 0]) >= 10
    ranks = features[:, fused.feature_names().index("unlisted first_rank")]
    assert ranks.min() == 0


def test_unknown_components_are_refused():
    with pytest.raises(ValueError, match="cold-start"):
        FusedModel(cheap_components(), cold_start="visual")
    with pytest.raises(ValueError, match="never-sold candidates from \\['visual'\\]"):
        FusedModel(cheap_components(), unsold_candidates={"visual": 200})
    with pytest.raises(ValueError, match="never-sold candidates from \\['visual'\\]"):
        FusedModel(cheap_components(), unsold_candidates={"trends+visual": 50})
    with pytest.raises(ValueError, match="both as components and as proposers"):
        FusedModel(cheap_components(), {"trends": Trends})


def test_precomputed_rankings_keep_the_fused_order(fitted):
    """The service's compact per-customer rankings order every article as the fused ranker's
    full scores do (ties aside), whether computed in a background batch or on first request."""
    from recommender.service.rankings import FusedRankings

    fused, train, _ = fitted
    n = train.catalog.n_articles
    customers = np.flatnonzero(fused.known)[:20]
    batch, on_demand = FusedRankings(fused, n_articles=n), FusedRankings(fused, n_articles=n)
    batch.precompute(customers, batch=7)
    assert batch.precomputed == len(customers)
    rows = np.arange(n)
    for customer in customers:
        full = fused.score(np.array([customer]))[0]
        trend_places = np.argsort(np.argsort(fused.components["trends"].score(np.array([customer]))[0], kind="stable"), kind="stable")
        signal = batch.signal(int(customer), rows, trend_places.astype(np.float32))
        # Walking the articles best first by the signal, the ranker's scores never go up.
        assert (np.diff(full[np.argsort(-signal, kind="stable")]) <= 1e-9).all()
        np.testing.assert_array_equal(signal, on_demand.signal(int(customer), rows, trend_places.astype(np.float32)))


def test_a_customer_who_never_bought_is_served_by_the_fallback_order(fitted):
    from recommender.service.rankings import FusedRankings

    fused, train, _ = fitted
    n = train.catalog.n_articles
    cold = int(np.flatnonzero(~fused.known)[0])
    fallback = np.arange(n, dtype=np.float32)[::-1].copy()
    rows = np.arange(n)
    np.testing.assert_array_equal(FusedRankings(fused, n).signal(cold, rows, fallback), fallback)


def test_many_customers_are_scored_a_batch_at_a_time_as_each_would_be_alone(fitted, monkeypatch):
    """Every component's scores and ranks of every article are held for a whole batch at once, so
    the fused model scores a long list of customers a bounded batch at a time, each as it would
    be scored alone."""
    from recommender.ranking import fusion

    fused, _, _ = fitted
    customers = np.flatnonzero(fused.known)[:7]
    alone = np.concatenate([fused.score(customers[i : i + 1]) for i in range(len(customers))])
    monkeypatch.setattr(fusion, "SCORING_BATCH", 3)
    batch_sizes, candidate_features = [], fused._candidate_features

    def counted(components, context, batch):
        batch_sizes.append(len(batch))
        return candidate_features(components, context, batch)

    monkeypatch.setattr(fused, "_candidate_features", counted)
    np.testing.assert_allclose(fused.score(customers), alone)
    assert batch_sizes == [3, 3, 1]
