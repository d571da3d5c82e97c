"""action_shop: a `shop` message outside the form starts a new search or refines the cards shown,
decided on what the message names against the search those cards answer."""
from pathlib import Path

import yaml
from rasa_sdk.events import SlotSet

from actions.recommend import summary
from actions.shopping import ActionShop
from conftest import ITEMS, make_tracker, run

DRESSES = [summary(i) for i in ITEMS[3:6]]
NEW_SEARCH_RESET = [SlotSet("colour", None), SlotSet("pattern", None), SlotSet("occasion", None), SlotSet("budget", None),
                    SlotSet("max_price", None)]


def shop(text, entities, slots, new_slots=None):
    """The tracker after `text`: `slots` held before it, its entities filled `new_slots`."""
    if new_slots is None:
        new_slots = {e["entity"]: e["value"] for e in entities}
    return make_tracker(text=text, entities=entities, slots=slots, new_slots=new_slots)


def test_a_colour_after_cards_refines_them(loop):
    tracker = shop("black ones", [{"entity": "colour", "value": "Black"}],
                   {"product_type": "Dress", "query": "a dress for a party", "last_items": DRESSES})
    messages, events = run(loop, ActionShop(), tracker)
    assert messages == []
    assert events == [SlotSet("search_step", "refine")]


def test_the_same_kind_of_piece_again_refines(loop):
    tracker = shop("a red dress", [{"entity": "colour", "value": "Red"}, {"entity": "product_type", "value": "Dress"}],
                   {"product_type": "Dress", "last_items": DRESSES})
    _, events = run(loop, ActionShop(), tracker)
    assert events == [SlotSet("search_step", "refine")]


def test_another_kind_of_piece_after_cards_is_a_new_search(loop):
    tracker = shop("actually a black coat", [{"entity": "colour", "value": "Black"}, {"entity": "product_type", "value": "Coat"}],
                   {"product_type": "Dress", "occasion": "party", "budget": "40", "max_price": 0.04,
                    "query": "a dress for a party", "last_items": DRESSES})
    _, events = run(loop, ActionShop(), tracker)
    assert events == [
        SlotSet("search_step", "new"), SlotSet("pattern", None), SlotSet("occasion", None), SlotSet("budget", None),
        SlotSet("max_price", None), SlotSet("query", "actually a black coat"), SlotSet("questions_asked", []),
    ]


def test_someone_else_to_shop_for_is_a_new_search(loop):
    tracker = shop("for my son", [{"entity": "section", "value": "Baby/Children"}],
                   {"product_type": "Trousers", "section": "Menswear", "last_items": DRESSES})
    _, events = run(loop, ActionShop(), tracker)
    assert events[0] == SlotSet("search_step", "new")
    assert SlotSet("product_type", None) in events  # the new search does not inherit the trousers


def test_who_it_is_for_when_the_search_said_nobody_refines(loop):
    tracker = shop("for men", [{"entity": "section", "value": "Menswear"}],
                   {"product_type": "Trousers", "last_items": DRESSES})
    _, events = run(loop, ActionShop(), tracker)
    assert events == [SlotSet("search_step", "refine")]


def test_nothing_searched_yet_starts_a_search(loop):
    tracker = shop("i need a dress", [{"entity": "product_type", "value": "Dress"}], {})
    _, events = run(loop, ActionShop(), tracker)
    assert events == [SlotSet("search_step", "new")] + NEW_SEARCH_RESET + [
        SlotSet("query", "i need a dress"), SlotSet("questions_asked", []),
    ]


def test_after_the_greetings_trending_cards_a_detail_starts_a_search(loop):
    """Trending picks answer no search: "black ones" is the first thing the shopper asked for."""
    tracker = shop("black ones", [{"entity": "colour", "value": "Black"}], {"last_items": DRESSES})
    _, events = run(loop, ActionShop(), tracker)
    assert events[0] == SlotSet("search_step", "new")


def test_a_search_described_but_no_cards_shown_starts_again(loop):
    tracker = shop("black ones", [{"entity": "colour", "value": "Black"}], {"product_type": "Dress"})
    _, events = run(loop, ActionShop(), tracker)
    assert events[0] == SlotSet("search_step", "new")


def test_search_slots_fill_from_entities_only_when_the_shopper_says_what_they_want():
    """"feeling blue today" (chitchat) or "what's trending for men?" must not set filters."""
    domain = yaml.safe_load((Path(__file__).resolve().parents[2] / "domain.yml").read_text(encoding="utf-8"))
    for slot in ("product_type", "section", "budget", "colour", "pattern", "occasion"):
        from_entity = [m for m in domain["slots"][slot]["mappings"] if m["type"] == "from_entity"]
        assert from_entity and all("shop" in m.get("intent", []) for m in from_entity), slot
        assert all("chitchat" not in m.get("intent", []) for m in from_entity), slot
