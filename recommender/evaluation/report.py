"""The evaluation written down: a Markdown table, the same figures as JSON, and a bar chart."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd

from recommender.evaluation.runner import Evaluation
from recommender.paths import reports_dir

STEM = "evaluation"


def write_report(evaluation: Evaluation, out_dir: str | Path | None = None) -> dict[str, Path]:
    """Write evaluation.md, evaluation.json, evaluation.png and, for paired comparisons, each
    customer's figures (evaluation.npz, keys "<model>|<metric>") under `out_dir` (by default
    var/reports/); return their paths by suffix."""
    out = Path(out_dir) if out_dir is not None else reports_dir()
    out.mkdir(parents=True, exist_ok=True)
    paths = {suffix: out / f"{STEM}.{suffix}" for suffix in ("md", "json", "png", "npz")}
    paths["md"].write_text(markdown(evaluation))
    np.savez_compressed(paths["npz"], **evaluation.flat_per_customer())
    paths["json"].write_text(json.dumps({
        "split": evaluation.split,
        "models": evaluation.table.to_dict(orient="records"),
        "intervals": evaluation.intervals,
    }, indent=2))
    _bar_chart(evaluation, paths["png"])
    return paths


def markdown(evaluation: Evaluation) -> str:
    """The split described in a line or two, then one table row per model; each figure with its
    95% interval over resampled customers where the evaluation measured one."""
    frame, intervals = evaluation.table, evaluation.intervals
    lines = ["# Evaluation\n"]
    lines += [f"- {key}: {_described(value)}" for key, value in evaluation.split.items()]
    if intervals:
        lines.append("- in brackets: 95% interval of the figure over 1,000 resamplings of the window's customers")
    lines += ["", "| " + " | ".join(frame.columns) + " |", "|" + "---|" * len(frame.columns)]
    for row in frame.to_dict(orient="records"):
        around = intervals.get(row["model"], {})
        lines.append("| " + " | ".join(_cell(v, around.get(column)) for column, v in row.items()) + " |")
    return "\n".join(lines) + "\n"


def _described(value) -> str:
    """A figure of the split, or a breakdown of one as "name count (share), ..."."""
    if not isinstance(value, dict):
        return str(value)
    total = sum(value.values()) or 1
    return ", ".join(f"{name} {count} ({count / total:.0%})" for name, count in value.items())


def _cell(value, interval=None) -> str:
    if not isinstance(value, float):
        return str(value)
    if interval is None:
        return f"{value:.4g}"
    return f"{value:.4g} [{interval[0]:.3g}, {interval[1]:.3g}]"


def _bar_chart(evaluation: Evaluation, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")  # no display where reports are built
    import matplotlib.pyplot as plt

    frame, intervals = evaluation.table, evaluation.intervals
    metric_columns = [c for c in frame.columns if c not in ("model", "fit seconds")]
    # One panel per metric, each on its own scale: MAP@12 near 0.02 would vanish next to AUC.
    fig, axes = plt.subplots(1, len(metric_columns), figsize=(3.2 * len(metric_columns), 4.5))
    colours = plt.get_cmap("tab10").colors
    for ax, metric in zip(axes, metric_columns):
        ax.bar(range(len(frame)), frame[metric], color=[colours[i % 10] for i in range(len(frame))],
               yerr=_error_bars(frame, intervals, metric), capsize=2, ecolor="0.3")
        ax.set_title(metric)
        ax.set_xticks(range(len(frame)), frame["model"], rotation=60, ha="right", fontsize="small")
    fig.suptitle(f"Held-out window {evaluation.split['window']} (higher is better; lines: 95% interval "
                 "over resampled customers)")
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)


def _error_bars(frame: pd.DataFrame, intervals: dict, metric: str):
    """Distances from each bar to its interval's ends, as matplotlib wants them (none where no
    interval was measured, as for AUC)."""
    ends = [intervals.get(model, {}).get(metric) for model in frame["model"]]
    if not any(ends):
        return None
    values = frame[metric].to_numpy()
    low = [v - e[0] if e else 0 for v, e in zip(values, ends)]
    high = [e[1] - v if e else 0 for v, e in zip(values, ends)]
    return [low, high]
