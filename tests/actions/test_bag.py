"""The bag: putting a piece in it (button, shop page, or words about a card), and looking into it;
exact messages and events against the recommender fixture."""
from rasa_sdk.events import SlotSet

from actions.bag import ActionAddToBag, ActionCheckout
from actions.recommend import ActionCompleteLook, ActionDislike, summary
from conftest import ITEMS, make_tracker, run

BY_ID = {i["article_id"]: i for i in ITEMS}
SHOWN = [summary(BY_ID[i]) for i in ("0176209023", "0189616006", "0202000001")]


def card_ids(message):
    return [c["article_id"] for c in message["custom"]["cards"]]


def test_add_to_bag_offers_the_accessories(loop, recommender):
    tracker = make_tracker(intent="add_to_bag", text='/add_to_bag{"article_id":"0176209023"}',
                           entities=[{"entity": "article_id", "value": "0176209023"}],
                           slots={"last_items": [summary(BY_ID["0176209023"])]})
    messages, events = run(loop, ActionAddToBag(), tracker)
    assert messages[0]["text"] == "Great choice! Flowy maxi dress (€33.90) is in your bag. 🛍️"
    assert messages[1]["text"] == "These accessories would complete the look:"
    assert recommender.requests[-1]["query"]["complementary"] == "true"  # accessories only
    assert card_ids(messages[2]) == ["0204000001", "0204000002", "0204000003"]
    assert events[:2] == [SlotSet("bag", ["0176209023"]), SlotSet("article_id", "0176209023")]


def test_add_to_bag_of_a_piece_not_on_screen_asks_the_catalog(loop, recommender):
    tracker = make_tracker(intent="add_to_bag", text='/add_to_bag{"article_id":"0189616006"}',
                           entities=[{"entity": "article_id", "value": "0189616006"}])
    messages, _ = run(loop, ActionAddToBag(), tracker)
    assert messages[0]["text"] == "Great choice! Wrap dress (€50.80) is in your bag. 🛍️"
    assert "/products/0189616006" in [r["path"] for r in recommender.requests]


def test_ill_take_the_second_one_puts_the_second_card_in_the_bag(loop, recommender):
    tracker = make_tracker(intent="add_to_bag", text="I'll take the second one", slots={
        "last_items": SHOWN, "bag": ["0176209023"]})
    messages, events = run(loop, ActionAddToBag(), tracker)
    assert messages[0]["text"] == "Great choice! Wrap dress (€50.80) is in your bag. 🛍️"
    assert events[:2] == [SlotSet("bag", ["0176209023", "0189616006"]), SlotSet("article_id", "0189616006")]


def test_ill_take_it_puts_the_piece_in_focus_in_the_bag(loop, recommender):
    tracker = make_tracker(intent="add_to_bag", text="i'll take it", slots={
        "last_items": SHOWN, "article_id": "0202000001"})
    messages, events = run(loop, ActionAddToBag(), tracker)
    assert messages[0]["text"] == "Great choice! Slim jeans (€33.90) is in your bag. 🛍️"
    assert events[0] == SlotSet("bag", ["0202000001"])


def test_ill_take_it_with_nothing_on_screen_asks_which(loop, recommender):
    messages, events = run(loop, ActionAddToBag(), make_tracker(intent="add_to_bag", text="i'll take it"))
    assert events == []
    assert messages[0]["text"] == "Which piece would you like? Tap “Add to bag” on its card."


def test_checkout_with_an_empty_bag(loop, recommender):
    messages, events = run(loop, ActionCheckout(), make_tracker(intent="checkout", text="checkout"))
    assert events == []
    assert messages[0]["text"].startswith("Your bag is empty so far.")


def test_whats_in_my_bag_lists_the_pieces_latest_first_with_the_total(loop, recommender):
    # the wrap dress is not among the cards on screen: its title and price come from the catalog
    tracker = make_tracker(intent="checkout", text="what's in my bag?", slots={
        "bag": ["0189616006", "0176209023"], "last_items": [summary(BY_ID["0176209023"])]})
    messages, events = run(loop, ActionCheckout(), tracker)
    assert messages[0]["text"] == (
        "In your bag, 2 pieces:\n• Flowy maxi dress (€33.90)\n• Wrap dress (€50.80)\n€84.70 in all.\n"
        "Lovely, you're nearly done! 🛍️")
    assert recommender.requests[-1]["path"] == "/complete-the-look/0176209023"  # the latest piece
    assert messages[1]["text"] == "These accessories would complete the look:"
    assert [e["name"] for e in events] == ["shown", "last_items"]  # the bag itself is unchanged


def test_a_long_bag_is_read_back_in_short(loop, recommender):
    bag = [i["article_id"] for i in ITEMS][:12]
    messages, _ = run(loop, ActionCheckout(), make_tracker(intent="checkout", text="checkout", slots={"bag": bag}))
    lines = messages[0]["text"].splitlines()
    assert lines[0] == "In your bag, 12 pieces:"
    assert len([line for line in lines if line.startswith("• ")]) == 11 and lines[-2] == "• and 2 more"
    assert not any(line.endswith("in all.") for line in lines)  # a total of part of the bag would mislead


def test_the_bag_is_read_back_when_the_recommender_is_down(loop, dead_recommender):
    tracker = make_tracker(intent="checkout", text="checkout", slots={
        "bag": ["0189616006", "0176209023"], "last_items": [summary(BY_ID["0176209023"])]})
    messages, _ = run(loop, ActionCheckout(), tracker)
    assert messages[0]["text"] == (
        "In your bag, 2 pieces:\n• Flowy maxi dress (€33.90)\n• that piece\nLovely, you're nearly done! 🛍️")
    assert messages[1]["text"].startswith("Sorry, I can't reach our product catalogue right now.")


def test_cards_named_by_their_place_for_styling_and_turning_down(loop, recommender):
    messages, events = run(loop, ActionCompleteLook(), make_tracker(
        intent="complete_look", text="what goes with the last one?", slots={"last_items": SHOWN}))
    assert recommender.requests[-1]["path"] == "/complete-the-look/0202000001"
    _, events = run(loop, ActionDislike(), make_tracker(
        intent="dislike", text="I don't like that 2nd one", slots={"last_items": SHOWN}))
    assert events[0] == SlotSet("disliked", ["0189616006"])


def test_a_piece_the_catalog_no_longer_has_is_not_put_in_the_bag(loop, recommender):
    tracker = make_tracker(intent="add_to_bag", text='/add_to_bag{"article_id":"0999999999"}',
                           entities=[{"entity": "article_id", "value": "0999999999"}], slots={"bag": ["0176209023"]})
    messages, events = run(loop, ActionAddToBag(), tracker)
    assert events == []
    assert messages[0]["text"].startswith("I can't find that piece in our catalogue any more")
    assert [b["payload"] for b in messages[0]["buttons"]] == ["/trending", "/no_preference"]
