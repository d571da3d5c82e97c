"""The evaluation written down: a Markdown table, the same figures as JSON, and a bar chart."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from recommender.paths import reports_dir

STEM = "evaluation"


def write_report(frame: pd.DataFrame, out_dir: str | Path | None = None) -> dict[str, Path]:
    """Write evaluation.md, evaluation.json and evaluation.png under `out_dir` (by default
    var/reports/) and return their paths by suffix."""
    out = Path(out_dir) if out_dir is not None else reports_dir()
    out.mkdir(parents=True, exist_ok=True)
    paths = {suffix: out / f"{STEM}.{suffix}" for suffix in ("md", "json", "png")}
    paths["md"].write_text(markdown(frame))
    paths["json"].write_text(
        json.dumps({"split": frame.attrs, "models": frame.to_dict(orient="records")}, indent=2)
    )
    _bar_chart(frame, paths["png"])
    return paths


def markdown(frame: pd.DataFrame) -> str:
    """The split described in a line or two, then one table row per model."""
    lines = ["# Evaluation\n"]
    lines += [f"- {key}: {value}" for key, value in frame.attrs.items()]
    lines += ["", "| " + " | ".join(frame.columns) + " |", "|" + "---|" * len(frame.columns)]
    for row in frame.itertuples(index=False):
        lines.append("| " + " | ".join(_cell(v) for v in row) + " |")
    return "\n".join(lines) + "\n"


def _cell(value) -> str:
    return f"{value:.4g}" if isinstance(value, float) else str(value)


def _bar_chart(frame: pd.DataFrame, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")  # no display where reports are built
    import matplotlib.pyplot as plt

    metric_columns = [c for c in frame.columns if c not in ("model", "fit seconds")]
    # One panel per metric, each on its own scale: MAP@12 near 0.02 would vanish next to AUC.
    fig, axes = plt.subplots(1, len(metric_columns), figsize=(3.2 * len(metric_columns), 4.5))
    colours = plt.get_cmap("tab10").colors
    for ax, metric in zip(axes, metric_columns):
        ax.bar(range(len(frame)), frame[metric], color=[colours[i % 10] for i in range(len(frame))])
        ax.set_title(metric)
        ax.set_xticks(range(len(frame)), frame["model"], rotation=60, ha="right", fontsize="small")
    fig.suptitle(f"Held-out window {frame.attrs.get('window', '')} (higher is better)")
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)
