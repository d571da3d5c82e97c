"""End to end: the real recommender (trained on a small demo catalog), the real action server and
the real Rasa server (the model `make test` trained just before), talked to through Rasa's REST
channel as a shop's integration would. Runs in the Rasa environment."""
from __future__ import annotations

import json
import os
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
RECOMMENDER = ROOT / ".venv" / "bin" / "recommender"
RASA = ROOT / ".venv-rasa" / "bin" / "rasa"
MODEL = ROOT / "var" / "rasa" / "test-models" / "ci.tar.gz"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str, timeout: float = 10):
    with urllib.request.urlopen(url, timeout=timeout) as response:
        return json.load(response)


def _wait_until_up(url: str, process: subprocess.Popen, seconds: float = 300) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{process.args[:3]} exited with {process.returncode} before {url} answered")
        try:
            _get(url, timeout=2)
            return
        except OSError:
            time.sleep(1)
    raise TimeoutError(f"{url} did not answer within {seconds} s")


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    if not (MODEL.exists() and RECOMMENDER.exists()):
        pytest.skip("needs the trained Rasa model and .venv: run through `make test`")
    var = tmp_path_factory.mktemp("e2e")
    env = {**os.environ, "RECOMMENDER_VAR": str(var)}
    for step in (["demo-data", str(var / "src"), "--articles", "600", "--customers", "150"],
                 ["ingest", str(var / "src")], ["train"]):
        subprocess.run([str(RECOMMENDER), *step], env=env, check=True, capture_output=True)
    ports = {name: _free_port() for name in ("recommender", "actions", "rasa")}
    recommender_url = f"http://127.0.0.1:{ports['recommender']}"
    endpoints = var / "endpoints.yml"
    endpoints.write_text(
        f"action_endpoint:\n  url: http://127.0.0.1:{ports['actions']}/webhook\n"
        f"tracker_store:\n  type: SQL\n  dialect: sqlite\n  db: {var / 'tracker.db'}\n"
    )
    env |= {"RECOMMENDER_URL": recommender_url}
    commands = {
        "recommender": [str(RECOMMENDER), "serve", "--port", str(ports["recommender"])],
        "actions": [str(RASA), "run", "actions", "--actions", "actions", "--port", str(ports["actions"])],
        "rasa": [str(RASA), "run", "--enable-api", "--port", str(ports["rasa"]), "--model", str(MODEL),
                 "--endpoints", str(endpoints), "--credentials", str(ROOT / "credentials.yml")],
    }
    logs = {name: open(var / f"{name}.log", "w") for name in commands}
    processes = {name: subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=logs[name], stderr=subprocess.STDOUT)
                 for name, cmd in commands.items()}
    try:
        _wait_until_up(f"{recommender_url}/health", processes["recommender"])
        _wait_until_up(f"http://127.0.0.1:{ports['actions']}/health", processes["actions"])
        _wait_until_up(f"http://127.0.0.1:{ports['rasa']}/status", processes["rasa"])
        yield {"rasa": f"http://127.0.0.1:{ports['rasa']}", "recommender": recommender_url}
    finally:
        for process in processes.values():
            process.terminate()
        for process in processes.values():
            process.wait(timeout=30)
        for log in logs.values():
            log.close()


class Shopper:
    def __init__(self, stack, name: str):
        self.stack, self.name = stack, name
        self.seen: list[str] = []

    def say(self, text: str) -> list[dict]:
        body = json.dumps({"sender": self.name, "message": text}).encode()
        request = urllib.request.Request(f"{self.stack['rasa']}/webhooks/rest/webhook", body,
                                         {"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=60) as response:
            replies = json.load(response)
        assert replies, f"the bot stayed silent after {text!r}"
        cards = self.cards(replies)
        self.seen += [c["article_id"] for c in cards]
        return replies

    @staticmethod
    def cards(replies: list[dict]) -> list[dict]:
        return [card for reply in replies if reply.get("custom", {}).get("type") == "product_cards"
                for card in reply["custom"]["cards"]]

    def product(self, article_id: str) -> dict:
        return _get(f"{self.stack['recommender']}/products/{article_id}")


def test_greeting_shows_trending_cards(stack):
    shopper = Shopper(stack, "greeted")
    cards = Shopper.cards(shopper.say("hi"))
    assert len(cards) >= 3
    assert all(card["image_url"] and card["reason"] for card in cards)


def test_cards_match_what_was_asked_move_with_likes_and_never_repeat(stack):
    shopper = Shopper(stack, "dress-hunter")
    shopper.say("hello")
    replies = shopper.say("I'm looking for a black dress")
    cards = Shopper.cards(replies) or Shopper.cards(shopper.say("no budget, anything is fine"))
    assert cards, "no cards after a black dress was asked for (and a question answered)"
    for card in cards:
        product = shopper.product(card["article_id"])
        assert product["product_type"] == "Dress", product
        assert "black" in product["colour"].lower(), product

    liked = cards[0]["article_id"]
    after_like = Shopper.cards(shopper.say(f'/like{{"article_id":"{liked}"}}'))
    assert after_like, "liking a card brought no new cards"
    assert {c["article_id"] for c in after_like}.isdisjoint({c["article_id"] for c in cards})

    # A small catalog holds only a few black dresses: "more" brings new ones or says so.
    replies = shopper.say("show me more")
    assert Shopper.cards(replies) or any(reply.get("text") for reply in replies)
    assert len(shopper.seen) == len(set(shopper.seen)), "a card was shown twice"


def test_a_ten_thousand_character_message_gets_an_answer(stack):
    shopper = Shopper(stack, "long-message")
    replies = shopper.say("dress " * 2000)
    assert any(reply.get("text") for reply in replies)
