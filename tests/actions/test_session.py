"""action_session_start: who the shopper is and their taste carry over to a new session; the
search of the last one does not."""
from rasa_sdk.events import ActionExecuted, SessionStarted, SlotSet

from actions.session import ActionSessionStart
from conftest import make_tracker, run


def test_a_new_session_keeps_the_shopper_and_their_taste_but_not_the_search(loop):
    slots = {
        "session_started_metadata": {"customer_id": "c-42"}, "customer_id": "c-42",
        "liked": ["0176209023"], "disliked": ["0189616006"], "bag": ["0176209025"],
        "product_type": "Dress", "colour": "Black", "budget": "40", "query": "a black dress for a party",
        "last_items": [{"article_id": "0176209023"}], "shown": ["0176209023"], "search_step": "refine",
        "handoff_requested": True,
    }
    messages, events = run(loop, ActionSessionStart(), make_tracker(slots=slots))
    assert messages == []
    assert events == [
        SessionStarted(),
        SlotSet("session_started_metadata", {"customer_id": "c-42"}),
        SlotSet("customer_id", "c-42"),
        SlotSet("liked", ["0176209023"]),
        SlotSet("disliked", ["0189616006"]),
        SlotSet("bag", ["0176209025"]),
        ActionExecuted("action_listen"),
    ]


def test_a_first_session_starts_empty(loop):
    messages, events = run(loop, ActionSessionStart(), make_tracker(slots={"liked": [], "bag": None}))
    assert events == [SessionStarted(), ActionExecuted("action_listen")]
