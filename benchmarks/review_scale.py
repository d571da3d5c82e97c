"""Scale of the conversation review app: 10,000 conversations (8 to 30 events each, as Rasa
writes them) in the tracker store, on SQLite and on PostgreSQL; then the list, a word search and
a transcript, each asked of the real web server (`python -m bot.server`) by a signed-in reviewer.

    .venv-rasa/bin/python benchmarks/review_scale.py [--conversations 10000] [--repeats 30]
        [--postgres postgresql://user:pw@host:5432/db]

PostgreSQL comes from --postgres, else TEST_POSTGRES_URL, else scripts/postgres.sh --url; the
benchmark works in a schema of its own there and drops it afterwards. The events are made with
Rasa's own event classes (tests/bot/review/review_seed.py) and bulk-inserted into Rasa's `events`
table (created by Rasa's SQLTrackerStore). Also timed: indexing them all the first time, and the
refresh after one more conversation. Target: every page p95 < 500 ms.
Writes var/reports/review_scale.{json,md}.
"""
from __future__ import annotations

import argparse
import http.cookiejar
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
import uuid
from contextlib import contextmanager
from pathlib import Path
from typing import Dict, Iterator, List

import sqlalchemy as sa
from tqdm import tqdm

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests" / "e2e"), str(ROOT / "tests" / "bot" / "review")]
from rasa.core.tracker_store import SQLTrackerStore  # noqa: E402

from bot.review.accounts import add_account  # noqa: E402
from bot.review.db import connect, events  # noqa: E402
from bot.review.index import Index  # noqa: E402
from review_seed import Conversation, card  # noqa: E402
from scratch_schema import scratch_schema  # noqa: E402
from stack import free_port, wait_until_up  # noqa: E402

REPORTS = ROOT / "var" / "reports"
TARGET_MS = 500
REVIEWER = ("bench", "benchmark password")
SEARCH_WORD = "linen"  # in about one conversation in twenty
COLOURS = ["black", "white", "red", "navy", "beige", "green", "pink", "grey"]
GARMENTS = ["dress", "jeans", "blazer", "top", "skirt", "trainers", "coat", "jumper"]
OCCASIONS = ["a wedding", "the office", "a beach holiday", "a party", "everyday", "a date"]


def shopper_request(rng: random.Random) -> str:
    words = f"{rng.choice(COLOURS)} {rng.choice(GARMENTS)} for {rng.choice(OCCASIONS)}"
    if rng.random() < 0.05:
        words = f"something in {SEARCH_WORD}, maybe a {words}"
    return rng.choice(["I'm looking for a {}", "do you have a {}", "show me a {}", "{} please"]).format(words)


def conversation(number: int, rng: random.Random, start: float) -> Conversation:
    """One shopper's conversation: a greeting, then 1 to 4 turns; 13 to 29 events."""
    metadata = {"customer_id": f"cust-{rng.randrange(3000):04}"} if rng.random() < 0.3 else None
    talk = Conversation(f"bench-{number:05}-{uuid.UUID(int=rng.getrandbits(128)).hex[:8]}", start,
                        channel=rng.choice(["rest", "socketio", "socketio", "telegram"]), metadata=metadata)
    articles = [f"0{rng.randrange(100000000, 999999999)}" for _ in range(3)]
    talk.greeting(*(card(a) for a in articles))  # the widget greets with trending cards
    turns = [lambda: talk.ask(shopper_request(rng), *(card(a) for a in articles))] * 6
    turns += [lambda: talk.add_to_bag(articles[0])] * 2
    turns += [talk.handoff, talk.not_understood, talk.recommender_down]
    for _ in range(rng.randint(1, 4)):
        rng.choice(turns)()
    return talk


def event_rows(talk: Conversation) -> Iterator[Dict]:
    """The rows Rasa's SQLTrackerStore.save writes for these events."""
    for event in talk.events:
        data = event.as_dict()
        yield {
            "sender_id": talk.sender,
            "type_name": event.type_name,
            "timestamp": data.get("timestamp"),
            "intent_name": (data.get("parse_data") or {}).get("intent", {}).get("name"),
            "action_name": data.get("name"),
            "data": json.dumps(data),
        }


def seed(url: str, count: int, seed_value: int = 7) -> Dict[str, float]:
    """Rasa's table, then `count` conversations over the last 60 days, in bulk."""
    SQLTrackerStore(host=url).engine.dispose()  # creates Rasa's events table as Rasa does
    rng = random.Random(seed_value)
    now = time.time()
    engine = sa.create_engine(url, future=True)
    started, total, batch = time.perf_counter(), 0, []
    with engine.begin() as connection:
        for number in tqdm(range(count), desc="seeding", unit="conversation", mininterval=2):
            batch += event_rows(conversation(number, rng, now - rng.uniform(0, 60 * 86400)))
            if len(batch) >= 5000 or number == count - 1:
                connection.execute(sa.insert(events), batch)
                total += len(batch)
                batch = []
    engine.dispose()
    return {"conversations": count, "events": total, "seed_s": round(time.perf_counter() - started, 1)}


def index_timings(url: str) -> Dict[str, float]:
    """The first full indexing, then a refresh after one more conversation (what a page pays)."""
    index = Index(connect(url))
    started = time.perf_counter()
    index.refresh()
    first = time.perf_counter() - started
    extra = sa.create_engine(url, future=True)
    with extra.begin() as connection:
        connection.execute(sa.insert(events), list(event_rows(conversation(10**6, random.Random(1), time.time()))))
    extra.dispose()
    started = time.perf_counter()
    index.refresh()
    again = time.perf_counter() - started
    index.engine.dispose()
    return {"first_index_s": round(first, 2), "refresh_after_one_new_ms": round(again * 1000, 1)}


@contextmanager
def web_server(url: str, workdir: Path) -> Iterator[str]:
    accounts = workdir / "accounts.json"
    add_account(accounts, *REVIEWER)
    port = free_port()
    env = {**os.environ, "WEB_PORT": str(port), "TRACKER_DB_URL": url, "REVIEW_ACCOUNTS": str(accounts),
           "WEB_SECRET": "benchmark", "RECOMMENDER_URL": f"http://127.0.0.1:{free_port()}"}
    with open(workdir / "web.log", "w") as log:
        process = subprocess.Popen([sys.executable, "-m", "bot.server"], cwd=ROOT, env=env, stdout=log,
                                   stderr=subprocess.STDOUT)
        try:
            base = f"http://127.0.0.1:{port}"
            wait_until_up(f"{base}/review/login", process, seconds=120)
            yield base
        finally:
            process.terminate()
            process.wait(timeout=30)


def signed_in_opener(base: str) -> urllib.request.OpenerDirector:
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
    form = urllib.parse.urlencode({"name": REVIEWER[0], "password": REVIEWER[1], "next": "/review/"}).encode()
    opener.open(f"{base}/review/login", form, timeout=120).read()
    return opener


def timed_ms(opener, url: str, repeats: int) -> List[float]:
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        with opener.open(url, timeout=120) as response:
            response.read()
            assert response.status == 200, url
        times.append((time.perf_counter() - started) * 1000)
    return times


def percentiles(times: List[float]) -> Dict[str, float]:
    ordered = sorted(times)
    return {
        "p50_ms": round(statistics.median(ordered), 1),
        "p95_ms": round(ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))], 1),
        "max_ms": round(ordered[-1], 1),
    }


def pages(base: str, url: str, repeats: int) -> Dict[str, Dict]:
    opener = signed_in_opener(base)
    engine = sa.create_engine(url, future=True)
    with engine.connect() as connection:
        senders = connection.execute(sa.text("select sender_id from review_conversations order by sender_id")).scalars().all()
    engine.dispose()
    rng = random.Random(3)
    asked = {
        "list (newest first, page 1)": f"{base}/review/",
        "list, page 200": f"{base}/review/?page=200",
        f"word search ({SEARCH_WORD!r})": f"{base}/review/?words={SEARCH_WORD}",
        "search: words + flag + dates": f"{base}/review/?words=black+dress&flag=cards_shown&since=2000-01-01",
    }
    measured = {name: percentiles(timed_ms(opener, address, repeats)) for name, address in asked.items()}
    transcripts = [f"{base}/review/conversation?id={urllib.parse.quote(rng.choice(senders))}" for _ in range(repeats)]
    measured["transcript (a different one each time)"] = percentiles(
        [timed_ms(opener, address, 1)[0] for address in transcripts])
    return measured


def postgres_url(given: str) -> str:
    if given:
        return given
    found = subprocess.run([str(ROOT / "scripts" / "postgres.sh"), "--url"], capture_output=True, text=True)
    return os.environ.get("TEST_POSTGRES_URL") or found.stdout.strip()


def run_one(name: str, url: str, workdir: Path, args) -> Dict:
    print(f"==> {name}", flush=True)
    result = {"database": name, **seed(url, args.conversations)}
    result.update(index_timings(url))
    with web_server(url, workdir) as base:
        result["pages"] = pages(base, url, args.repeats)
    print(json.dumps(result, indent=2), flush=True)
    return result


def markdown(report: Dict) -> str:
    lines = [
        "# Review app at scale",
        "",
        f"{report['conversations']:,} conversations in the tracker store; each page asked "
        f"{report['repeats']} times of the real web server by a signed-in reviewer. Target: p95 < {TARGET_MS} ms.",
        "",
    ]
    for result in report["results"]:
        lines += [
            f"## {result['database']}",
            "",
            f"{result['events']:,} events; seeded in {result['seed_s']} s; first indexing "
            f"{result['first_index_s']} s; refresh after one new conversation "
            f"{result['refresh_after_one_new_ms']} ms.",
            "",
            "| page | p50 ms | p95 ms | max ms | under target |",
            "| --- | ---: | ---: | ---: | :---: |",
        ]
        for page, figures in result["pages"].items():
            ok = "yes" if figures["p95_ms"] < TARGET_MS else "**no**"
            lines.append(f"| {page} | {figures['p50_ms']} | {figures['p95_ms']} | {figures['max_ms']} | {ok} |")
        lines.append("")
    lines += [f"Machine: {os.cpu_count()} CPU cores, other work running. {report['when']}", ""]
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--conversations", type=int, default=10_000)
    parser.add_argument("--repeats", type=int, default=30)
    parser.add_argument("--postgres", default="")
    args = parser.parse_args()
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        results.append(run_one("SQLite", f"sqlite:///{workdir / 'tracker.db'}", workdir, args))
        postgres = postgres_url(args.postgres)
        if postgres:
            with scratch_schema(postgres, prefix="review_bench") as url:
                results.append(run_one("PostgreSQL", url, workdir, args))
        else:
            print("no PostgreSQL server answers: run scripts/postgres.sh, or pass --postgres", file=sys.stderr)
    report = {"conversations": args.conversations, "repeats": args.repeats, "target_ms": TARGET_MS,
              "when": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), "results": results}
    REPORTS.mkdir(parents=True, exist_ok=True)
    (REPORTS / "review_scale.json").write_text(json.dumps(report, indent=2) + "\n")
    (REPORTS / "review_scale.md").write_text(markdown(report))
    print(markdown(report))
    worst = max(f["p95_ms"] for r in results for f in r["pages"].values())
    return 0 if worst < TARGET_MS else 1


if __name__ == "__main__":
    sys.exit(main())
