"""Fusion: candidates from every component model, ordered by a learned ranker.

As the winners of the H&M competition did: each component proposes its top candidates (and some,
alone or several blended, their best articles that nobody has bought yet, which their top lists
crowd out; some models only propose, their scores not among the ranker's features); a LightGBM
LambdaRank model, trained on the weeks just before the window it will be used on, orders them
from the components' scores and ranks plus context (how the article sells lately, how new it is,
the customer's own history), and the kinds of article are interleaved by how often each place in
the ranker's order was bought, a never-sold article's purchase weighing more below a list's first
places (ranking/merge.py). Customers with no purchases get the cold-start component's list.
"""
from __future__ import annotations

import pickle
import warnings
from collections.abc import Callable
from pathlib import Path

import numpy as np
from tqdm.auto import tqdm

from recommender.catalog.store import Catalog
from recommender.evaluation.split import GroundTruth, validation_split
from recommender.models.base import Model, TrainData, top_k
from recommender.ranking.features import ContextFeatures
from recommender.ranking.merge import UNWEIGHTED_PLACES, HitRateMerge, article_kinds

ComponentFactory = Callable[[], Model]
STATE = "fusion.pkl"
# joins the components of a blend in `unsold_candidates`: "taste+visual+text"
BLEND = "+"
# customers whose candidates are scored together: each component's scores and ranks of every article
# for all of them are held at once (`predict` scored 1,024 at a time, 2.4 GB at peak on the H&M sample)
SCORING_BATCH = 256


class FusedModel(Model):
    name = "fused"

    def __init__(
        self,
        components: dict[str, ComponentFactory],
        proposers: dict[str, ComponentFactory] | None = None,
        cold_start: str = "trends",
        candidates_per_component: int = 100,
        unsold_candidates: dict[str, int] | None = None,
        validation_weeks: int = 4,
        validation_windows: int = 8,
        max_training_customers: int = 5000,
        ranker_depth: int = 150,
        never_sold_weight: float = 1.0,
        seed: int = 0,
    ):
        if cold_start not in components:
            raise ValueError(f"cold-start component {cold_start!r} is not among {list(components)}")
        both = sorted(set(components) & set(proposers or {}))
        if both:
            raise ValueError(f"{both} named both as components and as proposers")
        self.factories = components | (proposers or {})
        blended = {name for blend in unsold_candidates or {} for name in blend.split(BLEND)}
        strangers = sorted(blended - set(self.factories))
        if strangers:
            raise ValueError(f"never-sold candidates from {strangers}: not among {list(self.factories)}")
        # whose scores and ranks the ranker sees; proposers only add candidates
        self.feature_sources = list(components)
        self.cold_start = cold_start
        self.candidates_per_component = candidates_per_component
        self.unsold_candidates = dict(unsold_candidates or {})
        self.validation_weeks = validation_weeks
        self.validation_windows = validation_windows
        self.max_training_customers = max_training_customers
        self.ranker_depth = ranker_depth
        # how many purchases of articles sold before one of a never-sold article counts as, where
        # the merge interleaves the kinds below the first places of a list (ranking/merge.py)
        self.never_sold_weight = never_sold_weight
        self.seed = seed

    # -- training ---------------------------------------------------------------------------
    def fit(self, data: TrainData) -> "FusedModel":
        return self.fit_ranker(self.training_windows(data)).fit_components(data)

    def training_windows(self, data: TrainData) -> list[tuple]:
        """The ranker's training rows from each validation window, newest first: features,
        labels, group sizes and the window's purchase count (`_training_rows`)."""
        return [self._training_rows(window) for window in self._validation_windows(data)]

    def fit_ranker(self, windows: list[tuple]) -> "FusedModel":
        """The ranker and the merge, from `training_windows`' rows (a benchmark refits them on
        the newest few of the same rows, to compare how many windows to learn from)."""
        features, labels, groups, bought = (np.concatenate(parts) for parts in zip(*windows))
        self.ranker = self._fit_ranker(features, labels, groups, bought)
        self.trained_on = self.training_setup()
        # in-sample scores: the windows are all there is to learn from, and the merge only
        # compares places within the ranker's own order. Scores from rankers that did not see the
        # window (each of the 8 left out in turn, seed 0) left no never-sold article in the top
        # 100 on two of the last five 4-week windows (3 seeds, rankers refitted on candidates
        # cached once per window: mean ratios 1.10 / 1.34 / 0.67 against 1.10 / 1.37 / 1.25)
        self.merge = HitRateMerge(self.never_sold_weight).fit(
            np.repeat(np.arange(len(groups)), groups), self._kinds(features), self.ranker.predict(features), labels
        )
        return self

    def fit_components(self, data: TrainData) -> "FusedModel":
        """The component models and the context features on every purchase, for serving."""
        self.components = self._fitted_components(data, "refit components on everything")
        self.context = ContextFeatures(data)
        self.known = np.bincount(data.transactions["customer_idx"].values,
                                 minlength=data.catalog.n_customers) > 0
        return self

    def _validation_windows(self, data: TrainData) -> list[tuple[TrainData, GroundTruth]]:
        """The last `validation_windows` windows of `validation_weeks` weeks before `until`,
        newest first: a few hundred buyers per window are too few to train a ranker on alone.
        On the H&M sample eight windows (back to the previous autumn) order the top of the list
        better than three on each of the last five 4-week windows; further back, what older
        seasons teach about new arrivals starts to cost their recall (benchmarks/ranker_windows.py,
        3 seeds, mean MAP@12 / Recall@100 / new-article ratios: 3 windows 0.86 / 1.27 / 1.16, 8
        windows 1.05 / 1.27 / 0.98, 11 windows 1.10 / 1.30 / 0.86). What they span counts more
        than how many there are (rankers refitted on candidates cached once per window, as that
        benchmark cannot yet): at depth 150, eight windows ending every 2 weeks instead of 4
        (overlapping, back 18 weeks) gave 1.03 / 1.32 / 1.21 against 1.10 / 1.37 / 1.25, and
        sixteen of them (back 34 weeks) 1.13 / 1.40 / 1.23, within the seeds' spread for twice the
        training rows; the eight weighted by 0.85 per window of age, 1.09 / 1.38 / 1.27."""
        windows, remaining = [], data
        for _ in range(self.validation_windows):
            fit_part, truth = validation_split(remaining, weeks=self.validation_weeks)
            if len(fit_part.transactions) == 0 or not truth.bought:
                break
            windows.append((fit_part, truth))
            remaining = fit_part
        return windows

    def _fitted_components(self, data: TrainData, what: str) -> dict[str, Model]:
        fitted = {}
        for name, factory in tqdm(self.factories.items(), desc=what, unit="model"):
            fitted[name] = factory().fit(data)
        return fitted

    def _training_rows(self, window: tuple[TrainData, GroundTruth]):
        """Features, labels (bought in the window or not) and group sizes of every candidate of
        the window's buyers, from components fitted on the purchases before the window."""
        fit_part, truth = window
        components = self._fitted_components(fit_part, f"fit components before {truth.start.date()}")
        context = ContextFeatures(fit_part)
        customers = truth.customers
        if len(customers) > self.max_training_customers:
            rng = np.random.default_rng(self.seed)
            customers = np.sort(rng.choice(customers, self.max_training_customers, replace=False))
        features, labels, groups = [], [], []
        batches = list(_batches(customers, SCORING_BATCH))
        for _, batch in tqdm(batches, desc="ranker training rows", unit="batch"):
            pair_rows, pair_articles, batch_features = self._candidate_features(components, context, batch)
            features.append(batch_features)
            # only the article itself counts: grading another colour of a product bought in the
            # window as a lesser purchase (14% of a window's purchases are a second colour of one
            # product) lowered all three ratios (benchmarks/ranker_windows.py, 3 seeds x 5
            # windows: 1.02 / 1.25 / 0.77 against 1.10 / 1.37 / 1.25)
            labels.append(np.fromiter(
                (a in truth.bought.get(int(batch[r]), ()) for r, a in zip(pair_rows, pair_articles)),
                dtype=np.int32, count=len(pair_articles),
            ))
            groups.append(np.bincount(pair_rows, minlength=len(batch)))
        bought = sum(len(truth.bought[int(c)]) for c in customers)
        return np.concatenate(features), np.concatenate(labels), np.concatenate(groups), np.array([bought])

    def _fit_ranker(self, features: np.ndarray, labels: np.ndarray, groups: np.ndarray, bought: np.ndarray):
        """LambdaRank learns only from pairs that involve one of the first `ranker_depth` places of
        its own order (LightGBM's truncation level, 30 unless set). The merge shows never-sold
        articles from deep in that order: on the H&M test window a customer's first 20 of them
        (about as many as a top 100 shows) stood at its places 26 to 149 (10th to 90th
        percentile), below the articles sold before. Over the last five 4-week windows, 3 seeds
        (benchmarks/ranker_windows.py --depths), mean MAP@12 / Recall@100 / new-article ratios:
        depth 30 1.05 / 1.27 / 0.98, 60 1.10 / 1.31 / 0.99, 100 1.18 / 1.31 / 1.02, 150 1.15 /
        1.33 / 1.09, 200 1.09 / 1.33 / 1.11, 300 1.07 / 1.33 / 1.03. Against 30, at 150
        Recall@100 rises on all five windows, the new-article ratio on four, MAP@12 on three
        (level on one, down on one)."""
        from lightgbm import LGBMRanker

        # unconstrained: made non-decreasing in each component's score and non-increasing in its
        # rank (LightGBM's intermediate method), refitted on cached candidates, 6 seeds x 5
        # windows gave 1.15 / 1.37 / 1.19 against 1.11 / 1.37 / 1.24, and with seeds 3-5 the
        # new-article ratio fell on all five
        # 300 trees instead of 100 gave 0.99 / 1.39 / 1.32 against 1.09 / 1.44 / 1.22 (refitted on
        # cached candidates, 3 seeds x 5 windows); a second ranker for the never-sold articles
        # alone, ordering them for the merge, lowered the test window's new-article ratio to
        # 0.68-0.77 (3 seeds; 1.21 on average with one ranker) and was not taken further. Nor did
        # other settings do better on the same rows: a binary objective (LightGBM's classifier)
        # 0.89 / 1.39 / 1.08, 15 leaves of at least 50 rows 1.01 / 1.38 / 1.29, learning rate 0.1
        # 1.00 / 1.40 / 1.26, half the features per tree 1.07 / 1.42 / 1.24
        ranker = LGBMRanker(
            objective="lambdarank", n_estimators=100, learning_rate=0.05, num_leaves=7,
            min_child_samples=100, subsample=0.8, subsample_freq=1, colsample_bytree=0.8,
            lambdarank_truncation_level=self.ranker_depth, random_state=self.seed, verbose=-1, n_jobs=2,
        )
        ranker.fit(features, labels, group=groups[groups > 0])
        self.candidate_recall = float(labels.sum() / max(bought.sum(), 1))
        return ranker

    # -- scoring ----------------------------------------------------------------------------
    def _candidate_features(self, components, context, customers: np.ndarray):
        """Candidates for each customer (the union of the components' `_proposals`) with one
        feature row each: (row in `customers`, article, features), grouped by row."""
        unlisted = context.unlisted
        scores = {name: np.where(unlisted, -np.inf, model.score(customers)) for name, model in components.items()}
        candidate_sets = self._proposals(scores, np.flatnonzero(context.never_sold()))
        per_row = [candidates[~unlisted[candidates]] for candidates in map(np.unique, candidate_sets)]
        rows = np.concatenate([np.full(len(a), i) for i, a in enumerate(per_row)])
        pair_articles = np.concatenate(per_row)
        columns = []
        # each score's rank among all articles; adding its place among the customer's candidates
        # of the same kind (sold before, never sold) moved the five-window ratios by less than the
        # ranker's seeds do (3 seeds x 5 windows, rankers refitted on candidates cached once per
        # window: 1.10 / 1.37 / 1.21 against 1.10 / 1.37 / 1.25)
        for s in (scores[name] for name in self.feature_sources):
            ranks = _ranks(s)
            columns.append(s[rows, pair_articles])
            columns.append(ranks[rows, pair_articles].astype(np.float32))
        features = np.column_stack([*columns, context.for_pairs(customers[rows], pair_articles)])
        return rows, pair_articles, features.astype(np.float32)

    def training_setup(self) -> dict:
        """What a ranker is trained on and must be served with: its features, which candidates it
        learns to order (a ranker trained on other candidates orders them blind), how deep in
        their order it learns (one that learnt only its first 30 places orders almost blind the
        never-sold articles that a list takes from further down) and how the merge weighs them."""
        proposers = sorted(set(self.factories) - set(self.feature_sources))
        return {"features": self.feature_names(), "proposers": proposers,
                "candidates_per_component": self.candidates_per_component,
                "unsold_candidates": dict(self.unsold_candidates), "ranker_depth": self.ranker_depth,
                "never_sold_weight": self.never_sold_weight, "unweighted_places": UNWEIGHTED_PLACES}

    def _proposals(self, scores: dict[str, np.ndarray], never_sold: np.ndarray) -> np.ndarray:
        """Per customer, every component's top list and, for each entry of `unsold_candidates`,
        its best articles among `never_sold` (repeats included).

        Ties fall as the partial sort leaves them, and some components tie widely (the taste
        model scores a whole department alike, baskets most articles 0): the same setup with
        ties at the 100th place falling otherwise (each list cut from a top 200) gave mean
        MAP@12 / Recall@100 / new-article ratios 1.08 / 1.40 / 1.15 against 1.09 / 1.44 / 1.22
        over the H&M sample's last five 4-week windows (3 seeds, rankers refitted on candidates
        cached once per window), as far apart as most tries here. Breaking them by what sells
        (7 days, 28, ever, then the newest) gave 1.12 / 1.42 / 1.25; against the top-200 cut,
        the trends' top 200 1.12 / 1.40 / 1.20, trends' and repurchases' 1.09 / 1.43 / 1.13,
        the visual model's 400 never-sold articles 1.06 / 1.39 / 1.19."""
        proposals = [top_k(s, self.candidates_per_component) for s in scores.values()]
        if len(never_sold):
            proposals += [top_k(_blended(scores, blend, never_sold), n, never_sold)
                          for blend, n in self.unsold_candidates.items()]
        return np.concatenate(proposals, axis=1)

    def feature_names(self) -> list[str]:
        per_component = [f"{name}_{kind}" for name in self.feature_sources for kind in ("score", "rank")]
        return per_component + ContextFeatures.names()

    def score(self, customers: np.ndarray, articles: np.ndarray | None = None) -> np.ndarray:
        """Ranker scores on each customer's candidates; every other article scores below them,
        ordered by the cold-start component so that lists never run short."""
        customers = np.asarray(customers)
        out = self.components[self.cold_start].score(customers)
        warm_rows = np.flatnonzero(self.known[customers])
        if len(warm_rows):
            # The ranker's outputs are small and unbounded; shifting the fallback far below them
            # keeps every candidate ahead of it while keeping the fallback's own order.
            out = out.astype(np.float64)
            out[warm_rows] -= 1e6
            rows, pair_articles, scores = self.candidate_scores(customers[warm_rows])
            out[warm_rows[rows], pair_articles] = scores
        return out if articles is None else out[:, articles]

    def candidate_scores(self, customers: np.ndarray):
        """The ranker's score for each candidate pair of these (known) customers: (row in
        `customers`, article, score), grouped by row. Scored `SCORING_BATCH` customers at a time:
        every component's scores and ranks of every article for a batch are held at once."""
        parts = []
        for offset, batch in _batches(customers, SCORING_BATCH):
            rows, pair_articles, features = self._candidate_features(self.components, self.context, batch)
            scores = self.merge.scores(rows, self._kinds(features), self.ranker.predict(features))
            parts.append((rows + offset, pair_articles, scores))
        return tuple(np.concatenate(columns) for columns in zip(*parts))

    def _kinds(self, features: np.ndarray) -> np.ndarray:
        names = self.feature_names()
        return article_kinds(features[:, names.index("sold_all")])

    # -- persistence ------------------------------------------------------------------------
    def save(self, path: Path) -> None:
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        for name, model in self.components.items():
            model.save(path / name)
        state = {k: v for k, v in self.__dict__.items() if k not in ("components", "context", "factories")}
        state["component_types"] = {name: type(m) for name, m in self.components.items()}
        (path / STATE).write_bytes(pickle.dumps(state))

    @staticmethod
    def saved_in(path: Path) -> bool:
        return (Path(path) / STATE).exists()

    @staticmethod
    def saved_setup(path: Path) -> dict | None:
        """The `training_setup` of the ranker saved under `path` (None from a version that did
        not record it)."""
        return pickle.loads((Path(path) / STATE).read_bytes()).get("trained_on")

    @classmethod
    def load(cls, path: Path, catalog: Catalog, data: TrainData | None = None) -> "FusedModel":
        path = Path(path)
        state = pickle.loads((path / STATE).read_bytes())
        model = cls.__new__(cls)
        types = state.pop("component_types")
        model.__dict__.update(state)
        model.factories = dict.fromkeys(types)
        # a ranker saved before there were proposers saw every component's scores
        model.__dict__.setdefault("feature_sources", list(types))
        saved = state.get("trained_on") or {}
        # an older version's ranker saw other features, or its merge weighed no kind of article
        if saved.get("features") != model.feature_names() or "never_sold_weight" not in saved:
            raise ValueError(f"the ranker saved in {path} was trained by an older version, on other features "
                             "or with another merge, than this one: run `recommender train` again")
        model.components = {name: kind.load(path / name, catalog) for name, kind in types.items()}
        model.context = ContextFeatures(data or TrainData.before(catalog))
        return model


def _batches(items: np.ndarray, size: int):
    """(offset of the first, items) for each run of `size` items in turn."""
    for start in range(0, len(items), size):
        yield start, items[start : start + size]


def _blended(scores: dict[str, np.ndarray], blend: str, articles: np.ndarray) -> np.ndarray:
    """The scores of `articles` by the components named in `blend` ("visual", or "taste+visual+text"):
    per customer, the sum of each one's scores standardised over `articles`, so that no component
    weighs more for the scale it happens to score on (one that scores them all alike adds nothing).
    An article that one of them cannot score (not finite) comes last."""
    names = blend.split(BLEND)
    total = np.zeros((len(scores[names[0]]), len(articles)))
    for name in names:
        part = scores[name][:, articles].astype(np.float64)
        part[~np.isfinite(part)] = np.nan
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)  # a row with no finite score at all
            spread = np.nanstd(part, axis=1, keepdims=True)
            total += (part - np.nanmean(part, axis=1, keepdims=True)) / np.where(spread > 0, spread, 1)
    return np.nan_to_num(total, nan=-np.inf)


def _ranks(scores: np.ndarray) -> np.ndarray:
    """Each column's position in its row, best first: one sort and a scatter, which serving a
    known customer pays on every component, instead of sorting twice."""
    order = np.argsort(-scores, axis=1)
    ranks = np.empty_like(order)
    positions = np.broadcast_to(np.arange(scores.shape[1]), order.shape)
    np.put_along_axis(ranks, order, positions, axis=1)
    return ranks
