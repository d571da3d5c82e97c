"""How much of what customers buy among never-sold articles each of the project's models finds
when all 100 places of its list go to them: each model's list made only of its best never-sold
articles, against text similarity's Recall@100 on them (the reference of the new-article target,
at least 2x).

    PYTHONPATH=. .venv/bin/python benchmarks/new_article_ceiling.py --catalog <ingested catalog> [--windows 6]

The fused list gives never-sold articles only part of its places (about 40% of a window's
purchases are of articles sold before) but draws them from all these models. On the H&M sample
the models take turns: the lookalike's list found the most on the last two windows (2.19x on
the test window), the photos' on the four before (up to 2.74x). Per window (the test window, then the 4-week
windows before it), each model trained on everything before it. About 40 seconds a window on two
CPU cores, with the text embeddings and the pre-trained CNN cached under var/cache. Writes
var/reports/new_article_ceiling.{json,md,png}.
"""
from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
from tqdm.auto import tqdm

from benchmarks import catalog_benchmark
from benchmarks.fusion_windows import add_windows_argument, label_windows, window_labels, windows
from benchmarks.recommender_targets import QUALITY_TARGETS
from recommender.catalog.store import Catalog
from recommender.evaluation.runner import evaluate_split
from recommender.models.base import Model, TrainData
from recommender.models.visual.dvbpr import VisualConfig
from recommender.ranking.fusion import BLEND
from recommender.training import PROPOSERS, TEXT_SIMILARITY, UNSOLD_CANDIDATES, component_factories

METRIC = "Recall@100 new"
# the models that propose never-sold articles to the fused ranker, alone or blended
PROPOSING = tuple(dict.fromkeys(name for blend in UNSOLD_CANDIDATES for name in blend.split(BLEND)))


class NeverSoldOnly(Model):
    """A model's scores of the articles nobody bought before the cut; every other article scores
    below all of them, so that a list holds never-sold articles only."""

    def __init__(self, inner: Model):
        self.inner = inner
        self.name = f"{inner.name}, never-sold only"

    def fit(self, data: TrainData) -> "NeverSoldOnly":
        self.inner.fit(data)
        self.sold = data.sold()
        return self

    def score(self, customers: np.ndarray, articles: np.ndarray | None = None) -> np.ndarray:
        sold = self.sold if articles is None else self.sold[articles]
        return np.where(sold, -np.inf, self.inner.score(customers, articles))


def factories(seed: int) -> dict:
    """Text similarity as the target measures it, then each proposing model's never-sold list."""
    models = component_factories(replace(VisualConfig(), seed=seed)) | PROPOSERS
    return {TEXT_SIMILARITY: models["text"],
            **{name: (lambda factory=models[name]: NeverSoldOnly(factory())) for name in PROPOSING}}


def run(catalog: Catalog, count: int, seeds: list[int]) -> list[dict]:
    """Per window and seed: text similarity's new-article recall, and each proposing model's with
    a list of never-sold articles only, and its ratio to text similarity's."""
    rows = []
    for label, train, truth in tqdm(list(windows(catalog, count)), desc="windows", unit="window"):
        for seed in seeds:
            table = evaluate_split(train, truth, factories(seed)).table.set_index("model")[METRIC]
            reference = float(table[TEXT_SIMILARITY])
            rows.append({"window": label, "buyers": len(truth.bought), "seed": seed, TEXT_SIMILARITY: reference,
                         **{name: {METRIC: float(table[name]), "ratio": _ratio(table[name], reference)}
                            for name in PROPOSING}})
    return rows


def _ratio(value: float, reference: float) -> float:
    return round(float(value) / reference, 2) if reference > 0 else float("nan")


def markdown(rows: list[dict]) -> str:
    header = ["window", "buyers", "seed", f"{TEXT_SIMILARITY} ({METRIC})",
              *(f"{name}, never-sold only" for name in PROPOSING)]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for row in rows:
        cells = [row["window"], str(row["buyers"]), str(row["seed"]), f"{row[TEXT_SIMILARITY]:.4f}"]
        cells += [f"{row[name][METRIC]:.4f} ({row[name]['ratio']:.2f}x)" for name in PROPOSING]
        lines.append("| " + " | ".join(cells) + " |")
    target = QUALITY_TARGETS["new-article ratio"]
    summary = [f"- {name}, never-sold only: mean ratio {np.nanmean([r[name]['ratio'] for r in rows]):.2f} "
               f"(the fused list's target: {target})" for name in PROPOSING]
    return "\n".join(lines + [""] + summary) + "\n"


def plot(rows: list[dict], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")  # no display where reports are built
    import matplotlib.pyplot as plt

    labels = window_labels(rows)
    fig, axes = plt.subplots(1, 2, figsize=(11, 4.5))
    for name in PROPOSING:
        ratios = [np.nanmean([r[name]["ratio"] for r in rows if r["window"] == w]) for w in labels]
        recalls = [np.mean([r[name][METRIC] for r in rows if r["window"] == w]) for w in labels]
        axes[0].plot(recalls, marker="o", label=f"{name}, never-sold only")
        axes[1].plot(ratios, marker="o")
    axes[0].plot([np.mean([r[TEXT_SIMILARITY] for r in rows if r["window"] == w]) for w in labels],
                 color="0.3", linestyle=":", marker="s", label=TEXT_SIMILARITY)
    target = QUALITY_TARGETS["new-article ratio"]
    axes[1].axhline(target, color="0.4", linestyle="--")
    axes[0].set_title(f"{METRIC} (mean over seeds)")
    axes[1].set_title(f"ratio to text similarity (dashed: the fused list's target, {target}x)")
    for ax in axes:
        label_windows(ax, labels)
    catalog_benchmark.save_panels(fig, axes, path, legend_columns=len(PROPOSING) + 1)


def main(argv=None) -> None:
    parser = catalog_benchmark.parser(__doc__)
    add_windows_argument(parser, default=6)
    args = parser.parse_args(argv)
    rows = run(Catalog.load(args.catalog), args.windows, args.seeds)
    catalog_benchmark.write_reports(args.out, "new_article_ceiling", rows, markdown, plot)


if __name__ == "__main__":
    main()
