"""The support review app in a real browser (Playwright driving Debian's Chromium) against the real
stack: shoppers talk to the bot over Rasa's REST channel, then a reviewer is refused until signed
in, signs in, finds a conversation by a word the shopper used, opens it, sees its cards with their
photos, and exports it; and what a shopper typed as HTML is shown as text, with no script run.
Screenshots land in var/test-artifacts/."""
from __future__ import annotations

import csv
import json
import urllib.request
import uuid
from urllib.parse import quote

import pytest

pytestmark = pytest.mark.slow

SCRIPT = "<script>window.__xss = true; alert(1)</script>"
IMG = "<img src=x onerror=\"window.__xss = true; alert(2)\">"


def say(stack, sender: str, text: str) -> list:
    body = json.dumps({"sender": sender, "message": text}).encode()
    request = urllib.request.Request(f"{stack['rasa']}/webhooks/rest/webhook", body, {"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=120) as response:
        return json.load(response)


def cards_in(replies: list) -> list:
    return [card for reply in replies if (reply.get("custom") or {}).get("type") == "product_cards"
            for card in reply["custom"]["cards"]]


@pytest.fixture(scope="module")
def garden_party(stack):
    """A shopper who greets the bot (trending cards) and asks for something for a garden party."""
    sender = f"review-e2e-{uuid.uuid4().hex[:8]}"
    shown = cards_in(say(stack, sender, "hi"))
    shown += cards_in(say(stack, sender, "I need a dress for a garden party"))
    assert shown, "the bot showed no cards"
    return sender


def sign_in(page, stack) -> None:
    page.goto(stack["web"] + "/review/")
    page.get_by_label("Name").fill(stack["reviewer"]["name"])
    page.get_by_label("Password").fill(stack["reviewer"]["password"])
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("heading", name="Conversations").wait_for()


def test_nothing_is_shown_before_signing_in(stack, page, garden_party):
    page.goto(f"{stack['web']}/review/conversation?id={quote(garden_party)}")
    assert "/review/login" in page.url
    assert page.get_by_role("heading", name="Sign in").is_visible()
    assert page.locator(".transcript").count() == 0
    assert "garden party" not in page.content()
    export = page.request.get(f"{stack['web']}/review/export.json", max_redirects=0)
    assert export.status == 302 and "/review/login" in export.headers["location"]

    page.get_by_label("Name").fill(stack["reviewer"]["name"])
    page.get_by_label("Password").fill("not the password")
    page.get_by_role("button", name="Sign in").click()
    assert page.get_by_role("alert").inner_text() == "Wrong name or password."


def test_find_open_and_export_a_conversation(stack, page, garden_party, artifacts):
    sign_in(page, stack)
    page.get_by_label("Words the shopper wrote").fill("garden")
    page.get_by_role("button", name="Search").click()
    found = page.locator(f"table.conversations a[href='/review/conversation?id={garden_party}']")
    assert found.count() >= 1, "the search did not find the conversation"
    found.first.click()

    page.locator(".product-card").first.wait_for()
    assert garden_party in page.get_by_role("heading", level=1).inner_text()
    page.wait_for_function("[...document.querySelectorAll('.product-card img')].every(i => i.complete)")
    photos = page.locator(".product-card img").evaluate_all("imgs => imgs.map(i => i.naturalWidth)")
    assert photos and all(width > 0 for width in photos), photos
    assert page.get_by_text("I need a dress for a garden party").is_visible()
    page.screenshot(path=str(artifacts / "review-transcript.png"), full_page=True)

    with page.expect_download() as download:
        page.get_by_role("link", name="Export CSV").click()
    rows = list(csv.DictReader(open(download.value.path(), encoding="utf-8")))
    assert {row["conversation"] for row in rows} == {garden_party}
    assert any(row["text"] == "I need a dress for a garden party" and row["intent"] for row in rows)
    assert any(row["cards"] for row in rows)
    with page.expect_download() as download:
        page.get_by_role("link", name="Export JSON").click()
    exported = json.load(open(download.value.path(), encoding="utf-8"))
    assert exported["conversations"][0]["conversation"] == garden_party


def test_html_from_a_shopper_is_shown_as_text_and_never_runs(stack, page, artifacts):
    sender = f"xss-{uuid.uuid4().hex[:8]}"
    for text in (SCRIPT, IMG):
        say(stack, sender, text)
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    sign_in(page, stack)

    page.goto(f"{stack['web']}/review/?words={quote('window.__xss')}")
    page.get_by_text(SCRIPT, exact=True).wait_for()
    page.goto(f"{stack['web']}/review/conversation?id={quote(sender)}")
    for text in (SCRIPT, IMG):
        assert page.locator(".shopper .bubble", has_text=text).first.inner_text() == text
    assert page.locator("main script, main img[src='x']").count() == 0
    page.screenshot(path=str(artifacts / "review-xss.png"), full_page=True)
    assert page.evaluate("window.__xss === undefined") and dialogs == []
