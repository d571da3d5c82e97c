"""What each change to the visual model adds: its AUC (the DVBPR protocol) and Recall@100 on the
validation window (the 4 weeks before the test window, where settings are picked) and on the test
window (the last 4 weeks), from the paper-like model to the one `recommender train` uses.

    .venv/bin/python benchmarks/visual_ablation.py --catalog <ingested catalog> [--seeds 0 1]

Each step changes one setting of `VisualConfig` on top of the step before; the pre-trained CNN is
shared (cached under var/cache), so a step costs a BPR fit: about 20 s on two CPU cores on the
H&M sample. Writes var/reports/visual_ablation.{json,md,png}.
"""
from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from tqdm.auto import tqdm

from benchmarks import catalog_benchmark
from recommender.catalog.store import Catalog
from recommender.evaluation.runner import measure
from recommender.evaluation.split import holdout_split, validation_split
from recommender.models.visual.dvbpr import VisualConfig, VisualModel

# (what the step is, the settings changed from the final model's): each adds one change to the
# one before, the last takes the catalog facts away from the model trained
STEPS = [
    ("paper-like: linear bias from the photo, L2 1e-4", dict(bias_hidden=0, assortment_prior=False, l2=1e-4, heads=1)),
    ("+ catalog facts in the bias", dict(bias_hidden=0, l2=1e-4, heads=1)),
    ("+ L2 3e-2 on taste", dict(bias_hidden=0, heads=1)),
    ("+ MLP bias", dict(heads=1)),
    ("+ 3 heads averaged (the model trained)", {}),
    ("the model trained, without catalog facts", dict(assortment_prior=False)),
]


def run(catalog: Catalog, seeds: list[int]) -> list[dict]:
    train, test = holdout_split(catalog)
    windows = {"validation": validation_split(train), "test": (train, test)}
    rows = []
    for (step, changes), seed in tqdm([(s, seed) for s in STEPS for seed in seeds], desc="visual ablation"):
        config = replace(VisualConfig(), seed=seed, **changes)
        for window, (fit_on, truth) in windows.items():
            figures = measure(VisualModel(config).fit(fit_on), truth)
            rows.append({"step": step, "seed": seed, "window": window,
                         "AUC": figures["AUC"], "Recall@100": figures["Recall@100"]})
    return rows


def markdown(rows: list[dict]) -> str:
    lines = ["| step | seed | validation AUC | validation Recall@100 | test AUC | test Recall@100 |", "|---|---|---|---|---|---|"]
    for step, _ in STEPS:
        for seed in sorted({r["seed"] for r in rows}):
            by_window = {r["window"]: r for r in rows if r["step"] == step and r["seed"] == seed}
            cells = [f"{by_window[w][m]:.4f}" for w in ("validation", "test") for m in ("AUC", "Recall@100")]
            lines.append(f"| {step} | {seed} | " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def plot(rows: list[dict], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")  # no display where reports are built
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, 2, figsize=(12, 4.5), sharey=True)
    names = [step for step, _ in STEPS]
    for ax, window in zip(axes, ("validation", "test")):
        for seed in sorted({r["seed"] for r in rows}):
            auc = [next(r["AUC"] for r in rows if r["step"] == s and r["seed"] == seed and r["window"] == window) for s in names]
            ax.plot(range(len(names)), auc, marker="o", label=f"seed {seed}")
        ax.axhline(0.75, color="0.4", linestyle="--", label="target 0.75")
        ax.set_title(f"visual AUC, {window} window")
        ax.set_xticks(range(len(names)), [f"{i + 1}" for i in range(len(names))])
        ax.set_xlabel("step (see the table)")
        ax.legend(fontsize="small")
    fig.suptitle("; ".join(f"{i + 1}: {n}" for i, n in enumerate(names)), fontsize="small", wrap=True)
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)


def main(argv=None) -> None:
    parser = catalog_benchmark.parser(__doc__)
    args = parser.parse_args(argv)
    rows = run(Catalog.load(args.catalog), args.seeds)
    catalog_benchmark.write_reports(args.out, "visual_ablation", rows, markdown, plot)


if __name__ == "__main__":
    main()
