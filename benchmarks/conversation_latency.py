"""Per-turn latency of the whole assistant through Rasa's REST channel, and the time from start
to ready: the real recommender, action server, Rasa server and web server, as `make demo` runs
them, each in its own process.

    .venv-rasa/bin/python benchmarks/conversation_latency.py [--var DIR] [--model var/rasa/models/assistant.tar.gz]

--var names a RECOMMENDER_VAR that already holds an ingested, trained catalog (for example the
H&M sample's); without it a 600-article demo catalog is built in a temporary folder. Each shopper
follows the same conversation (greeting, a black dress, a budget, liking a card, more, trending);
a "card turn" is one whose replies include product cards. First one shopper after another, then
20 at once. Targets for one shopper on card turns: p50 < 150 ms, p95 < 300 ms.
Writes var/reports/conversation_latency.{json,md,png}.
"""
from __future__ import annotations

import argparse
import json
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "e2e"))
from stack import Stack, build_demo_catalog  # noqa: E402

REPORTS = ROOT / "var" / "reports"
TARGETS_MS = {"p50": 150, "p95": 300}


def say(rasa: str, sender: str, text: str) -> tuple[float, list[dict]]:
    body = json.dumps({"sender": sender, "message": text}).encode()
    request = urllib.request.Request(f"{rasa}/webhooks/rest/webhook", body, {"Content-Type": "application/json"})
    started = time.perf_counter()
    with urllib.request.urlopen(request, timeout=120) as response:
        replies = json.load(response)
    return (time.perf_counter() - started) * 1000, replies


def cards(replies: list[dict]) -> list[dict]:
    return [card for reply in replies if reply.get("custom", {}).get("type") == "product_cards"
            for card in reply["custom"]["cards"]]


def conversation(rasa: str, sender: str) -> list[dict]:
    """One shopper's turns: each with its text, milliseconds and whether it showed cards."""
    turns = []

    def turn(text: str) -> list[dict]:
        ms, replies = say(rasa, sender, text)
        shown = cards(replies)
        turns.append({"text": text.split("{")[0], "ms": ms, "cards": bool(shown)})
        return shown

    turn("hi")
    shown = turn("I'm looking for a black dress") or turn("no budget, anything is fine")
    if shown:
        turn('/like{"article_id":"%s"}' % shown[0]["article_id"])
    turn("show me more")
    turn("what's trending?")
    return turns


def run_shoppers(rasa: str, n: int, concurrent: int, tag: str) -> list[dict]:
    turns: list[dict] = []
    lock = threading.Lock()
    barrier = threading.Barrier(concurrent)

    def shopper(index: int) -> None:
        if concurrent > 1:
            barrier.wait()
        result = conversation(rasa, f"{tag}-{index}")
        with lock:
            turns.extend(result)

    for start in range(0, n, concurrent):
        threads = [threading.Thread(target=shopper, args=(i,)) for i in range(start, start + concurrent)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        print(f"  {tag}: {min(start + concurrent, n)}/{n} shoppers", flush=True)
    return turns


def summary(turns: list[dict]) -> dict:
    card_ms = np.array([t["ms"] for t in turns if t["cards"]])
    all_ms = np.array([t["ms"] for t in turns])
    stats = lambda ms: {"n": int(len(ms)), "p50": float(np.percentile(ms, 50)), "p95": float(np.percentile(ms, 95)),
                        "p99": float(np.percentile(ms, 99)), "mean": float(ms.mean())} if len(ms) else {"n": 0}
    return {"card_turns": stats(card_ms), "all_turns": stats(all_ms)}


def write_reports(result: dict, runs: dict[str, list[dict]]) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    REPORTS.mkdir(parents=True, exist_ok=True)
    (REPORTS / "conversation_latency.json").write_text(json.dumps(result, indent=2))
    one = result["one_shopper"]["card_turns"]
    lines = [
        "# Conversation latency (REST, card turns)", "",
        f"Start to ready: " + ", ".join(f"{k} {v:.1f} s" for k, v in result["ready_s"].items()), "",
        "| load | turns | p50 ms | p95 ms | p99 ms |", "|---|---|---|---|---|",
    ]
    for name in ("one_shopper", "twenty_at_once"):
        s = result[name]["card_turns"]
        lines.append(f"| {name.replace('_', ' ')} | {s['n']} | {s['p50']:.0f} | {s['p95']:.0f} | {s['p99']:.0f} |")
    lines += ["", f"Targets for one shopper: p50 < {TARGETS_MS['p50']} ms ({'met' if one['p50'] < TARGETS_MS['p50'] else 'missed'}), "
              f"p95 < {TARGETS_MS['p95']} ms ({'met' if one['p95'] < TARGETS_MS['p95'] else 'missed'})."]
    (REPORTS / "conversation_latency.md").write_text("\n".join(lines) + "\n")

    figure, axis = plt.subplots(figsize=(8, 4))
    for name, turns in runs.items():
        ms = sorted(t["ms"] for t in turns if t["cards"])
        axis.plot(ms, np.linspace(0, 1, len(ms)), label=name.replace("_", " "))
    for label, value in TARGETS_MS.items():
        axis.axvline(value, linestyle="--", color="grey")
        axis.text(value, 0.02, f" {label} target", color="grey")
    axis.set_xscale("log")
    axis.set_xlabel("milliseconds per turn that shows cards (log)")
    axis.set_ylabel("share of turns")
    axis.set_title("Assistant turn latency through Rasa's REST channel")
    axis.legend()
    figure.tight_layout()
    figure.savefig(REPORTS / "conversation_latency.png", dpi=120)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--var", type=Path, help="a RECOMMENDER_VAR with an ingested, trained catalog")
    parser.add_argument("--model", type=Path, default=ROOT / "var" / "rasa" / "test-models" / "ci.tar.gz")
    parser.add_argument("--shoppers", type=int, default=20, help="shoppers one after another")
    parser.add_argument("--concurrent", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=2, help="rounds of `--concurrent` shoppers at once")
    args = parser.parse_args()
    if not args.model.exists():
        sys.exit(f"no Rasa model at {args.model}: run `make test` or `make demo` first, or pass --model")

    with tempfile.TemporaryDirectory() as scratch:
        var = args.var
        if var is None:
            var = Path(scratch)
            print("building a 600-article demo catalog ...", flush=True)
            build_demo_catalog(var)
        stack = Stack(var, args.model)
        print("starting the recommender, action server, Rasa and the web server ...", flush=True)
        stack.start()
        try:
            first_ms, _ = say(stack.urls["rasa"], "warm-up", "hi")
            print(f"ready: {stack.ready_s}; first reply {first_ms:.0f} ms", flush=True)
            runs = {
                "one_shopper": run_shoppers(stack.urls["rasa"], args.shoppers, 1, "alone"),
                "twenty_at_once": run_shoppers(stack.urls["rasa"], args.concurrent * args.rounds, args.concurrent, "crowd"),
            }
        finally:
            stack.stop()
    result = {"ready_s": {k: round(v, 2) for k, v in stack.ready_s.items()}, "first_reply_ms": first_ms,
              "catalog": str(args.var or "demo (600 articles)"), "model": str(args.model),
              **{name: summary(turns) for name, turns in runs.items()}}
    write_reports(result, runs)
    print((REPORTS / "conversation_latency.md").read_text())


if __name__ == "__main__":
    main()
