"""Fixtures for the tracker-store and review-app tests: a database on each kind of server.

`db_url` runs a test once on a fresh SQLite file and once on PostgreSQL, in a schema of its
own that is dropped afterwards. PostgreSQL comes from TEST_POSTGRES_URL (scripts/test.sh sets it
when scripts/postgres.sh's server answers); without one, those runs skip and say why.

Run in the Rasa environment: `python -m pytest tests/bot`.
"""
from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from scratch_schema import scratch_schema

ROOT = Path(__file__).resolve().parents[3]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

POSTGRES_URL = os.environ.get("TEST_POSTGRES_URL", "")
NO_POSTGRES = (
    "no PostgreSQL server: set TEST_POSTGRES_URL, or run scripts/postgres.sh, which installs "
    "and starts one (make test then finds it; .ci/run runs it)"
)


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request, tmp_path):
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'tracker.db'}"
        return
    if not POSTGRES_URL:
        pytest.skip(NO_POSTGRES)
    with scratch_schema(POSTGRES_URL) as url:
        yield url


REVIEWER = ("support", "correct horse battery")


@pytest.fixture
def review_config(db_url, tmp_path):
    from bot.config import WebConfig
    from bot.review.accounts import add_account

    accounts = tmp_path / "accounts.json"
    add_account(accounts, *REVIEWER)
    return WebConfig(tracker_db_url=db_url, var_dir=tmp_path / "var", review_accounts=accounts, web_secret="test-secret")


@pytest.fixture
def review_server(review_config):
    from review_http import ReviewServer

    with ReviewServer(review_config) as server:
        yield server


@pytest.fixture
def signed_in(review_server):
    """A client with a reviewer's session."""
    client = review_server.client()
    assert client.sign_in(*REVIEWER).status == 303
    return client
