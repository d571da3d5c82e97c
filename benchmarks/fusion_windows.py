"""How far the fused model's target ratios move with the window they are measured on and with the
seed it is trained from: the test window (the last 4 weeks) and the 4-week windows before it, each
scored after training on everything before it, against the best baseline of that window: the
models of `recommender evaluate` and the ratios of benchmarks/recommender_targets.py, each with its
paired 95% interval.

    PYTHONPATH=. .venv/bin/python benchmarks/fusion_windows.py --catalog <ingested catalog> [--windows 4] [--seeds 0 1]

A few hundred buyers a window leave a lot to chance, and one window cannot tell a better fusion
from a lucky one: a change to the ranker or the merge should lift the ratios on most windows.
About 3 minutes a window and seed on the H&M sample on two CPU cores, with the text embeddings
and the pre-trained CNN cached under var/cache. Writes var/reports/fusion_windows.{json,md,png}.
"""
from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd
from tqdm.auto import tqdm

from benchmarks import catalog_benchmark
from benchmarks.recommender_targets import quality_targets
from recommender.catalog.store import Catalog
from recommender.evaluation.runner import evaluate_split
from recommender.evaluation.split import holdout_split, validation_split
from recommender.models.visual.dvbpr import VisualConfig
from recommender.training import evaluation_factories

# the ratios of recommender_targets.quality_targets that concern the fused model, and their target
TARGETS = {
    "fused MAP@12 / best baseline": "MAP@12 ratio",
    "fused Recall@100 / best baseline": "Recall@100 ratio",
    "fused Recall@100 new / text similarity": "new-article ratio",
}


def windows(catalog: Catalog, count: int):
    """(label, training data, ground truth) of the test window, then of each window before it."""
    train, truth = holdout_split(catalog)
    for _ in range(count):
        if not truth.bought:
            return  # the purchases ran out before `count` windows
        yield f"{truth.start.date()}..{(truth.end - pd.Timedelta(days=1)).date()}", train, truth
        train, truth = validation_split(train)


def add_windows_argument(parser, default: int) -> None:
    parser.add_argument("--windows", type=int, default=default, help="the test window and this many minus one before it")


def run(catalog: Catalog, count: int, seeds: list[int]) -> list[dict]:
    """Per window and seed, `recommender evaluate`'s models and the targets benchmark's ratios
    (each with its paired interval, against the window's best baseline)."""
    rows = []
    for label, train, truth in tqdm(list(windows(catalog, count)), desc="windows", unit="window"):
        for seed in seeds:
            evaluation = evaluate_split(train, truth, evaluation_factories(replace(VisualConfig(), seed=seed), seed))
            quality = quality_targets(evaluation.table, evaluation.flat_per_customer())
            rows.append({"window": label, "buyers": len(truth.bought), "seed": seed, **quality})
    return rows


def markdown(rows: list[dict]) -> str:
    header = ["window", "buyers", "seed", *TARGETS, "visual AUC"]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for row in rows:
        cells = [row["window"], str(row["buyers"]), str(row["seed"])]
        for name in TARGETS:
            cells.append(f"{ratio_cell(row[name])} vs {row[name]['against']}")
        lines.append("| " + " | ".join(cells + [f"{row['visual AUC']:.3f}"]) + " |")
    summary = [_spread(name, [r[name]["ratio"] for r in rows], rows[0]["targets"][target])
               for name, target in TARGETS.items()]
    return "\n".join(lines + [""] + summary) + "\n"


def ratio_cell(figure: dict) -> str:
    """A ratio of fused_ratios with its interval, as the tables show it: 0.87 [0.63, 1.47]."""
    low, high = figure["95% interval"]
    return f"{figure['ratio']:.2f} [{low:.2f}, {high:.2f}]"


def _spread(name: str, ratios: list[float], target: float) -> str:
    return f"- {name}: mean {np.nanmean(ratios):.2f}, from {np.nanmin(ratios):.2f} to {np.nanmax(ratios):.2f} (target {target})"


def plot(rows: list[dict], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")  # no display where reports are built
    import matplotlib.pyplot as plt

    labels = window_labels(rows)
    seeds = sorted({r["seed"] for r in rows})
    fig, axes = plt.subplots(1, len(TARGETS), figsize=(5 * len(TARGETS), 4.5))
    for ax, (name, target) in zip(axes, TARGETS.items()):
        for offset, seed in enumerate(seeds):
            figures = [next(r[name] for r in rows if r["window"] == w and r["seed"] == seed) for w in labels]
            ratio = np.array([f["ratio"] for f in figures])
            interval = np.array([f["95% interval"] for f in figures]).T
            # seeds side by side, so that their intervals do not hide each other
            x = np.arange(len(labels)) + 0.1 * (offset - (len(seeds) - 1) / 2)
            ax.errorbar(x, ratio, yerr=np.abs(interval - ratio), marker="o", capsize=3, label=f"seed {seed}")
        ax.axhline(rows[0]["targets"][target], color="0.4", linestyle="--", label="target")
        ax.axhline(1.0, color="0.7", linestyle=":", label="as good as the reference")
        ax.set_title(name)
        label_windows(ax, labels)
    catalog_benchmark.save_panels(fig, axes, path, legend_columns=len(seeds) + 2)


def window_labels(rows: list[dict]) -> list[str]:
    """The windows of `rows`, oldest first, as a plot reads them left to right."""
    return list(dict.fromkeys(r["window"] for r in rows))[::-1]


def label_windows(ax, labels: list[str]) -> None:
    """A per-window panel's x axis: each window by its first day."""
    ax.set_xticks(range(len(labels)), [w.split("..")[0] for w in labels], rotation=30, fontsize="small")
    ax.set_xlabel("window (first day; the last is the test window)")


def main(argv=None) -> None:
    parser = catalog_benchmark.parser(__doc__)
    add_windows_argument(parser, default=4)
    args = parser.parse_args(argv)
    rows = run(Catalog.load(args.catalog), args.windows, args.seeds)
    catalog_benchmark.write_reports(args.out, "fusion_windows", rows, markdown, plot)


if __name__ == "__main__":
    main()
