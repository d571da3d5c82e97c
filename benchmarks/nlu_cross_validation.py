"""NLU quality: intent and entity F1 from Rasa's own cross-validation.

    .venv-rasa/bin/python benchmarks/nlu_cross_validation.py [--folds 5] [--config config.yml]
                                                             [--epochs N] [--out var/reports]

Runs `rasa test nlu --nlu data --cross-validation --folds N` with the project's pipeline (the
NLU files in data/nlu and the lookup tables in data/lookups), in a temporary folder so nothing
lands in the repository, and writes:
  nlu.json   the figures: intent and entity F1 (mean and spread over the folds, and on all the
             folds' test predictions together), per intent and per entity, and the confusions
  nlu.md     the same as tables, against the targets of issue 5 (intent F1 0.92, entity F1 0.88)
  nlu.png    F1 per intent and per entity, with the targets
  nlu_intent_confusion_matrix.png, nlu_entity_confusion_matrix.png   Rasa's own plots
`--epochs` overrides DIETClassifier's epochs, for a quick look only: the figures that count come
from the real config.yml. About 45 minutes on two busy cores for 5 folds (Rasa's default);
progress is printed as it goes.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Dict, List, Optional, Tuple

import yaml

ROOT = Path(__file__).resolve().parent.parent
TARGETS = {"intent_f1": 0.92, "entity_f1": 0.88}
EXTRACTOR = "DIETClassifier"
# what Rasa prints once per fold and at the end; anything else is left out of the progress
PROGRESS = re.compile(
    r"(Starting to train component 'DIETClassifier'|Finished training component 'DIETClassifier'"
    r"|Running model for predictions|Accumulated test folds|CV evaluation|Entity extractor:"
    r"|(train|test) (Accuracy|F1-score|Precision):|Intent evaluation results|Entity evaluation results)"
)
FOLD_LINE = re.compile(r"(train|test) (Accuracy|F1-score|Precision): ([0-9.]+) \(([0-9.]+)\)")


def rasa_bin() -> str:
    here = Path(sys.executable).parent / "rasa"
    if here.exists():
        return str(here)
    venv = ROOT / ".venv-rasa" / "bin" / "rasa"
    if venv.exists():
        return str(venv)
    sys.exit("nlu_cross_validation: no rasa here; run it with .venv-rasa/bin/python")


def config_for(config: Path, epochs: Optional[int], into: Path) -> Path:
    if epochs is None:
        return config
    data = yaml.safe_load(config.read_text(encoding="utf-8"))
    for component in data.get("pipeline") or []:
        if component.get("name") == "DIETClassifier":
            component["epochs"] = epochs
    target = into / "config.yml"
    target.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return target


def count_examples(nlu_dir: Path) -> Tuple[int, int]:
    intents, examples = 0, 0
    for path in sorted(nlu_dir.glob("*.yml")):
        for block in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("nlu") or []:
            if "intent" in block:
                intents += 1
                examples += sum(1 for line in str(block.get("examples") or "").splitlines()
                                if line.strip().startswith("- "))
    return intents, examples


def run_cv(folds: int, config: Path, data_dirs: List[Path], out: Path) -> Tuple[str, float]:
    """Runs Rasa's cross-validation, printing its progress; returns its log and the seconds."""
    command = [rasa_bin(), "test", "nlu", "--cross-validation", "--folds", str(folds),
               "--config", str(config), "--out", str(out), "--nlu"] + [str(d) for d in data_dirs]
    print(f"[nlu-cv] {' '.join(command[1:])}", flush=True)
    start = time.monotonic()
    log: List[str] = []
    fold = 0
    env = dict(os.environ, PYTHONUNBUFFERED="1", TF_CPP_MIN_LOG_LEVEL="2")
    with subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          env=env, text=True, errors="replace", bufsize=1) as proc:
        assert proc.stdout is not None
        for raw in proc.stdout:
            for line in raw.replace("\r", "\n").splitlines():
                log.append(line)
                if "Starting to train component 'DIETClassifier'" in line:
                    fold += 1
                    print(f"[nlu-cv] {time.monotonic() - start:6.0f}s  fold {fold}/{folds}: training", flush=True)
                elif PROGRESS.search(line) and "Starting to train" not in line:
                    message = line.split(" - ", 1)[-1].strip()
                    print(f"[nlu-cv] {time.monotonic() - start:6.0f}s  {message}", flush=True)
        code = proc.wait()
    seconds = time.monotonic() - start
    if code != 0:
        print("\n".join(log[-40:]), file=sys.stderr)
        sys.exit(f"nlu_cross_validation: rasa test nlu failed (exit {code})")
    return "\n".join(log), seconds


def fold_figures(log: str) -> Dict[str, Dict[str, Dict[str, float]]]:
    """Mean and spread over the folds, as Rasa logs them: section -> 'test F1-score' -> {mean, std}."""
    figures: Dict[str, Dict[str, Dict[str, float]]] = {}
    section = None
    for line in log.splitlines():
        if "Intent evaluation results" in line:
            section = "intent"
        elif "Entity extractor:" in line:
            section = "entity:" + line.rsplit(":", 1)[-1].strip()
        elif "Response Selection evaluation results" in line:
            section = "response_selection"
        match = FOLD_LINE.search(line)
        if match and section:
            figures.setdefault(section, {})[f"{match.group(1)} {match.group(2)}"] = {
                "mean": float(match.group(3)), "std": float(match.group(4))}
    return figures


def per_class(report: Dict[str, Any]) -> Dict[str, Dict[str, Any]]:
    rows = {}
    for name, row in report.items():
        if not isinstance(row, dict) or "f1-score" not in row or name.endswith(" avg"):
            continue
        rows[name] = {"precision": round(row["precision"], 3), "recall": round(row["recall"], 3),
                      "f1": round(row["f1-score"], 3), "support": row["support"],
                      "confused_with": row.get("confused_with", {})}
    return dict(sorted(rows.items(), key=lambda kv: kv[1]["f1"]))


def confusions(rows: Dict[str, Dict[str, Any]], top: int = 15) -> List[Dict[str, Any]]:
    pairs = [{"true": name, "predicted": other, "count": count}
             for name, row in rows.items() for other, count in (row.get("confused_with") or {}).items()]
    return sorted(pairs, key=lambda p: -p["count"])[:top]


def summarise(results: Path, log: str, seconds: float, folds: int, config: Path,
              epochs: Optional[int], intents: int, examples: int) -> Dict[str, Any]:
    intent_report = json.loads((results / "intent_report.json").read_text())
    entity_path = results / f"{EXTRACTOR}_report.json"
    entity_report = json.loads(entity_path.read_text()) if entity_path.exists() else {}
    figures = fold_figures(log)
    intents_rows = per_class(intent_report)
    entity_rows = per_class(entity_report)
    entity_rows.pop("no_entity", None)
    intent_f1 = figures.get("intent", {}).get("test F1-score", {}).get(
        "mean", intent_report["weighted avg"]["f1-score"])
    entity_f1 = figures.get(f"entity:{EXTRACTOR}", {}).get("test F1-score", {}).get(
        "mean", (entity_report.get("weighted avg") or {}).get("f1-score", 0.0))
    errors_path = results / "intent_errors.json"
    errors = json.loads(errors_path.read_text()) if errors_path.exists() else []
    return {
        "what": "rasa test nlu --cross-validation",
        "folds": folds,
        "config": str(config.relative_to(ROOT) if config.is_relative_to(ROOT) else config),
        "diet_epochs_override": epochs,
        "intents": intents,
        "examples": examples,
        "seconds": round(seconds, 1),
        "targets": TARGETS,
        "intent_f1": round(intent_f1, 3),
        "entity_f1": round(entity_f1, 3),
        "meets_targets": intent_f1 >= TARGETS["intent_f1"] and entity_f1 >= TARGETS["entity_f1"],
        "folds_mean_std": figures,
        "all_folds": {
            "intent_weighted_f1": round(intent_report["weighted avg"]["f1-score"], 3),
            "intent_accuracy": round(intent_report.get("accuracy", 0.0), 3),
            "entity_weighted_f1": round((entity_report.get("weighted avg") or {}).get("f1-score", 0.0), 3),
        },
        "intent": intents_rows,
        "entity": entity_rows,
        "intent_confusions": confusions(intents_rows),
        "entity_confusions": confusions(entity_rows),
        "intent_errors": [{"text": e.get("text"), "intent": e.get("intent"),
                           "predicted": (e.get("intent_prediction") or {}).get("name"),
                           "confidence": round((e.get("intent_prediction") or {}).get("confidence") or 0, 2)}
                          for e in errors],
    }


def markdown(summary: Dict[str, Any]) -> str:
    t = summary["targets"]
    fm = summary["folds_mean_std"]
    lines = [
        "# NLU cross-validation",
        "",
        f"`rasa test nlu --cross-validation --folds {summary['folds']}` with `{summary['config']}`"
        + (f" (DIET epochs {summary['diet_epochs_override']}: a quick look, not the real figure)"
           if summary["diet_epochs_override"] else "")
        + f", {summary['examples']} examples of {summary['intents']} intents, {summary['seconds'] / 60:.1f} min.",
        "",
        "| | F1 (mean over folds) | spread | target | |",
        "|---|---|---|---|---|",
    ]
    for key, section in (("intent_f1", "intent"), ("entity_f1", f"entity:{EXTRACTOR}")):
        std = fm.get(section, {}).get("test F1-score", {}).get("std")
        ok = "met" if summary[key] >= t[key] else "**not met**"
        lines.append(f"| {key.split('_')[0]} | {summary[key]:.3f} | {'' if std is None else f'± {std:.3f}'} "
                     f"| {t[key]:.2f} | {ok} |")
    lines += ["", "## Intents (all folds' test predictions)", "",
              "| intent | F1 | precision | recall | n | confused with |", "|---|---|---|---|---|---|"]
    for name, row in summary["intent"].items():
        conf = ", ".join(f"{k} {v}" for k, v in row["confused_with"].items())
        lines.append(f"| {name} | {row['f1']:.2f} | {row['precision']:.2f} | {row['recall']:.2f} "
                     f"| {row['support']} | {conf} |")
    lines += ["", f"## Entities ({EXTRACTOR})", "",
              "| entity | F1 | precision | recall | n | confused with |", "|---|---|---|---|---|---|"]
    for name, row in summary["entity"].items():
        conf = ", ".join(f"{k} {v}" for k, v in row["confused_with"].items())
        lines.append(f"| {name} | {row['f1']:.2f} | {row['precision']:.2f} | {row['recall']:.2f} "
                     f"| {row['support']} | {conf} |")
    lines += ["", "## Most frequent intent confusions", ""]
    lines += [f"- {c['true']} → {c['predicted']}: {c['count']}" for c in summary["intent_confusions"]] or ["- none"]
    lines += ["", "## Some misread utterances", ""]
    lines += [f"- “{e['text']}”: {e['intent']} read as {e['predicted']} ({e['confidence']})"
              for e in summary["intent_errors"][:25]] or ["- none"]
    lines += ["", "Plots: nlu.png, nlu_intent_confusion_matrix.png, nlu_entity_confusion_matrix.png.", ""]
    return "\n".join(lines)


def plot(summary: Dict[str, Any], target: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    intents = summary["intent"]
    entities = summary["entity"]
    fig, (left, right) = plt.subplots(1, 2, figsize=(13, 6), gridspec_kw={"width_ratios": [3, 1.2]})
    for ax, rows, key, title in ((left, intents, "intent_f1", "Intents"), (right, entities, "entity_f1", "Entities")):
        names = list(rows)
        values = [rows[n]["f1"] for n in names]
        colours = ["#2a9d8f" if v >= summary["targets"][key] else "#e76f51" for v in values]
        ax.barh(names, values, color=colours)
        ax.axvline(summary["targets"][key], color="black", linestyle="--", linewidth=1,
                   label=f"target {summary['targets'][key]:.2f}")
        ax.set_xlim(0, 1)
        ax.set_title(f"{title}: F1 {summary[key]:.3f}")
        ax.legend(loc="lower right")
        ax.tick_params(axis="y", labelsize=8)
    fig.suptitle(f"NLU {summary['folds']}-fold cross-validation ({summary['examples']} examples)")
    fig.tight_layout()
    fig.savefig(target, dpi=110)
    plt.close(fig)


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--folds", type=int, default=5)  # as `rasa test nlu --cross-validation`
    parser.add_argument("--config", type=Path, default=ROOT / "config.yml")
    parser.add_argument("--epochs", type=int, default=None, help="DIET epochs, for a quick look only")
    parser.add_argument("--nlu", type=Path, nargs="+", default=[ROOT / "data" / "nlu", ROOT / "data" / "lookups"])
    parser.add_argument("--out", type=Path, default=Path(os.environ.get("RECOMMENDER_VAR", ROOT / "var")) / "reports")
    args = parser.parse_args(argv)

    intents, examples = count_examples(args.nlu[0])
    print(f"[nlu-cv] {examples} examples of {intents} intents, {args.folds} folds", flush=True)
    with tempfile.TemporaryDirectory(prefix="nlu-cv-") as tmp:
        tmp_path = Path(tmp)
        data = tmp_path / "data"
        data.mkdir()
        for folder in args.nlu:  # rasa test nlu --nlu takes one folder
            for path in sorted(folder.glob("*.yml")):
                shutil.copy(path, data / f"{folder.name}-{path.name}")
        config = config_for(args.config.resolve(), args.epochs, tmp_path)
        results = tmp_path / "results"
        log, seconds = run_cv(args.folds, config, [data], results)
        summary = summarise(results, log, seconds, args.folds, args.config.resolve(), args.epochs,
                            intents, examples)
        args.out.mkdir(parents=True, exist_ok=True)
        for name, copy_as in (("intent_confusion_matrix.png", "nlu_intent_confusion_matrix.png"),
                              (f"{EXTRACTOR}_confusion_matrix.png", "nlu_entity_confusion_matrix.png")):
            if (results / name).exists():
                shutil.copy(results / name, args.out / copy_as)
    (args.out / "nlu.json").write_text(json.dumps(summary, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    (args.out / "nlu.md").write_text(markdown(summary), encoding="utf-8")
    plot(summary, args.out / "nlu.png")
    print(f"[nlu-cv] intent F1 {summary['intent_f1']:.3f} (target {TARGETS['intent_f1']}), "
          f"entity F1 {summary['entity_f1']:.3f} (target {TARGETS['entity_f1']}), "
          f"{seconds / 60:.1f} min", flush=True)
    for name, row in summary["entity"].items():
        print(f"[nlu-cv]   {name:14s} F1 {row['f1']:.3f}", flush=True)
    print(f"[nlu-cv] wrote {args.out / 'nlu.json'}, nlu.md, nlu.png", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
