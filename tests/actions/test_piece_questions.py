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
    assert messages[0]["text"] == "Wrap dress is €50.80."
    assert [b["payload"] for b in messages[0]["buttons"]] == [
        '/add_to_bag{"article_id":"0189616006"}', '/complete_look{"article_id":"0189616006"}']
    assert events == [SlotSet("article_id", "0189616006")]
    assert recommender.requests == []  # the card on screen said it


def test_how_much_is_it_of_a_piece_no_longer_on_screen_asks_the_catalog(loop, recommender):
    tracker = make_tracker(intent="ask_price", text="how much is it?", slots={"article_id": "0202000001"})
    messages, _ = run(loop, ActionTellPrice(), tracker)
    assert messages[0]["text"] == "Slim jeans is €33.90."
    assert [r["path"] for r in recommender.requests] == ["/products/0202000001"]


def test_a_piece_without_a_price_or_gone_or_none_at_all(loop, recommender):
    unpriced = [dict(SHOWN[0], price=None)]
    messages, _ = run(loop, ActionTellPrice(), make_tracker(intent="ask_price", text="how much?",
                                                            slots={"last_items": unpriced}))
    assert messages[0]["text"] == "I don't have a price for Flowy maxi dress just now — its page in the shop will show it."
    messages, events = run(loop, ActionTellPrice(), make_tracker(intent="ask_price", text="how much?",
                                                                 slots={"article_id": "0999999999"}))
    assert (messages[0]["text"], events) == (GONE, [])
    messages, events = run(loop, ActionTellPrice(), make_tracker(intent="ask_price", text="how much?"))
    assert (messages[0]["text"], events) == (WHICH_PIECE, [])
