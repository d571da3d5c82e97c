"""`recommender evaluate`: fit every model on the purchases before the held-out weeks, and
measure how well each finds what customers bought in them, side by side."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd
from tqdm.auto import tqdm

from recommender.catalog.store import Catalog
from recommender.evaluation import metrics
from recommender.evaluation.split import GroundTruth, holdout_split, purchase_kinds
from recommender.models.base import Model, TrainData, top_k

Factories = Mapping[str, Callable[[], Model]] | Iterable[tuple[str, Callable[[], Model]]]

METRICS = ["MAP@12", "Recall@12", "Recall@100", "Recall@100 new", "AUC"]


@dataclass(frozen=True)
class Evaluation:
    """The table of figures and what the report writes beside it, kept apart from the table so
    that no frame operation copies each customer's figures along."""

    table: pd.DataFrame  # one row per model: its metrics and fit seconds
    split: dict  # the window and its counts
    intervals: dict  # model -> metric -> [low, high], 95% over resampled customers
    per_customer: dict  # model -> metric -> each customer's figure, for paired comparisons (metrics.ratio_interval)

    def flat_per_customer(self) -> dict[str, np.ndarray]:
        """Each customer's figures keyed "<model>|<metric>", as evaluation.npz holds them."""
        return {f"{model}|{metric}": values
                for model, by_metric in self.per_customer.items() for metric, values in by_metric.items()}


def evaluate(
    catalog: Catalog,
    models: Factories,
    weeks: int = 4,
    k_list: tuple[int, ...] = (12, 100),
    auc_negatives: int = 100,
    seed: int = 0,
) -> Evaluation:
    """One row per model: the metrics on the last `weeks` weeks, after fitting on the rest.

    `models` maps a name to a factory (a class or a function) returning an unfitted model.
    The window and its counts come with the table, for the report.
    """
    train, truth = holdout_split(catalog, weeks)
    return evaluate_split(train, truth, models, k_list, auc_negatives, seed)


def evaluate_split(
    train: TrainData,
    truth: GroundTruth,
    models: Factories,
    k_list: tuple[int, ...] = (12, 100),
    auc_negatives: int = 100,
    seed: int = 0,
) -> Evaluation:
    """`evaluate` on a split already made (e.g. `validation_split`'s, to tune a ranker)."""
    factories = dict(models)
    rows, intervals, per_model = [], {}, {}
    for name, factory in tqdm(factories.items(), desc="evaluating", unit="model"):
        started = time.perf_counter()
        model = factory().fit(train)
        fit_seconds = time.perf_counter() - started
        per_customer, auc = measure_per_customer(model, truth, k_list, auc_negatives, seed)
        rows.append({"model": name, **_means(per_customer), "AUC": auc, "fit seconds": round(fit_seconds, 2)})
        per_model[name] = per_customer
        intervals[name] = {
            metric: list(metrics.bootstrap_interval(values, seed=seed)) for metric, values in per_customer.items()
        }
    return Evaluation(pd.DataFrame(rows), _describe(train, truth), intervals, per_model)


def measure(
    model: Model,
    truth: GroundTruth,
    k_list: tuple[int, ...] = (12, 100),
    auc_negatives: int = 100,
    seed: int = 0,
) -> dict[str, float]:
    """Every metric of the protocol for one fitted model on the window's customers."""
    per_customer, auc = measure_per_customer(model, truth, k_list, auc_negatives, seed)
    return {**_means(per_customer), "AUC": auc}


def measure_per_customer(
    model: Model,
    truth: GroundTruth,
    k_list: tuple[int, ...] = (12, 100),
    auc_negatives: int = 100,
    seed: int = 0,
    batch_size: int = 512,
) -> tuple[dict[str, np.ndarray], float]:
    """The ranking metrics of each of the window's customers (NaN where one has nothing to find),
    and the AUC over every (customer, bought article) pair.

    MAP is at the smallest k (12), "new" recall at the largest (100); the same negatives are drawn
    for every model, since the generator restarts from `seed`. Articles not yet listed at the
    window's start are shown by no model: their purchases count as found by none.
    """
    customers = truth.customers
    actual = truth.actual(customers)
    rng = np.random.default_rng(seed)
    ranked, auc = [], []
    for start in range(0, len(customers), batch_size):
        scores = np.where(truth.unlisted, -np.inf, model.score(customers[start : start + batch_size]))
        ranked.append(_listed_only(top_k(scores, max(k_list)), truth.unlisted))
        auc.append(metrics.auc_per_pair(
            scores, actual[start : start + batch_size], auc_negatives, rng, unreachable=truth.unlisted
        ))
    recommended = np.concatenate(ranked)
    per_customer = {f"MAP@{min(k_list)}": metrics.average_precisions(recommended, actual, min(k_list))}
    per_customer |= {f"Recall@{k}": metrics.recalls(recommended, actual, k) for k in k_list}
    per_customer[f"Recall@{max(k_list)} new"] = metrics.recalls(
        recommended, actual, max(k_list), among=truth.new_articles
    )
    return per_customer, float(np.concatenate(auc).mean())


def _listed_only(recommended: np.ndarray, unlisted: np.ndarray) -> np.ndarray:
    """The lists with each unlisted article blanked (-1, which no customer bought): a list runs
    short rather than show one, where the catalog lists fewer articles than the list is long."""
    return np.where(unlisted[recommended], -1, recommended)


def _means(per_customer: dict[str, np.ndarray]) -> dict[str, float]:
    return {metric: metrics.mean_counted(values) for metric, values in per_customer.items()}


def _describe(train: TrainData, truth: GroundTruth) -> dict:
    last_day = truth.end - pd.Timedelta(days=1)
    return {
        "window": f"{truth.start.date()} .. {last_day.date()}",
        "train purchases": int(len(train.transactions)),
        "window customers": len(truth.bought),
        "window purchases (distinct customer-article)": int(sum(map(len, truth.bought.values()))),
        "new articles bought in window": len(truth.new_articles),
        "window purchases of articles not yet listed (found by no model)": int(
            sum(truth.unlisted[list(bought)].sum() for bought in truth.bought.values())),
        "window purchases by kind": purchase_kinds(train, truth),
    }
