"""How many validation windows the fused model's ranker should learn from: on the test window and
the 4-week windows before it, the fused model's three target ratios (as in
benchmarks/recommender_targets.py) when its ranker and merge learn from the newest 1, 3, 6... of
its 4-week validation windows, each with a few ranker seeds; with --depths, when LambdaRank
learns from pairs among more or fewer of the first places of its order; with
--never-sold-weights, when the merge counts a never-sold article's purchase as more or fewer of
one sold before; and, with --unsold-candidates, when components propose more or fewer never-sold
articles than `recommender train`'s do.

    PYTHONPATH=. .venv/bin/python benchmarks/ranker_windows.py --catalog <ingested catalog> [--windows 5] [--counts 3 6 8 11] [--depths 30 150] [--never-sold-weights 1 3.5] [--seeds 0 1 2] [--unsold-candidates visual=100 text=50]

The candidates of every validation window are computed once per scored window (components fitted
on the purchases before each), and only the ranker is refitted per count, depth, weight and seed,
so a try costs seconds. About 4 minutes a scored window on the H&M sample on two CPU cores. Writes
var/reports/ranker_windows.{json,md,png}.
"""
from __future__ import annotations

import argparse
import itertools
from pathlib import Path

import numpy as np
from tqdm.auto import tqdm

from benchmarks import catalog_benchmark
from benchmarks.fusion_windows import TARGETS, add_windows_argument, ratio_cell, windows
from benchmarks.recommender_targets import QUALITY_TARGETS, fused_ratios
from recommender.catalog.store import Catalog
from recommender.evaluation.runner import evaluate_split, measure_per_customer
from recommender.training import FUSED, UNSOLD_CANDIDATES, evaluation_factories, fused_factory, is_project_model


def run(catalog: Catalog, count: int, window_counts: list[int], seeds: list[int],
        unsold_candidates: dict[str, int] = UNSOLD_CANDIDATES, depths: list[int] | None = None,
        never_sold_weights: list[float] | None = None) -> list[dict]:
    """Per scored window, number of validation windows, ranker depth, never-sold weight and ranker
    seed: the three ratios (depths and weights: the fused model's own when None)."""
    references = {name: f for name, f in evaluation_factories().items() if not is_project_model(name)}
    rows = []
    for label, train, truth in tqdm(list(windows(catalog, count)), desc="scored windows", unit="window"):
        baselines = evaluate_split(train, truth, references)
        reference_figures = baselines.flat_per_customer()
        fused = fused_factory(validation_windows=max(window_counts), unsold_candidates=unsold_candidates)()
        training_windows = fused.training_windows(train)
        fused.fit_components(train)
        settings = itertools.product(window_counts, depths or [fused.ranker_depth],
                                     never_sold_weights or [fused.never_sold_weight], seeds)
        for n, depth, weight, seed in settings:
            fused.ranker_depth, fused.never_sold_weight, fused.seed = depth, weight, seed
            fused.fit_ranker(training_windows[:n])
            per_customer, _ = measure_per_customer(fused, truth)
            flat = reference_figures | {f"{FUSED}|{m}": v for m, v in per_customer.items()}
            rows.append({"window": label, "buyers": len(truth.bought), "validation windows": n,
                         "windows available": len(training_windows), "ranker depth": depth,
                         "never-sold weight": weight, "seed": seed,
                         "unsold candidates": describe(unsold_candidates),
                         **fused_ratios(baselines.table, flat)})
    return rows


def setting(row: dict) -> str:
    """What a row's ranker was trained with, besides its seed."""
    return f"{row['validation windows']} windows, depth {row['ranker depth']}, weight {row['never-sold weight']:g}"


def describe(unsold_candidates: dict[str, int]) -> str:
    """{"visual": 200} -> "visual=200", as the option takes it; "none" when there are none."""
    return " ".join(f"{name}={n}" for name, n in unsold_candidates.items()) or "none"


def component_count(text: str) -> tuple[str, int]:
    """`visual=200` -> ("visual", 200)."""
    name, _, n = text.partition("=")
    if not name or not n.isdigit():
        raise argparse.ArgumentTypeError(f"expected COMPONENT=N, not {text!r}")
    return name, int(n)


def means(rows: list[dict]) -> dict[str, dict[str, float]]:
    """Per setting (validation windows, ranker depth, never-sold weight), each ratio's mean over
    scored windows and seeds."""
    settings = list(dict.fromkeys(map(setting, rows)))
    return {s: {name: float(np.mean([r[name]["ratio"] for r in rows if setting(r) == s])) for name in TARGETS}
            for s in settings}


def markdown(rows: list[dict]) -> str:
    header = ["window", "buyers", "validation windows", "ranker depth", "never-sold weight", "seed", *TARGETS]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for row in rows:
        cells = [row["window"], str(row["buyers"]), f"{row['validation windows']} of {row['windows available']}",
                 str(row["ranker depth"]), f"{row['never-sold weight']:g}", str(row["seed"])]
        cells += [ratio_cell(row[name]) for name in TARGETS]
        lines.append("| " + " | ".join(cells) + " |")
    summary = ["", f"Mean over scored windows and seeds, never-sold candidates: {rows[0]['unsold candidates']}", "",
               "| ranker trained on | " + " | ".join(TARGETS) + " |", "|" + "---|" * (len(TARGETS) + 1)]
    summary += [f"| {s} | " + " | ".join(f"{m[name]:.2f}" for name in TARGETS) + " |" for s, m in means(rows).items()]
    return "\n".join(lines + summary) + "\n"


def plot(rows: list[dict], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")  # no display where reports are built
    import matplotlib.pyplot as plt

    labels = list(dict.fromkeys(r["window"] for r in rows))
    averages = means(rows)
    settings = list(averages)
    fig, axes = plt.subplots(1, len(TARGETS), figsize=(5 * len(TARGETS), 4.5))
    for ax, name in zip(axes, TARGETS):
        for label in labels:
            per_setting = [np.mean([r[name]["ratio"] for r in rows if r["window"] == label and setting(r) == s])
                           for s in settings]
            ax.plot(settings, per_setting, marker="o", alpha=0.6, label=label)
        ax.plot(settings, [averages[s][name] for s in settings], color="black", linewidth=2.5, label="mean")
        ax.axhline(QUALITY_TARGETS[TARGETS[name]], color="0.4", linestyle="--", label="target")
        ax.axhline(1.0, color="0.7", linestyle=":", label="as good as the reference")
        ax.set_title(name)
        ax.tick_params(axis="x", labelrotation=30)
        ax.set_xlabel("4-week validation windows, depth and never-sold weight the ranker and merge learn with")
    catalog_benchmark.save_panels(fig, axes, path, legend_columns=len(labels) + 3)


def main(argv=None) -> None:
    parser = catalog_benchmark.parser(__doc__)
    add_windows_argument(parser, default=5)
    parser.add_argument("--counts", type=int, nargs="+", default=[3, 6, 8, 11],
                        help="how many of the newest validation windows the ranker learns from")
    parser.add_argument("--depths", type=int, nargs="+",
                        help="how many of its first places LambdaRank learns the order of (default: the fused model's)")
    parser.add_argument("--never-sold-weights", type=float, nargs="+",
                        help="how many purchases of articles sold before the merge counts one of a never-sold "
                             "article as (default: the fused model's)")
    parser.add_argument("--unsold-candidates", type=component_count, nargs="*", metavar="COMPONENT=N",
                        help="how many never-sold articles each component proposes besides its top list; "
                             f"none without a value; default {describe(UNSOLD_CANDIDATES)}, as `recommender train`")
    args = parser.parse_args(argv)
    unsold = UNSOLD_CANDIDATES if args.unsold_candidates is None else dict(args.unsold_candidates)
    rows = run(Catalog.load(args.catalog), args.windows, args.counts, args.seeds, unsold, args.depths,
               args.never_sold_weights)
    catalog_benchmark.write_reports(args.out, "ranker_windows", rows, markdown, plot)


if __name__ == "__main__":
    main()
