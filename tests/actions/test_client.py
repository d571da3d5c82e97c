"""The HTTP client: the contract's requests, a hard timeout, and the trending cache."""
import time

import pytest

from actions import client


def test_recommend_sends_the_contract(loop, recommender, monkeypatch):
    monkeypatch.setenv("RECOMMENDER_TOKEN", "s3cret")
    items = loop.run_until_complete(client.recommend(
        customer_id="c1", query="flowy dress", filters={"product_type": "Dress", "colour": None, "section": "any"},
        liked=["a"], disliked=["b"], shown=["0176209023"], k=2,
    ))
    assert [i["article_id"] for i in items] == ["0176209025", "0189616006"]
    request = recommender.requests[-1]
    assert request["path"] == "/recommend"
    assert request["authorization"] == "Bearer s3cret"
    assert request["json"] == {
        "customer_id": "c1", "query": "flowy dress", "filters": {"product_type": "Dress"},
        "session": {"liked": ["a"], "disliked": ["b"], "shown": ["0176209023"]}, "k": 2,
    }


def test_default_timeout_is_two_seconds():
    assert client.timeout_s() == 2.0


def test_slow_recommender_times_out(loop, recommender, monkeypatch):
    monkeypatch.setenv("RECOMMENDER_TIMEOUT", "0.3")
    recommender.delay = 2.0
    started = time.monotonic()
    with pytest.raises(client.RecommenderUnavailable):
        loop.run_until_complete(client.trending())
    assert time.monotonic() - started < 1.5


def test_http_errors_are_unavailable(loop, recommender):
    with pytest.raises(client.RecommenderUnavailable, match="404"):
        loop.run_until_complete(client.complete_the_look("0999999999"))


def test_trending_is_cached_for_the_fallback(loop, recommender):
    assert client.fallback_items() == []
    items = loop.run_until_complete(client.trending(section="Menswear", k=2))
    assert [i["article_id"] for i in items] == ["0202000001", "0202000002"]
    assert recommender.requests[-1]["query"] == {"k": "2", "section": "Menswear"}
    assert client.fallback_items("Menswear") == items
    assert client.fallback_items() == items


def test_nothing_listening_is_unavailable(loop, dead_recommender):
    with pytest.raises(client.RecommenderUnavailable):
        loop.run_until_complete(client.recommend(k=3))
