"""End to end: the real recommender (trained on a small demo catalog), the real action server and
the real Rasa server (the model `make test` trained just before), talked to through Rasa's REST
channel as a shop's integration would. The stack is the `stack` fixture in conftest.py."""
from __future__ import annotations

import json
import urllib.request

from conftest import get_json


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
        return get_json(f"{self.stack['recommender']}/products/{article_id}")


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
        assert product["section"] != "Baby/Children", product  # nobody said the dress was for a child

    liked = cards[0]["article_id"]
    replies = shopper.say(f'/like{{"article_id":"{liked}"}}')
    # with every black women's dress of a small catalog shown, the bot offers to loosen the search
    after_like = Shopper.cards(replies) or Shopper.cards(shopper.say("yes please"))
    assert after_like, f"liking a card brought no new cards: {replies}"
    assert {c["article_id"] for c in after_like}.isdisjoint({c["article_id"] for c in cards})

    # A small catalog holds only a few black dresses: "more" brings new ones or says so.
    replies = shopper.say("show me more")
    assert Shopper.cards(replies) or any(reply.get("text") for reply in replies)
    assert len(shopper.seen) == len(set(shopper.seen)), "a card was shown twice"


def test_a_ten_thousand_character_message_gets_an_answer(stack):
    shopper = Shopper(stack, "long-message")
    replies = shopper.say("dress " * 2000)
    assert any(reply.get("text") for reply in replies)


def test_the_assistant_names_the_piece_in_the_shoppers_own_word(stack):
    shopper = Shopper(stack, "jeans-hunter")
    shopper.say("hi")
    replies = shopper.say("I'm looking for jeans")
    assert "Lovely! Who are the jeans for?" in [reply.get("text") for reply in replies], replies


def test_a_sentence_in_another_language_is_told_the_assistant_speaks_english(stack):
    shopper = Shopper(stack, "hablante")
    replies = shopper.say("hola, busco unos zapatos")
    # not a search with its words taken for a colour and an occasion, nor small talk
    assert any("only chat in English" in reply.get("text", "") for reply in replies), replies
    assert not Shopper.cards(replies)
    assert "/human_handoff" in [button["payload"] for reply in replies for button in reply.get("buttons", [])]
