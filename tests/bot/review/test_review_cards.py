"""Cards read back from stored bot messages in every form the action server sends them
(actions/cards.py, actions/channels/): the review app shows them all, photos included."""
from __future__ import annotations

import pytest

from actions.cards import cards_payload, custom_message
from actions.channels import RENDERERS
from bot.review.cards import cards_in

ITEMS = [
    {"article_id": "0706016001", "title": "Satin slip dress <b>", "price": 0.0339,
     "image_url": "https://shop.example/images/0706016001.jpg", "reason": "Because you liked black & white"},
    {"article_id": "0108775015", "title": "Strap top", "price": 0.0081,
     "image_url": "https://shop.example/images/0108775015.jpg", "reason": "Popular right now"},
]


def read(messages):
    return [card for message in messages for card in cards_in({"custom": message})]


@pytest.mark.parametrize("channel", ["rest", "socketio"])
def test_the_widgets_cards(channel):
    found = read([custom_message(cards_payload(ITEMS), channel)])
    assert [(c.article_id, c.title, c.image_url) for c in found] == [
        (item["article_id"], item["title"], item["image_url"]) for item in ITEMS]
    assert ("Add to bag", '/add_to_bag{"article_id":"0706016001"}') in found[0].buttons


@pytest.mark.parametrize("channel", sorted(RENDERERS))
def test_each_messaging_apps_cards(channel):
    rendered = RENDERERS[channel](cards_payload(ITEMS)["cards"])
    found = read(rendered)
    assert [c.image_url for c in found] == [item["image_url"] for item in ITEMS]
    assert found[0].title.startswith("Satin slip dress <b>")
    assert "black & white" in found[0].detail
    assert found[0].buttons


def test_photos_are_only_http_or_https():
    stored = {"type": "product_cards", "cards": [
        {"title": "a", "image_url": "javascript:alert(1)"}, {"title": "b", "image_url": "data:image/png;base64,AA"},
        {"title": "c", "image_url": " JAVASCRIPT:alert(1)"}, {"title": "d", "image_url": "HTTPS://shop.example/d.jpg"}]}
    assert [c.image_url for c in read([stored])] == [None, None, None, "HTTPS://shop.example/d.jpg"]


def test_a_message_without_cards_has_none():
    assert cards_in({"custom": None, "text": "hello"}) == []
    assert cards_in({"custom": {"type": "something_else"}}) == []
