"""The actions against the real recommender service (`recommender serve`, its own process, on a
small demo catalog trained for this module): what the shopper asked for is what the catalog
returns, liking moves the cards, nothing repeats, the bag brings accessories, and when the service
goes away mid-conversation the shopper still gets the last trending list.

The other action tests use a stand-in that records requests; these check the real answers."""
from __future__ import annotations

import csv
import json
import os
import subprocess
import urllib.request

import pytest

from actions import client
from actions.bag import ActionAddToBag
from actions.recommend import ActionGreet, ActionLike, ActionRecommend, ActionTrending
from conftest import make_tracker, run
from tests.e2e.stack import RECOMMENDER, build_demo_catalog, free_port, wait_until_up

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def service(tmp_path_factory):
    if not RECOMMENDER.exists():
        pytest.skip("needs the recommender's environment (.venv): run through `make test`")
    var = tmp_path_factory.mktemp("real-recommender")
    build_demo_catalog(var, articles=400, customers=80)
    url = f"http://127.0.0.1:{free_port()}"
    with open(var / "serve.log", "w") as log:
        process = subprocess.Popen([str(RECOMMENDER), "serve", "--port", url.rsplit(":", 1)[1]],
                                   env={**os.environ, "RECOMMENDER_VAR": str(var)},
                                   stdout=log, stderr=subprocess.STDOUT)
        try:
            wait_until_up(f"{url}/health", process)
            yield {"url": url, "process": process, "articles": var / "src" / "articles.csv"}
        finally:
            process.terminate()
            process.wait(timeout=30)


@pytest.fixture
def real(service, monkeypatch):
    monkeypatch.setenv("RECOMMENDER_URL", service["url"])
    return service


def product(service, article_id: str) -> dict:
    with urllib.request.urlopen(f"{service['url']}/products/{article_id}", timeout=10) as response:
        return json.load(response)


def section_names(service) -> dict:
    """article id -> H&M section name ("Men H&M Sport"), from the catalog the service was built on."""
    with open(service["articles"], newline="") as articles:
        return {row["article_id"]: row["section_name"] for row in csv.DictReader(articles)}


def cards_in(messages) -> list[dict]:
    return [card for m in messages if (m.get("custom") or {}).get("type") == "product_cards"
            for card in m["custom"]["cards"]]


def test_a_new_shopper_sees_trending_cards_whose_photos_load(loop, real):
    messages, _ = run(loop, ActionGreet(), make_tracker(intent="greet", text="hi"))
    cards = cards_in(messages)
    assert len(cards) == 6
    with urllib.request.urlopen(cards[0]["image_url"], timeout=10) as photo:
        assert photo.headers["Content-Type"] == "image/jpeg" and len(photo.read()) > 500


def test_black_dresses_are_black_dresses_for_women(loop, real):
    # a dress says who it is for: no child's dress, though the catalog has black ones
    messages, _ = run(loop, ActionRecommend(), make_tracker(slots={"product_type": "Dress", "colour": "Black"},
                                                           text="a black dress"))
    cards = cards_in(messages)
    assert cards, messages
    for card in cards:
        found = product(real, card["article_id"])
        assert (found["product_type"], found["colour"].lower(), found["section"]) == ("Dress", "black", "Ladieswear")


def test_liking_moves_the_cards_without_repeats(loop, real):
    asked = {"product_type": "Dress"}
    messages, events = run(loop, ActionRecommend(), make_tracker(slots=asked, text="a dress"))
    first = cards_in(messages)
    slots = {**asked, **{e["name"]: e["value"] for e in events}}
    liked = first[0]["article_id"]
    tracker = make_tracker(intent="like", text=f'/like{{"article_id":"{liked}"}}', slots=slots,
                           entities=[{"entity": "article_id", "value": liked}])
    messages, _ = run(loop, ActionLike(), tracker)
    after = cards_in(messages)
    assert after and {c["article_id"] for c in after}.isdisjoint(slots["shown"])
    assert all(product(real, c["article_id"])["product_type"] == "Dress" for c in after)


def test_the_bag_brings_what_completes_the_look(loop, real):
    messages, events = run(loop, ActionRecommend(), make_tracker(slots={"product_type": "Dress"}, text="a dress"))
    dress = cards_in(messages)[0]
    tracker = make_tracker(intent="add_to_bag", text=f'/add_to_bag{{"article_id":"{dress["article_id"]}"}}',
                           entities=[{"entity": "article_id", "value": dress["article_id"]}],
                           slots={e["name"]: e["value"] for e in events})
    messages, _ = run(loop, ActionAddToBag(), tracker)
    extras = cards_in(messages)
    assert extras
    assert all(product(real, c["article_id"])["product_type"] != "Dress" for c in extras)


def test_a_kind_of_piece_this_shop_lacks_gets_the_closest_for_the_right_person(loop, real):
    asked = {"product_type": "Kaftan", "section": "Menswear", "query": "a linen kaftan for the beach"}
    messages, _ = run(loop, ActionRecommend(), make_tracker(slots=asked, text="a linen kaftan for the beach"))
    cards = cards_in(messages)
    assert cards and messages[0]["text"] == "I don't have exactly that, but here's the closest I have:"
    # menswear, or men's sportswear
    sections = section_names(real)
    assert all(product(real, card["article_id"])["section"] == "Menswear" or
               sections[card["article_id"]] == "Men H&M Sport" for card in cards)
    assert not any("kaftan" in card["reason"].lower() for card in cards), [c["reason"] for c in cards]


def test_a_conversation_that_outlived_its_catalog_still_gets_cards(loop, real):
    # liked and shown hold pieces from before the catalog was replaced
    slots = {"product_type": "Dress", "liked": ["0999999999"], "shown": ["0888888888", "0777777777"]}
    messages, events = run(loop, ActionRecommend(), make_tracker(slots=slots, text="a dress"))
    assert messages[0]["text"] == "Here's what I found for you:"
    assert all(product(real, card["article_id"])["product_type"] == "Dress" for card in cards_in(messages))

def test_service_gone_mid_conversation_still_shows_the_last_trending_list(loop, service, monkeypatch):
    """Last: it stops the service for good."""
    monkeypatch.setenv("RECOMMENDER_URL", service["url"])
    seen = loop.run_until_complete(client.trending(k=6))
    service["process"].terminate()
    service["process"].wait(timeout=30)
    messages, _ = run(loop, ActionTrending(), make_tracker(intent="trending", text="what's trending?"))
    assert messages[0]["text"].startswith("Sorry")
    assert [c["article_id"] for c in cards_in(messages)] == [i["article_id"] for i in seen]

