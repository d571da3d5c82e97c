"""The shopper's own words for what they asked for, and the misspellings the NLU learns."""
import importlib.util
from pathlib import Path

from actions.words import MISSPELLINGS, plural, shoppers_words

ROOT = Path(__file__).resolve().parents[2]


def user(text, *entities):
    return {"event": "user", "text": text, "parse_data": {"text": text, "entities": list(entities)}}


def entity(slot, value, text, word):
    start = text.index(word)
    return {"entity": slot, "value": value, "start": start, "end": start + len(word)}


def test_the_word_typed_for_each_slot_value_spelled_right():
    text = "Any  Navy JEENS with stripes?"
    events = [user(text, entity("colour", "Dark Blue", text, "Navy"), entity("product_type", "Trousers", text, "JEENS"),
                   entity("pattern", "Stripe", text, "stripes"))]
    values = {"colour": "Dark Blue", "product_type": "Trousers", "pattern": "Stripe"}
    assert shoppers_words(events, values) == {"colour": "navy", "product_type": "jeans", "pattern": "stripes"}


def test_the_latest_word_for_the_value_now_and_none_for_a_value_from_a_button():
    first, second = "show me jeans", "or rather chinos"
    events = [user(first, entity("product_type", "Trousers", first, "jeans")),
              user(second, entity("product_type", "Trousers", second, "chinos"))]
    assert shoppers_words(events, {"product_type": "Trousers"}) == {"product_type": "chinos"}
    # the slot has moved on to a value the shopper never typed
    assert shoppers_words(events, {"product_type": "Dress"}) == {}
    button = '/shop{"product_type":"Trousers"}'
    tapped = [user(button, {"entity": "product_type", "value": "Trousers", "start": 5, "end": len(button)})]
    assert shoppers_words(tapped, {"product_type": "Trousers"}) == {}


def test_an_entity_over_something_that_is_not_a_word_is_not_said_back():
    text = "dress " + "x" * 10_000
    events = [user(text, {"entity": "product_type", "value": "Dress", "start": 0, "end": len(text)}),
              user("a dress", {"entity": "product_type", "value": "Dress"})]  # no span
    assert shoppers_words(events, {"product_type": "Dress"}) == {}


def test_plural_names():
    assert [plural(w) for w in ("jeans", "sneakers", "sunglasses", "dress", "jumpsuit", "hat/beanie")] == [
        True, True, True, False, False, False]


def test_the_nlu_learns_each_misspelling_as_a_synonym_of_the_value_of_its_word():
    spec = importlib.util.spec_from_file_location("make_lookups", ROOT / "scripts" / "make_lookups.py")
    make_lookups = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(make_lookups)
    tables = make_lookups.build([])
    value_of = {entity: {word: value for value, words in values.items() for word in words}
                for entity, values in tables.items()}
    for typo, word in MISSPELLINGS.items():
        owners = [(entity, words[word]) for entity, words in value_of.items() if word in words]
        assert owners, f"{word!r} (for {typo!r}) is no synonym of any value"
        assert all(value_of[entity].get(typo) == value for entity, value in owners), typo
