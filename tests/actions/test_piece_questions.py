"""Questions about a piece on a card: its price, from the card on screen or the catalog; exact
messages and events against the recommender fixture."""
from rasa_sdk.events import SlotSet

from actions.piece_questions import WHICH_PIECE, ActionTellPrice
from actions.recommend import GONE, summary
from conftest import ITEMS, make_tracker, run

BY_ID = {i["article_id"]: i for i in ITEMS}
SHOWN = [summary(BY_ID[i]) for i in ("0176209023", "0189616006", "0202000001")]


def test_how_much_is_the_second_one_names_it_its_price_and_the_next_steps(loop, recommender):
    tracker = make_tracker(intent="ask_price", text="how much is the second one?", slots={"last_items": SHOWN})
    messages, events = run(loop, ActionTellPrice(), tracker)
    assert messages[0]["text"] == "That's €50.80 for the Wrap dress in red."
    assert [b["payload"] for b in messages[0]["buttons"]] == [
        '/add_to_bag{"article_id":"0189616006"}', '/complete_look{"article_id":"0189616006"}']
    assert events == [SlotSet("article_id", "0189616006")]
    assert recommender.requests == []  # the card on screen said it


def test_how_much_is_it_of_a_piece_no_longer_on_screen_asks_the_catalog(loop, recommender):
    tracker = make_tracker(intent="ask_price", text="how much is it?", slots={"article_id": "0202000001"})
    messages, _ = run(loop, ActionTellPrice(), tracker)
    assert messages[0]["text"] == "That's €33.90 for the Slim jeans in black."
    assert [r["path"] for r in recommender.requests] == ["/products/0202000001"]


def test_a_piece_without_a_price_or_gone_or_none_at_all(loop, recommender):
    unpriced = [dict(SHOWN[0], price=None)]
    messages, _ = run(loop, ActionTellPrice(), make_tracker(intent="ask_price", text="how much?",
                                                            slots={"last_items": unpriced}))
    assert messages[0]["text"] == \
        "I don't have a price for the Flowy maxi dress in light beige just now — its page in the shop will show it."
    messages, events = run(loop, ActionTellPrice(), make_tracker(intent="ask_price", text="how much?",
                                                                 slots={"article_id": "0999999999"}))
    assert (messages[0]["text"], events) == (GONE, [])
    messages, events = run(loop, ActionTellPrice(), make_tracker(intent="ask_price", text="how much?"))
    assert (messages[0]["text"], events) == (WHICH_PIECE, [])


def test_the_price_of_a_piece_off_screen_while_the_recommender_is_down_is_an_apology(loop, dead_recommender):
    tracker = make_tracker(intent="ask_price", text="how much is it?", slots={"article_id": "0202000001"})
    messages, _ = run(loop, ActionTellPrice(), tracker)
    assert messages[0]["text"].startswith("Sorry, I can't reach our product catalogue right now.")
