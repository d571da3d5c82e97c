"""The recommender's targets (issue 3), measured end to end through the `recommender` command:

- quality on the last 4 weeks of a catalog (`recommender evaluate`): the fused model against the
  best baseline on MAP@12 and Recall@100, against text similarity on never-bought articles, and
  the visual model's own AUC;
- speed and memory: `recommender train` wall time and peak memory, `predict` for every customer.

    .venv/bin/python benchmarks/recommender_targets.py --data ../shared/data/hm-sample

Each step runs as a child process in a scratch RECOMMENDER_VAR, so that its peak memory is its
own. Figures go to var/reports/recommender_targets.json, next to evaluate's table and plot.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

from recommender.evaluation.metrics import ratio_interval
from recommender.training import FUSED, TEXT_SIMILARITY, VISUAL, is_project_model

BIN = Path(sys.executable).parent
REPORTS = Path("var/reports")
QUALITY_TARGETS = {"MAP@12 ratio": 1.5, "Recall@100 ratio": 1.5, "new-article ratio": 2.0, "visual AUC": 0.75}


def run(step: list[str], env: dict) -> dict:
    """Run one `recommender` step; its wall time and the peak memory of the largest child so far."""
    started = time.perf_counter()
    subprocess.run([str(BIN / "recommender"), *step], env=env, check=True)
    peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return {"seconds": round(time.perf_counter() - started, 1), "peak_memory_gb": round(peak_kb / 2**20, 2)}


def quality_targets(table: pd.DataFrame, per_customer: dict) -> dict:
    """Each target's ratio with its 95% interval, the same customers resampled for both models
    (evaluate's per-customer figures): a few hundred buyers leave a lot to chance."""
    return {
        **fused_ratios(table, per_customer),
        "visual AUC": float(table.set_index("model").loc[VISUAL, "AUC"]),
        "targets": QUALITY_TARGETS,
    }


def fused_ratios(table: pd.DataFrame, per_customer: dict) -> dict:
    """The fused model's three target ratios, each with its paired interval: against the best
    baseline of `table` on MAP@12 and Recall@100, against text similarity on never-bought articles."""
    by_model = table.set_index("model")
    baselines = by_model.loc[[m for m in by_model.index if not is_project_model(m)]]
    best = {metric: str(baselines[metric].idxmax()) for metric in ("MAP@12", "Recall@100")}

    def fused_against(reference: str, metric: str) -> dict:
        ratio, low, high = ratio_interval(per_customer[f"{FUSED}|{metric}"], per_customer[f"{reference}|{metric}"])
        return {"against": reference, "ratio": round(ratio, 2), "95% interval": [round(low, 2), round(high, 2)]}

    return {
        "fused MAP@12 / best baseline": fused_against(best["MAP@12"], "MAP@12"),
        "fused Recall@100 / best baseline": fused_against(best["Recall@100"], "Recall@100"),
        "fused Recall@100 new / text similarity": fused_against(TEXT_SIMILARITY, "Recall@100 new"),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, required=True, help="catalog folder in H&M's layout")
    parser.add_argument("--skip-evaluate", action="store_true", help="speed and memory only")
    args = parser.parse_args()
    scratch = Path(tempfile.mkdtemp(prefix="recommender-targets-"))
    env = {**os.environ, "RECOMMENDER_VAR": str(scratch)}
    figures = {"data": str(args.data.resolve()), "ingest": run(["ingest", str(args.data)], env)}
    figures["train"] = run(["train"], env)
    customers = pd.read_parquet(scratch / "catalog" / "customers.parquet")[["customer_id"]]
    customers.to_csv(scratch / "customers.csv", index=False)
    figures["predict (every customer, k=12)"] = run(
        ["predict", "--customers", str(scratch / "customers.csv"), "--k", "12", "--out", str(scratch / "p.csv")], env
    )
    figures["training report"] = json.loads((scratch / "models" / "training.json").read_text())
    if not args.skip_evaluate:
        figures["evaluate"] = run(["evaluate", "--out", str(REPORTS)], env)
        table = pd.DataFrame(json.loads((REPORTS / "evaluation.json").read_text())["models"])
        figures["quality"] = quality_targets(table, dict(np.load(REPORTS / "evaluation.npz")))
    REPORTS.mkdir(parents=True, exist_ok=True)
    (REPORTS / "recommender_targets.json").write_text(json.dumps(figures, indent=2))
    print(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()
