"""What `recommender train`, `predict` and `evaluate` do: which models make up the product, how
they are trained together, saved, loaded back and compared with the baselines."""
from __future__ import annotations

import json
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

from recommender.catalog.store import MANIFEST, Catalog
from recommender.models.attributes import AttributePredictor
from recommender.models.base import Model, TrainData, top_k
from recommender.models.baselines import ImplicitALS, PastPurchasesThenTrending, baseline_factories
from recommender.models.baskets import Baskets
from recommender.models.lookalike import Lookalike
from recommender.models.taste import Taste
from recommender.models.text import TextModel
from recommender.models.trends import Trends
from recommender.models.visual.dvbpr import VisualConfig, VisualModel
from recommender.paths import models_dir
from recommender.ranking.fusion import FusedModel

ATTRIBUTES = "attributes"
TRAINING_REPORT = "training.json"


def component_factories(visual: VisualConfig | None = None) -> dict[str, Callable[[], Model]]:
    """The models the fused ranker draws candidates and features from, each usable alone.

    The implicit ALS baseline among them (its top 100, its score and rank among the ranker's
    features), over the H&M sample's last five 4-week windows (3 ranker seeds, rankers refitted on
    candidates cached once per window): mean MAP@12 / Recall@100 / new-article ratios 1.11 / 1.45
    / 1.31 against 1.09 / 1.44 / 1.22 without it; Recall@100 and the new-article ratio up on four
    windows of five, MAP@12 on three (level on one). It adds some 60 candidates a customer and
    about 12 purchases a window to the 200 the others find. The implicit BPR baseline instead:
    1.09 / 1.41 / 1.33; both: 1.07 / 1.41 / 1.24."""
    return {
        "trends": Trends,
        "repurchase": PastPurchasesThenTrending,
        "baskets": Baskets,
        "visual": lambda: VisualModel(visual),
        "text": TextModel,
        "taste": Taste,
        "als": ImplicitALS,
    }


# Models that only propose candidates to the fused ranker; their scores are not among its features.
# The lookalike's top 100 and its best 50 never-sold articles, over the H&M sample's last five
# 4-week windows (3 ranker seeds, rankers refitted on candidates cached once per window), raised
# the Recall@100 ratio on four windows of five (level on one): mean MAP@12 / Recall@100 /
# new-article ratios 1.09 / 1.44 / 1.22 against 1.10 / 1.37 / 1.25 without it. As a component,
# its score and rank among the ranker's features too: 1.00 / 1.43 / 1.21
# (benchmarks/ranker_windows.py); its 50 never-sold articles alone, 1.12 / 1.36 / 1.25.
PROPOSERS = {"lookalike": Lookalike}


# Besides their top 100, the visual model proposes its best 200 articles that nobody has bought
# yet and the text model its best 50: most of what customers buy next is new, and their top lists
# are crowded with old stock. Over the H&M sample's last five 4-week windows
# (benchmarks/ranker_windows.py, 3 ranker seeds), MAP@12 / best baseline, Recall@100 / best
# baseline, new-article Recall@100 / text similarity: none 1.03, 1.28, 0.86; visual 200 and text
# 50: 1.05, 1.27, 0.98; text 200: 1.10, 1.29, 0.94; visual 100 and text 100: 1.08, 1.30, 1.04.
# They lift the recall of new articles a little; between the mixes the differences are within the
# ranker seeds' spread (0.1-0.5 on a window), so the mix picked first (on figures that still let
# models find articles not yet listed, which the visual lists did) stays.
# Photo and text alone barely tell which never-sold articles a customer buys from the rest of the
# part of the shop they buy in (models/taste.py); blended with the customer's departments and
# sections they propose 50 more. With the taste model among the components and those 50 (ranker
# at depth 150, same windows and seeds): 1.10, 1.37, 1.25 against 1.08, 1.36, 1.16 without; the
# new-article ratio rises on three windows of five (level on one), MAP@12 on three, Recall@100
# on two (level on one).
UNSOLD_CANDIDATES = {"visual": 200, "text": 50, "taste+visual+text": 50, "lookalike": 50}


# A never-sold article's purchase counts as this many of one sold before where the merge interleaves
# the kinds below a list's first 12 places (ranking/merge.py has each weight's figures): on the four
# 4-week windows before the H&M sample's test window, the weight whose three ratios fall least short
# of their targets in all (each shortfall relative to its target, none counted beyond it), mean
# MAP@12 / Recall@100 / new-article ratios 1.14 / 1.28 / 2.08 against 1.14 / 1.46 / 1.32 at weight
# 1 (3 ranker seeds, rankers refitted on candidates cached once per window). On the test window,
# left out of the choice: 1.01 / 1.37 / 2.05 against 1.01 / 1.41 / 1.27.
NEVER_SOLD_WEIGHT = 3.5


def fused_factory(visual: VisualConfig | None = None, seed: int = 0, **settings) -> Callable[[], FusedModel]:
    """The fused model as `train` builds it; `settings` override FusedModel's other defaults."""
    settings = {"cold_start": "trends", "unsold_candidates": UNSOLD_CANDIDATES,
                "never_sold_weight": NEVER_SOLD_WEIGHT} | settings
    return lambda: FusedModel(component_factories(visual), PROPOSERS, seed=seed, **settings)


def train(catalog: Catalog, out: Path | None = None, visual: VisualConfig | None = None) -> dict:
    """Train everything on all ingested purchases and save it where the service and `predict`
    load it from. Returns what was measured on the way (also saved as training.json)."""
    out = Path(out) if out is not None else models_dir()
    started = time.perf_counter()
    fused = fused_factory(visual)().fit(TrainData.before(catalog))
    item_embeddings = fused.components["visual"].item_embeddings
    # Words must reach photo-only articles, and filters must apply to them: both come from the
    # photos' embeddings, learned on the articles that have text and attributes.
    fused.components["text"].fit_mapping(item_embeddings)
    attributes = AttributePredictor().fit(item_embeddings, catalog.articles)
    fused.save(out)
    attributes.save(out / ATTRIBUTES)
    report = {
        "seconds": round(time.perf_counter() - started, 1),
        "catalog": str(catalog.path),
        "purchases": int(len(catalog.transactions)),
        "ranker candidate recall (validation)": round(fused.candidate_recall, 4),
        "attribute accuracy": attributes.accuracy,
    }
    (out / TRAINING_REPORT).write_text(json.dumps(report, indent=2, default=str))
    return report


def trained_models_current(catalog: Catalog, models: Path | None = None) -> bool:
    """Whether the models saved under `models` were trained after this catalog was ingested, by
    a ranker on the features and candidates this version trains it on: saved models that fail
    either are retrained by `make demo` rather than refused by the service or served blind."""
    models = Path(models) if models is not None else models_dir()
    report = models / TRAINING_REPORT
    if not FusedModel.saved_in(models) or not report.exists() \
            or report.stat().st_mtime < (catalog.path / MANIFEST).stat().st_mtime:
        return False
    return FusedModel.saved_setup(models) == fused_factory()().training_setup()


def load_fused(catalog: Catalog, models: Path | None = None) -> FusedModel:
    models = Path(models) if models is not None else models_dir()
    if not FusedModel.saved_in(models):
        raise FileNotFoundError(f"No trained models under {models}: run `recommender train` first.")
    return FusedModel.load(models, catalog)


def predict(catalog: Catalog, customer_ids: pd.Series, k: int, models: Path | None = None) -> pd.DataFrame:
    """One row per customer: `customer_id,prediction` with k distinct article ids, best first.
    A customer never seen gets the trending list, never an empty one."""
    if k < 1 or k > catalog.n_articles:
        raise ValueError(f"k must be between 1 and the number of articles ({catalog.n_articles}), not {k}")
    fused = load_fused(catalog, models)
    index = catalog.customer_index
    known = np.array([index.get(c, -1) for c in customer_ids], dtype=np.int64)
    ranked = np.empty((len(known), k), dtype=np.int64)
    seen = known >= 0
    if seen.any():
        ranked[seen] = fused.recommend(known[seen], k)
    if (~seen).any():
        ranked[~seen] = top_k(fused.components["trends"].band_trend(-1)[None, :], k)[0]
    article_ids = catalog.articles["article_id"].to_numpy()
    return pd.DataFrame({
        "customer_id": customer_ids.to_numpy(),
        "prediction": [" ".join(article_ids[row]) for row in ranked],
    })


# the names the evaluation table gives the project's models; every other row is a baseline
FUSED = "fused (ranker)"
VISUAL = "visual (DVBPR)"
TEXT_SIMILARITY = "text similarity to past purchases"


def project_model_factories(visual: VisualConfig | None = None) -> dict[str, Callable[[], Model]]:
    """The project's models that are evaluated alone, by their names in the table."""
    components = component_factories(visual)
    return {
        "trends (section, age band)": components["trends"],
        "baskets": components["baskets"],
        VISUAL: components["visual"],
        "taste (departments, sections)": components["taste"],
        "lookalike (closest purchase's text)": PROPOSERS["lookalike"],
    }


def evaluation_factories(visual: VisualConfig | None = None, seed: int = 0) -> dict[str, Callable[[], Model]]:
    """Every baseline, then each of the project's models alone, then all of them fused."""
    return {**baseline_factories(), TEXT_SIMILARITY: TextModel, **project_model_factories(visual),
            FUSED: fused_factory(visual, seed)}


def is_project_model(name: str) -> bool:
    """Whether a row of the evaluation table is one of the project's models (not a baseline)."""
    return name == FUSED or name in project_model_factories()
