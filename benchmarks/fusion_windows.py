"""How far the fused model's target ratios move with the window they are measured on and with the
seed it is trained from: the test window (the last 4 weeks) and the 4-week windows before it, each
scored after training on everything before it, against the best baseline of that window.

    PYTHONPATH=. .venv/bin/python benchmarks/fusion_windows.py --catalog <ingested catalog> [--windows 4] [--seeds 0 1]

A few hundred buyers a window leave a lot to chance, and one window cannot tell a better fusion
from a lucky one: a change to the ranker or the merge should lift the ratios on most windows.
About 2 minutes a fused fit on the H&M sample on two CPU cores, with the text embeddings and the
pre-trained CNN cached under var/cache. Writes var/reports/fusion_windows.{json,md,png}.
"""
from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd
from tqdm.auto import tqdm

from benchmarks import catalog_benchmark
from recommender.catalog.store import Catalog
from recommender.evaluation.runner import measure
from recommender.evaluation.split import holdout_split, validation_split
from recommender.models.baselines import baseline_factories
from recommender.models.text import TextModel
from recommender.models.visual.dvbpr import VisualConfig
from recommender.training import fused_factory

# (name, the fused model's metric, the target ratio); what it is compared with: `references`
TARGETS = [
    ("MAP@12 / best baseline", "MAP@12", 1.5),
    ("Recall@100 / best baseline", "Recall@100", 1.5),
    ("Recall@100 new / text similarity", "Recall@100 new", 2.0),
]


def windows(catalog: Catalog, count: int):
    """(label, training data, ground truth) of the test window, then of each window before it."""
    train, truth = holdout_split(catalog)
    for _ in range(count):
        if not truth.bought:
            return  # the purchases ran out before `count` windows
        yield f"{truth.start.date()}..{(truth.end - pd.Timedelta(days=1)).date()}", train, truth
        train, truth = validation_split(train)


def references(train, truth) -> dict[str, dict]:
    """What the fused model is compared with on this window: the best baseline on each metric
    (with its name) and text similarity."""
    baselines = {name: measure(factory().fit(train), truth) for name, factory in baseline_factories().items()}
    best = {}
    for metric in ("MAP@12", "Recall@100"):
        name = max(baselines, key=lambda n: baselines[n][metric])
        best[metric] = {"model": name, "value": baselines[name][metric]}
    text = measure(TextModel().fit(train), truth)["Recall@100 new"]
    best["Recall@100 new"] = {"model": "text similarity", "value": text}
    return best


def run(catalog: Catalog, count: int, seeds: list[int]) -> list[dict]:
    rows = []
    for label, train, truth in tqdm(list(windows(catalog, count)), desc="windows", unit="window"):
        reference = references(train, truth)
        for seed in seeds:
            fused = fused_factory(replace(VisualConfig(), seed=seed), seed=seed)().fit(train)
            figures = measure(fused, truth)
            row = {"window": label, "buyers": len(truth.bought), "seed": seed}
            for name, metric, _ in TARGETS:
                row[f"fused {metric}"] = figures[metric]
                row[f"reference {metric}"] = reference[metric]
                row[name] = figures[metric] / reference[metric]["value"] if reference[metric]["value"] else float("nan")
            rows.append(row)
    return rows


def markdown(rows: list[dict]) -> str:
    header = ["window", "buyers", "seed"] + [name for name, *_ in TARGETS]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for row in rows:
        cells = [row["window"], str(row["buyers"]), str(row["seed"])]
        for name, metric, _ in TARGETS:
            ref = row[f"reference {metric}"]
            cells.append(f"{row[name]:.2f} ({row[f'fused {metric}']:.4f} vs {ref['model']} {ref['value']:.4f})")
        lines.append("| " + " | ".join(cells) + " |")
    summary = [
        f"- {name}: mean {np.nanmean([r[name] for r in rows]):.2f}, "
        f"from {np.nanmin([r[name] for r in rows]):.2f} to {np.nanmax([r[name] for r in rows]):.2f} (target {target})"
        for name, _, target in TARGETS
    ]
    return "\n".join(lines + [""] + summary) + "\n"


def plot(rows: list[dict], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")  # no display where reports are built
    import matplotlib.pyplot as plt

    labels = list(dict.fromkeys(r["window"] for r in rows))[::-1]  # oldest first
    seeds = sorted({r["seed"] for r in rows})
    fig, axes = plt.subplots(1, len(TARGETS), figsize=(5 * len(TARGETS), 4.5))
    for ax, (name, _, target) in zip(axes, TARGETS):
        for seed in seeds:
            ratio = [next(r[name] for r in rows if r["window"] == w and r["seed"] == seed) for w in labels]
            ax.plot(range(len(labels)), ratio, marker="o", label=f"seed {seed}")
        ax.axhline(target, color="0.4", linestyle="--", label="target")
        ax.axhline(1.0, color="0.7", linestyle=":", label="as good as the reference")
        ax.set_title(f"fused {name}")
        ax.set_xticks(range(len(labels)), [w.split("..")[0] for w in labels], rotation=30, fontsize="small")
        ax.set_xlabel("window (first day; the last is the test window)")
    # one legend below the panels, where it hides no point
    fig.legend(*axes[0].get_legend_handles_labels(), loc="lower center", ncol=len(seeds) + 2)
    fig.tight_layout(rect=(0, 0.08, 1, 1))
    fig.savefig(path, dpi=120)
    plt.close(fig)


def main(argv=None) -> None:
    parser = catalog_benchmark.parser(__doc__)
    parser.add_argument("--windows", type=int, default=4, help="the test window and this many minus one before it")
    args = parser.parse_args(argv)
    rows = run(Catalog.load(args.catalog), args.windows, args.seeds)
    catalog_benchmark.write_reports(args.out, "fusion_windows", rows, markdown, plot)


if __name__ == "__main__":
    main()
