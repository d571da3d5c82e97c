"""The review app over HTTP, served for real on SQLite and PostgreSQL: nothing without signing in,
the cookie's flags, the pages, exports, the dashboard, deletion with its confirmation, and a
shopper's HTML shown as text."""
from __future__ import annotations

import csv
import io
import re
import stat
from urllib.parse import quote

import pytest

from bot.review.accounts import remove_account
from bot.review.sessions import COOKIE, Sessions, secret
from conftest import REVIEWER
from review_seed import Conversation, card, save, timestamp

SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(1)>"


def routes(server):
    """Every review route, with a made-up value for its path parameter."""
    for route in server.app.router.routes:
        if route.name.startswith(f"{server.app.name}.review.") and "static" not in route.name:
            path = "/" + route.path.replace("<name:str>", "conversations.svg")
            for method in route.methods:
                yield method, path


def test_nothing_without_signing_in(review_server):
    client = review_server.client()
    checked = 0
    for method, path in routes(review_server):
        if path.rstrip("/").endswith("/login"):
            continue
        answer = client.request(method, path, {} if method == "POST" else None)
        if method == "GET":
            assert (answer.status, answer.location.split("?")[0]) == (302, "/review/login"), path
        else:
            assert answer.status == 401, path
        checked += 1
    assert checked >= 10


def test_a_wrong_password_or_name_is_refused(review_server):
    client = review_server.client()
    for name, password in ((REVIEWER[0], "wrong password!"), ("nobody", REVIEWER[1]), ("", "")):
        answer = client.sign_in(name, password)
        assert answer.status == 401 and "Wrong name or password" in answer.text
        assert not client.cookies
    assert client.get("/review/").status == 302


def test_the_session_cookie_is_httponly_samesite_and_signed(review_server):
    client = review_server.client()
    answer = client.sign_in(*REVIEWER)
    assert (answer.status, answer.location) == (303, "/review/")
    cookie = answer.headers["Set-Cookie"]
    assert COOKIE in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Path=/review" in cookie
    assert client.get("/review/").status == 200

    forged = review_server.client()
    forged.cookies[COOKIE] = Sessions(b"another secret").issue("support")
    assert forged.get("/review/").status == 302
    tampered = review_server.client()
    tampered.cookies[COOKIE] = client.cookies[COOKIE].replace(".", "x.", 1)
    assert tampered.get("/review/").status == 302


def test_sessions_expire():
    sessions = Sessions(b"k")
    cookie = sessions.issue("support", now=1_000)
    assert sessions.reviewer(cookie, now=1_001) == "support"
    assert sessions.reviewer(cookie, now=1_000 + 9 * 3600) is None


def test_signing_in_leads_only_back_into_the_app(review_server):
    client = review_server.client()
    answer = client.post("/review/login", {"name": REVIEWER[0], "password": REVIEWER[1], "next": "//evil.example/x"})
    assert answer.location == "/review/"
    client.post("/review/logout", {})
    answer = client.post("/review/login", {"name": REVIEWER[0], "password": REVIEWER[1], "next": "/review/dashboard"})
    assert answer.location == "/review/dashboard"


def test_signing_out_ends_the_session(signed_in):
    assert signed_in.post("/review/logout", {}).location == "/review/login"
    assert signed_in.get("/review/").status == 302


def test_removing_an_account_ends_its_sessions(signed_in, review_config):
    assert signed_in.get("/review/").status == 200
    remove_account(review_config.review_accounts, REVIEWER[0])
    assert signed_in.get("/review/").status == 302


@pytest.fixture
def conversations(db_url):
    save(
        db_url,
        Conversation("wedding-guest", timestamp("2026-03-01"), metadata={"customer_id": "alice"})
        .greeting(card("0706016001", "Satin slip dress")).ask("a dress for a wedding").add_to_bag("0706016001"),
        Conversation("lost-shopper", timestamp("2026-03-02")).not_understood("wibble").handoff(),
    )


def test_the_list_shows_newest_first_with_flags(signed_in, conversations):
    page = signed_in.get("/review/").text
    assert page.index("lost-shopper") < page.index("wedding-guest")
    assert "2 conversations" in page
    assert "Asked for a person" in page and "Added to bag" in page
    found = signed_in.get("/review/?words=wedding").text
    assert "wedding-guest" in found and "lost-shopper" not in found


def test_a_transcript_shows_cards_with_photos_and_what_the_nlu_understood(signed_in, conversations):
    page = signed_in.get("/review/conversation?id=wedding-guest").text
    assert 'src="http://127.0.0.1:8000/images/0706016001.jpg"' in page
    assert "Satin slip dress" in page
    assert "a dress for a wedding" in page and ">shop<" in page and "87%" in page
    assert "product_type</span> = Dress" in page
    assert "Add to bag: Satin slip dress" in page  # the tapped button, as the shopper saw it
    assert signed_in.get("/review/conversation?id=nobody").status == 404


def test_what_the_assistant_could_not_read_is_marked_in_the_transcript(signed_in, db_url):
    save(db_url, Conversation("hablante", timestamp("2026-03-03")).greeting()
         .other_language("hola, busco unos zapatos").not_understood("wibble"))
    page = signed_in.get("/review/conversation?id=hablante").text
    # the sentence in Spanish and the gibberish, not the greeting
    assert page.count('class="turn shopper not-understood"') == 2
    assert page.count('class="turn shopper') == 3


def test_export_one_conversation_and_a_filtered_set(signed_in, conversations):
    one = signed_in.get("/review/export.csv?id=wedding-guest")
    assert one.headers["Content-Type"].startswith("text/csv")
    assert 'filename="conversation-wedding-guest.csv"' in one.headers["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(one.text)))
    assert {r["conversation"] for r in rows} == {"wedding-guest"}
    flagged = signed_in.get("/review/export.json?flag=asked_person").json()
    assert flagged["filters"] == {"flag": "asked_person"}
    assert [c["conversation"] for c in flagged["conversations"]] == ["lost-shopper"]
    everything = signed_in.get("/review/export.json").json()
    assert len(everything["conversations"]) == 2


def test_the_dashboard_draws_its_plots(signed_in, conversations):
    page = signed_in.get("/review/dashboard").text
    assert "50%" in page  # one of the two reached cards, one needed a person...
    for chart in re.findall(r'<img src="(/review/dashboard/[^"]+)"', page):
        answer = signed_in.get(chart.replace("&amp;", "&"))
        assert answer.status == 200 and answer.headers["Content-Type"].startswith("image/svg+xml")
        assert "<svg" in answer.text
    assert signed_in.get("/review/dashboard/nothing.svg").status == 404


def form_token(page: str) -> str:
    return re.search(r'name="token" value="([^"]+)"', page).group(1)


def test_deleting_a_customer_needs_confirmation_and_is_recorded(signed_in, conversations):
    confirm = signed_in.get("/review/customers/delete?customer=alice").text
    assert "1 conversation of customer" in confirm
    token = form_token(confirm)

    refused = signed_in.post("/review/customers/delete", {"customer": "alice", "confirm": "alice", "token": "forged"})
    assert refused.status == 403
    unconfirmed = signed_in.post("/review/customers/delete", {"customer": "alice", "confirm": "alic", "token": token})
    assert unconfirmed.status == 400
    assert "wedding-guest" in signed_in.get("/review/").text

    done = signed_in.post("/review/customers/delete", {"customer": "alice", "confirm": "alice", "token": token})
    assert done.status == 303
    log = signed_in.get(done.location).text
    assert "Deleted 1 conversation of customer" in log and ">support<" in log and ">alice<" in log
    assert "wedding-guest" not in signed_in.get("/review/").text
    assert signed_in.get("/review/conversation?id=wedding-guest").status == 404


def test_what_a_shopper_wrote_is_shown_as_text_never_as_html(signed_in, db_url):
    hostile = card("666", title=IMG, image_url="javascript:alert(1)")
    save(db_url, Conversation("x<s>", timestamp("2026-03-01"), metadata={"customer_id": SCRIPT})
         .ask(SCRIPT).ask(IMG, hostile))
    pages = [
        signed_in.get("/review/").text,
        signed_in.get(f"/review/?words={quote('<script>')}").text,
        signed_in.get(f"/review/conversation?id={quote('x<s>')}").text,
        signed_in.get(f"/review/customers/delete?customer={quote(SCRIPT)}").text,
    ]
    for page in pages:
        assert SCRIPT not in page and IMG not in page and "<s>" not in page
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    transcript = pages[2]
    assert "&lt;img src=x onerror=alert(1)&gt;" in transcript
    assert "javascript:" not in transcript  # a photo address that is not http(s) is left out
    headers = signed_in.get("/review/").headers
    assert "script-src" not in headers["Content-Security-Policy"]  # default-src 'none': no script at all
    assert headers["Content-Security-Policy"].startswith("default-src 'none'")


def test_without_web_secret_a_key_is_made_once_and_kept(tmp_path):
    first = secret(tmp_path)
    assert len(first) == 64 and secret(tmp_path) == first
    assert stat.S_IMODE((tmp_path / "review" / "secret").stat().st_mode) == 0o600
    assert secret(tmp_path, "from the environment") == b"from the environment"
