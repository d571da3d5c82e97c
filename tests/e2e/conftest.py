"""One real stack for every end-to-end test: the recommender trained on a small demo catalog, the
action server, Rasa (the model `make test` trained just before) and the web server (shop, widget,
review app), each a real process on a free port; and a real browser (Playwright driving Debian's
Chromium). Runs in the Rasa environment."""
from __future__ import annotations

import json
import shutil
import urllib.request
from pathlib import Path

import pytest

from stack import RECOMMENDER, ROOT, Stack, build_demo_catalog

MODEL = ROOT / "var" / "rasa" / "test-models" / "ci.tar.gz"
REVIEWER = {"name": "support", "password": "correct horse battery staple"}
ARTIFACTS = ROOT / "var" / "test-artifacts"


def get_json(url: str, timeout: float = 10):
    with urllib.request.urlopen(url, timeout=timeout) as response:
        return json.load(response)


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
    build_demo_catalog(var)
    running = Stack(var, MODEL, {"REVIEW_ACCOUNTS": str(review_accounts(var)), "WEB_SECRET": "e2e-secret"}).start()
    try:
        yield {**running.urls, "tracker_db_url": running.tracker_db_url, "var": var, "env": running.env,
               "reviewer": REVIEWER}
    finally:
        running.stop()


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
