"""One real stack for every end-to-end test: the recommender trained on a small demo catalog, the
action server, Rasa (the model `make test` trained just before) and the web server (shop, widget,
review app), each a real process on a free port; and a real browser (Playwright driving Debian's
Chromium). Runs in the Rasa environment."""
from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
RECOMMENDER = ROOT / ".venv" / "bin" / "recommender"
RASA = ROOT / ".venv-rasa" / "bin" / "rasa"
MODEL = ROOT / "var" / "rasa" / "test-models" / "ci.tar.gz"
REVIEWER = {"name": "support", "password": "correct horse battery staple"}
ARTIFACTS = ROOT / "var" / "test-artifacts"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get_json(url: str, timeout: float = 10):
    with urllib.request.urlopen(url, timeout=timeout) as response:
        return json.load(response)


def wait_until_up(url: str, process: subprocess.Popen, seconds: float = 300) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{process.args[:3]} exited with {process.returncode} before {url} answered")
        try:
            urllib.request.urlopen(url, timeout=2).close()
            return
        except OSError:
            time.sleep(1)
    raise TimeoutError(f"{url} did not answer within {seconds} s")


def build_catalog(var: Path, env: dict) -> None:
    for step in (["demo-data", str(var / "src"), "--articles", "600", "--customers", "150"],
                 ["ingest", str(var / "src")], ["train"]):
        subprocess.run([str(RECOMMENDER), *step], env=env, check=True, capture_output=True)


def review_accounts(var: Path) -> Path:
    from bot.review.accounts import add_account

    path = var / "review-accounts.json"
    add_account(path, REVIEWER["name"], REVIEWER["password"])
    return path


@pytest.fixture(scope="session")
def stack(tmp_path_factory):
    if not (MODEL.exists() and RECOMMENDER.exists()):
        pytest.skip("needs the trained Rasa model and .venv: run through `make test`")
    var = tmp_path_factory.mktemp("e2e")
    env = {**os.environ, "RECOMMENDER_VAR": str(var)}
    build_catalog(var, env)
    ports = {name: free_port() for name in ("recommender", "actions", "rasa", "web")}
    urls = {name: f"http://127.0.0.1:{port}" for name, port in ports.items()}
    tracker_db_url = f"sqlite:///{var / 'tracker.db'}"
    endpoints = var / "endpoints.yml"
    endpoints.write_text(
        f"action_endpoint:\n  url: {urls['actions']}/webhook\n"
        f"tracker_store:\n  type: SQL\n  dialect: sqlite\n  db: {var / 'tracker.db'}\n"
    )
    env |= {
        "RECOMMENDER_URL": urls["recommender"],
        "BOT_PUBLIC_URL": urls["rasa"],
        "WEB_PORT": str(ports["web"]),
        "TRACKER_DB_URL": tracker_db_url,
        "REVIEW_ACCOUNTS": str(review_accounts(var)),
        "WEB_SECRET": "e2e-secret",
    }
    commands = {
        "recommender": [str(RECOMMENDER), "serve", "--port", str(ports["recommender"])],
        "actions": [str(RASA), "run", "actions", "--actions", "actions", "--port", str(ports["actions"])],
        "rasa": [str(RASA), "run", "--enable-api", "--cors", "*", "--port", str(ports["rasa"]), "--model", str(MODEL),
                 "--endpoints", str(endpoints), "--credentials", str(ROOT / "credentials.yml")],
        "web": [sys.executable, "-m", "bot.server"],
    }
    logs = {name: open(var / f"{name}.log", "w") for name in commands}
    processes = {name: subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=logs[name], stderr=subprocess.STDOUT)
                 for name, cmd in commands.items()}
    try:
        wait_until_up(f"{urls['recommender']}/health", processes["recommender"])
        wait_until_up(f"{urls['actions']}/health", processes["actions"])
        wait_until_up(f"{urls['rasa']}/status", processes["rasa"])
        wait_until_up(f"{urls['web']}/widget/widget.js", processes["web"])
        yield {**urls, "tracker_db_url": tracker_db_url, "var": var, "env": env, "reviewer": REVIEWER}
    finally:
        for process in processes.values():
            process.terminate()
        for process in processes.values():
            process.wait(timeout=30)
        for log in logs.values():
            log.close()


@pytest.fixture(scope="session")
def browser():
    executable = shutil.which("chromium")
    if not executable:
        pytest.skip("needs Debian's chromium (`apt-get install chromium`; .ci/run installs it)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=executable,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 860})
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS
