"""The shopping form: only what is missing and matters, at most two questions."""
import pytest
from rasa_sdk.events import SlotSet

from actions.forms import ActionAskBudget, ActionAskProductType, ActionAskSection, ValidateShoppingForm
from conftest import make_tracker, run

DOMAIN = {"forms": {"shopping_form": {"required_slots": ["product_type", "section", "budget"]}}}


def required(loop, **slots):
    tracker = make_tracker(slots=slots, active_loop="shopping_form")
    form = ValidateShoppingForm()
    return loop.run_until_complete(form.required_slots(form.domain_slots(DOMAIN), None, tracker, DOMAIN))


@pytest.mark.parametrize("slots, expected", [
    ({}, ["product_type", "section"]),
    ({"product_type": "Trousers"}, ["product_type", "section", "budget"]),
    ({"product_type": "Trousers", "questions_asked": ["product_type"]}, ["product_type", "section"]),
    ({"product_type": "Trousers", "section": "Menswear", "questions_asked": ["product_type", "section"]},
     ["product_type", "section"]),
    ({"product_type": "Trousers", "section": "Menswear"}, ["product_type", "section", "budget"]),
    ({"product_type": "Trousers", "section": "Menswear", "budget": "50"}, ["product_type", "section", "budget"]),
    ({"product_type": "Dress"}, ["product_type", "budget"]),  # a dress says who it is for
    ({"occasion": "beach wedding"}, ["section", "budget"]),  # the occasion says what
    ({"colour": "Red"}, ["section", "budget"]),  # so does a colour or a pattern
    ({"query": "can you help me find something to wear"}, ["product_type", "section"]),
    ({"product_type": "any"}, ["product_type"]),  # surprise me: nothing more to ask
    ({"section": "any", "product_type": None}, ["section"]),
    ({"customer_id": "c1", "product_type": "Coat"}, ["product_type", "budget"]),
    # the question put stays listed until it is answered, even with both questions used
    ({"product_type": "Trousers", "requested_slot": "section", "questions_asked": ["product_type", "section"]},
     ["product_type", "section"]),
])
def test_required_slots(loop, slots, expected):
    assert required(loop, **slots) == expected


def run_form(loop, slots, intent="shop", text="", entities=None, new_slots=None):
    tracker = make_tracker(slots=slots, intent=intent, text=text, entities=entities, active_loop="shopping_form",
                           new_slots=new_slots)
    return run(loop, ValidateShoppingForm(), tracker, domain=DOMAIN)


def test_answer_to_the_first_question_then_the_second(loop):
    messages, events = run_form(loop, {"requested_slot": "product_type", "questions_asked": ["product_type"]},
                                new_slots={"product_type": "Trousers"},
                                text="jeans", entities=[{"entity": "product_type", "value": "Trousers"}])
    assert events == [SlotSet("product_type", "Trousers"), SlotSet("requested_slot", "section")]
    messages, events = run_form(loop, {"requested_slot": "section", "product_type": "Trousers",
                                       "questions_asked": ["product_type", "section"]}, new_slots={"section": "Menswear"})
    assert events == [SlotSet("section", "Menswear"), SlotSet("requested_slot", None)]


def test_budget_answer_sets_max_price(loop):
    _, events = run_form(loop, {"requested_slot": "budget", "product_type": "Dress", "questions_asked": ["budget"]},
                         new_slots={"budget": "under 40 euros"})
    assert events == [SlotSet("budget", "under 40 euros"), SlotSet("max_price", 0.04), SlotSet("requested_slot", None)]


def test_untagged_budget_answer_is_read_from_the_text(loop):
    _, events = run_form(loop, {"requested_slot": "budget", "product_type": "Dress"}, text="hmm maybe 60")
    assert events[:2] == [SlotSet("budget", "hmm maybe 60"), SlotSet("max_price", 0.06)]


def test_no_limit(loop):
    _, events = run_form(loop, {"requested_slot": "budget", "product_type": "Dress"}, intent="no_preference",
                         new_slots={"budget": "any"})
    assert events[:2] == [SlotSet("budget", "any"), SlotSet("max_price", None)]
    assert events[-1] == SlotSet("requested_slot", None)


def test_unrecognised_product_answer_becomes_part_of_the_query(loop):
    _, events = run_form(loop, {"requested_slot": "product_type", "query": "help me"}, text="something sparkly and fun", intent="nlu_fallback")
    assert SlotSet("query", "help me something sparkly and fun") in events
    assert events[-1] == SlotSet("requested_slot", None)  # "any": no more questions


def test_other_intents_inside_the_form_are_not_taken_as_answers(loop):
    _, events = run_form(loop, {"requested_slot": "product_type", "questions_asked": ["product_type"]},
                         intent="trending", text="what's trending")
    assert events == [SlotSet("requested_slot", "product_type")]


def test_who_is_it_for_answered_with_another_detail_is_asked_once_more(loop):
    jeans = {"product_type": "Trousers", "questions_asked": ["section"]}
    under_50 = {"entity": "budget", "value": "under 50"}
    _, events = run_form(loop, {"requested_slot": "section", **jeans},
                         text="under 50", entities=[under_50], new_slots={"budget": "under 50"})
    # section set empty, so that Rasa's form goes on and asks for it again
    assert events == [SlotSet("budget", "under 50"), SlotSet("section", None), SlotSet("max_price", 0.05)]
    messages, events = run(loop, ActionAskSection(), make_tracker(slots=jeans))
    assert messages[0]["text"] == "Got it. And who are the trousers for?"
    assert events == [SlotSet("questions_asked", ["section", "section"])]

    red = {"entity": "colour", "value": "Red"}
    _, events = run_form(loop, {"requested_slot": "section", "product_type": "Trousers", "budget": "under 50",
                                "questions_asked": ["section", "section"]}, text="red", entities=[red],
                         new_slots={"colour": "Red"})
    assert events == [SlotSet("section", "any")]  # two questions put: cards now, for anyone


def test_who_is_it_for_is_not_asked_again_when_it_was_the_second_question(loop):
    under_50 = {"entity": "budget", "value": "under 50"}
    _, events = run_form(loop, {"requested_slot": "section", "product_type": "Trousers",
                                "questions_asked": ["product_type", "section"]},
                         text="under 50", entities=[under_50], new_slots={"budget": "under 50"})
    assert events == [SlotSet("budget", "under 50"), SlotSet("section", "any"), SlotSet("max_price", 0.05)]


def test_an_untagged_answer_to_who_is_it_for_means_anyone(loop):
    _, events = run_form(loop, {"requested_slot": "section", "product_type": "Trousers",
                                "questions_asked": ["section"]}, text="whoever")
    assert events == [SlotSet("section", "any"), SlotSet("requested_slot", None)]  # "any": no more questions


def test_the_question_names_the_piece_in_the_shoppers_word_spelled_right(loop):
    jeans = {"entity": "product_type", "value": "Trousers", "start": 7, "end": 12}
    tracker = make_tracker(text="I need jeens", entities=[jeans], new_slots={"product_type": "Trousers"})
    messages, _ = run(loop, ActionAskSection(), tracker)
    assert messages[0]["text"] == "Lovely! Who are the jeans for?"
    messages, _ = run(loop, ActionAskSection(), make_tracker(slots={"product_type": "Dress"}))
    assert messages[0]["text"] == "Lovely! Who is the dress for?"


def test_questions_have_buttons(loop):
    messages, _ = run(loop, ActionAskSection(), make_tracker(slots={"product_type": "Trousers"}))
    assert messages[0]["text"] == "Lovely! Who are the trousers for?"
    assert messages[0]["buttons"][1] == {"title": "Men", "payload": '/shop{"section":"Menswear"}'}
    messages, _ = run(loop, ActionAskBudget(), make_tracker())
    assert [b["title"] for b in messages[0]["buttons"]] == ["Under €30.00", "Under €50.00", "Under €100.00", "No limit"]
    assert messages[0]["buttons"][0]["payload"] == '/shop{"budget":"30"}'
    messages, _ = run(loop, ActionAskProductType(), make_tracker())
    assert messages[0]["buttons"][-1]["payload"] == "/no_preference"
