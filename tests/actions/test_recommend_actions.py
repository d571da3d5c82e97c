"""The recommendation actions, end to end against the recommender fixture: exact events and
messages, the session sent to /recommend, and never silence when the recommender is down."""
import pytest
from rasa_sdk.events import SlotSet

from actions import cards, client
from actions.recommend import (
    ActionAffirm, ActionCheaper, ActionCompleteLook, ActionDislike, ActionGreet,
    ActionIdentifyCustomer, ActionLessFormal, ActionLike, ActionMoreFormal, ActionOtherColour, ActionRecommend,
    ActionRefine, ActionShowMore, ActionStartSearch, ActionTrending, let_go_of, summary,
)
from conftest import ITEMS, make_tracker, run

BY_ID = {i["article_id"]: i for i in ITEMS}


def shown_slots(items, before=()):
    ids = [i["article_id"] for i in items]
    return [SlotSet("shown", [i for i in before if i not in ids] + ids), SlotSet("last_items", [summary(i) for i in items])]


def card_ids(message):
    return [c["article_id"] for c in message["custom"]["cards"]]


def test_new_shopper_greeted_with_trending_and_a_question(loop, recommender):
    messages, events = run(loop, ActionGreet(), make_tracker(intent="greet", text="hi"))
    assert messages[0]["text"].startswith("Hi, welcome to the shop!")
    assert card_ids(messages[1]) == [i["article_id"] for i in ITEMS[:6]]
    assert messages[2]["text"].startswith("What are you shopping for today?")
    assert messages[2]["buttons"][-1] == {"title": "Surprise me", "payload": "/no_preference"}
    assert events == shown_slots(ITEMS[:6])
    assert recommender.requests[-1]["path"] == "/trending"


def test_known_customer_from_metadata_welcomed_back_with_their_picks(loop, recommender):
    tracker = make_tracker(intent="greet", text="hello", metadata={"customer_id": "c-42"})
    messages, events = run(loop, ActionGreet(), tracker)
    assert messages[0]["text"].startswith("Welcome back!")
    assert recommender.requests[-1]["path"] == "/recommend"
    assert recommender.requests[-1]["json"]["customer_id"] == "c-42"
    assert events[0] == SlotSet("customer_id", "c-42")


def test_member_number_identifies_the_customer(loop, recommender):
    tracker = make_tracker(intent="give_member_number", text="my member number is 12345678", channel="telegram")
    messages, events = run(loop, ActionIdentifyCustomer(), tracker)
    assert events[0] == SlotSet("customer_id", "12345678")
    assert recommender.requests[-1]["json"]["customer_id"] == "12345678"
    assert recommender.requests[-1]["json"]["k"] == 3  # text channels get fewer cards
    assert messages[0]["text"].startswith("Thanks, welcome back!")
    assert len(messages) == 4 and all(m["custom"]["reply_markup"] for m in messages[1:])  # Telegram cards


def test_start_search_keeps_the_shoppers_words_and_forgets_old_filters(loop):
    tracker = make_tracker(
        text="something flowy for a beach wedding",
        entities=[{"entity": "occasion", "value": "beach wedding"}],
        slots={"product_type": "Trousers", "colour": "Black", "section": "Ladieswear", "occasion": "beach wedding", "max_price": 0.05},
    )
    messages, events = run(loop, ActionStartSearch(), tracker)
    assert messages == []
    assert events == [
        SlotSet("product_type", None), SlotSet("colour", None), SlotSet("pattern", None),
        SlotSet("budget", None), SlotSet("max_price", None),
        SlotSet("query", "something flowy for a beach wedding"), SlotSet("questions_asked", []),
    ]


def test_no_budget_while_searching_lifts_the_price_limit_only(loop, recommender):
    slots = {"product_type": "Hoodie", "section": "Baby/Children", "budget": "30", "max_price": 0.03,
             "query": "a gift for my daughter"}
    _, events = run(loop, ActionStartSearch(), make_tracker(intent="no_preference", text="no budget", slots=slots))
    assert events == [SlotSet("budget", "any"), SlotSet("max_price", None)]
    # "surprise me" is a new search still
    _, events = run(loop, ActionStartSearch(), make_tracker(intent="no_preference", text="surprise me", slots=slots))
    assert SlotSet("product_type", None) in events and SlotSet("query", None) in events


def test_recommend_sends_filters_query_and_session(loop, recommender):
    slots = {"product_type": "Dress", "section": "Ladieswear", "budget": "under 40 euros", "colour": None,
             "occasion": "beach wedding", "query": "something flowy", "liked": ["0108775015"],
             "disliked": ["0110065001"], "shown": ["0176209025"]}
    messages, events = run(loop, ActionRecommend(), make_tracker(slots=slots))
    asked = {
        "filters": {"product_type": "Dress", "section": "Ladieswear", "max_price": 0.04},
        "session": {"liked": ["0108775015"], "disliked": ["0110065001"], "shown": ["0176209025"]},
        "k": 6, "query": "something flowy for beach wedding",
    }
    # one unseen dress fits: the dress already shown that fits too comes after it, not "nothing else"
    assert [r["json"] for r in recommender.requests] == [
        asked, {**asked, "session": {**asked["session"], "shown": []}}]
    assert messages[0]["text"] == "Here's what I found for you:"
    assert card_ids(messages[1]) == ["0176209023", "0176209025"]
    assert messages[1]["custom"]["cards"][0]["price"] == "€33.90"
    assert events == shown_slots([BY_ID["0176209023"], BY_ID["0176209025"]])


def test_a_refine_that_only_pieces_already_seen_fit_shows_them_again(loop, recommender):
    seen = ["0202000001", "0202000002", "0202000003"]  # all the trousers
    tracker = make_tracker(intent="shop", text="under 30", entities=[{"entity": "budget", "value": "30"}],
                           slots={"product_type": "Trousers", "shown": seen})
    messages, events = run(loop, ActionRefine(), tracker)
    assert messages[0]["text"] == "Nothing new fits that, so here are the ones you've already seen that do:"
    assert card_ids(messages[1]) == ["0202000003"]
    # "show me more" of the same never shows them again
    messages, events = run(loop, ActionShowMore(), make_tracker(intent="more_results", slots={
        "product_type": "Trousers", "max_price": 0.03, "shown": seen}))
    assert events == [] and messages[0]["text"].startswith("I couldn't find anything")


def test_show_more_never_repeats(loop, recommender):
    seen = []
    for _ in range(3):
        tracker = make_tracker(intent="more_results", text="show me more", slots={"shown": list(seen)})
        messages, events = run(loop, ActionShowMore(), tracker)
        if len(messages) < 2 or not messages[1].get("custom"):
            break
        new = card_ids(messages[1])
        assert not set(new) & set(seen)
        assert recommender.requests[-1]["json"]["session"]["shown"] == seen
        seen = events[0]["value"]
    assert len(seen) == len(ITEMS)


def test_nothing_left_says_so(loop, recommender):
    tracker = make_tracker(intent="more_results", slots={"shown": [i["article_id"] for i in ITEMS]})
    messages, events = run(loop, ActionShowMore(), tracker)
    assert events == []
    assert messages[0]["text"].startswith("I couldn't find anything")


def test_like_button_moves_the_next_cards(loop, recommender):
    tracker = make_tracker(intent="like", text='/like{"article_id":"0202000001"}',
                           entities=[{"entity": "article_id", "value": "0202000001"}],
                           slots={"shown": ["0202000001"], "disliked": ["0202000001"]})
    messages, events = run(loop, ActionLike(), tracker)
    request = recommender.requests[-1]["json"]
    assert request["session"] == {"liked": ["0202000001"], "disliked": [], "shown": ["0202000001"]}
    assert events[:3] == [SlotSet("liked", ["0202000001"]), SlotSet("disliked", []), SlotSet("article_id", "0202000001")]
    assert messages[0]["text"] == "Good eye! Here's more in that spirit:"
    assert card_ids(messages[1])[:2] == ["0202000002", "0202000003"]  # more trousers first


def test_more_like_a_piece_the_catalog_no_longer_has_says_so(loop, recommender):
    # a button from an old conversation, after the catalog changed
    gone = {"intent": "like", "text": '/like{"article_id":"0999999999"}',
            "entities": [{"entity": "article_id", "value": "0999999999"}]}
    messages, events = run(loop, ActionLike(), make_tracker(**gone))
    assert events == [] and len(messages) == 1
    assert messages[0]["text"].startswith("I can't find that piece in our catalogue any more")
    assert [r["path"] for r in recommender.requests] == ["/products/0999999999"]  # nothing sent to /recommend
    messages, events = run(loop, ActionCompleteLook(), make_tracker(**{**gone, "intent": "complete_look"}))
    assert events == []
    assert messages[0]["text"].startswith("I can't find that piece in our catalogue any more")


def test_not_for_me_button_and_words(loop, recommender):
    tracker = make_tracker(intent="dislike", entities=[{"entity": "article_id", "value": "0108775015"}],
                           text='/dislike{"article_id":"0108775015"}', slots={"liked": ["0108775015"]})
    messages, events = run(loop, ActionDislike(), tracker)
    assert events[:2] == [SlotSet("disliked", ["0108775015"]), SlotSet("liked", [])]
    assert "0108775015" not in card_ids(messages[1])
    # said in words: every card just shown is out
    last = [summary(i) for i in ITEMS[:2]]
    messages, events = run(loop, ActionDislike(), make_tracker(intent="dislike", text="not for me", slots={"last_items": last}))
    assert events[0] == SlotSet("disliked", ["0108775015", "0108775044"])
    assert recommender.requests[-1]["json"]["session"]["disliked"] == ["0108775015", "0108775044"]


def test_cheaper_lowers_the_max_price(loop, recommender):
    last = [summary(BY_ID[i]) for i in ("0176209023", "0189616006", "0205000001")]
    messages, events = run(loop, ActionCheaper(), make_tracker(intent="cheaper", slots={"last_items": last, "product_type": "Dress"}))
    max_price = 0.038  # three quarters of the median shown, €38.10, down to a whole euro
    assert recommender.requests[-1]["json"]["filters"] == {"product_type": "Dress", "section": "Ladieswear",
                                                           "max_price": max_price}
    assert events[:2] == [SlotSet("max_price", max_price), SlotSet("budget", "€38.00")]
    assert messages[0]["text"] == "Sure — here are some options under €38.00:"
    assert all(c["price"] <= "€38.00" for c in messages[1]["custom"]["cards"])


def test_nothing_cheaper_keeps_the_budget_and_says_so(loop, recommender):
    cheapest_dresses = [summary(BY_ID[i]) for i in ("0176209023", "0176209025")]  # €33.90, the cheapest
    tracker = make_tracker(intent="cheaper", text="cheaper",
                           slots={"last_items": cheapest_dresses, "product_type": "Dress", "max_price": 0.06})
    messages, events = run(loop, ActionCheaper(), tracker)
    assert recommender.requests[-1]["json"]["filters"] == {"product_type": "Dress", "section": "Ladieswear",
                                                           "max_price": 0.025}
    assert events == []  # still under €60: "in blue" next finds blue dresses
    assert [(m["text"], m["buttons"]) for m in messages] == [(
        "Those are the most affordable I have for that right now: nothing under €25.00. "
        "Shall I show you more at these prices, or what's trending?",
        [{"title": "Show me more", "payload": "/more_results"}, {"title": "What's trending?", "payload": "/trending"}],
    )]


def test_another_colour_leaves_out_the_colour_shown(loop, recommender):
    last = [summary(BY_ID["0202000001"])]
    tracker = make_tracker(intent="other_colour", text="in another colour",
                           slots={"product_type": "Trousers", "colour": "Black", "last_items": last})
    messages, events = run(loop, ActionOtherColour(), tracker)
    assert recommender.requests[-1]["json"]["filters"] == {"product_type": "Trousers"}
    assert events[0] == SlotSet("colour", None)
    assert {c["article_id"] for c in messages[1]["custom"]["cards"]} == {"0202000002", "0202000003"}


def test_other_colours_of_a_trending_card_are_its_own_first(loop, recommender):
    trending = [summary(BY_ID[i]) for i in ("0202000001", "0176209023")]
    tracker = make_tracker(intent="other_colour", text="does the first one come in other colours?",
                           slots={"last_items": trending})
    messages, events = run(loop, ActionOtherColour(), tracker)
    assert recommender.requests[-1]["json"]["query"] == "Slim jeans"
    assert "filters" not in recommender.requests[-1]["json"] or not recommender.requests[-1]["json"]["filters"]
    assert messages[0]["text"] == "Here it is in other colours:"
    shown = card_ids(messages[1])
    assert shown[0].startswith("0202000") and "Black" not in {BY_ID[i]["colour"] for i in shown}
    assert events[0] == SlotSet("colour", None)


def test_asking_for_a_named_colour(loop, recommender):
    tracker = make_tracker(intent="other_colour", text="do you have it in red?",
                           entities=[{"entity": "colour", "value": "Red"}], slots={"product_type": "Dress"})
    messages, events = run(loop, ActionOtherColour(), tracker)
    assert recommender.requests[-1]["json"]["filters"] == {"product_type": "Dress", "colour": "Red",
                                                           "section": "Ladieswear"}
    assert card_ids(messages[1]) == ["0189616006"]


def test_the_piece_in_focus_in_the_colour_asked_for_comes_first(loop, recommender):
    dark_blue = {"entity": "colour", "value": "Dark Blue"}
    tracker = make_tracker(intent="other_colour", text="do you have these in dark blue?", entities=[dark_blue],
                           slots={"last_items": [summary(BY_ID["0202000003"])]}, new_slots={"colour": "Dark Blue"})
    messages, events = run(loop, ActionOtherColour(), tracker)
    assert recommender.requests[-1]["json"]["query"] == "Regular jeans"
    assert messages[0]["text"] == "Here it is in dark blue:"
    # the same product in dark blue leads, although the recommender ranked a dress first
    assert card_ids(messages[1]) == ["0202000002", "0176209025"]
    assert SlotSet("colour", "Dark Blue") in events


def test_the_piece_liked_before_the_cards_on_screen_is_found_in_the_catalog(loop, recommender):
    dark_blue = {"entity": "colour", "value": "Dark Blue"}
    tracker = make_tracker(intent="other_colour", text="do you have it in dark blue?", entities=[dark_blue],
                           slots={"article_id": "0202000003", "last_items": [summary(BY_ID["0189616006"])]})
    messages, _ = run(loop, ActionOtherColour(), tracker)
    assert recommender.requests[-2]["path"] == "/products/0202000003"
    assert messages[0]["text"] == "Here it is in dark blue:"
    assert card_ids(messages[1])[0] == "0202000002"


def test_a_piece_not_made_in_the_colour_asked_for_is_said_so(loop, recommender):
    dark_blue = {"entity": "colour", "value": "Dark Blue"}
    tracker = make_tracker(intent="other_colour", text="got it in dark blue?", entities=[dark_blue],
                           slots={"last_items": [summary(BY_ID["0189616006"])]})
    messages, _ = run(loop, ActionOtherColour(), tracker)
    assert messages[0]["text"] == "I don't have the Wrap dress in dark blue, but here are dark blue pieces like it:"
    assert card_ids(messages[1]) == ["0176209025", "0202000002"]


def test_words_that_say_nothing_to_match_are_not_sent_as_the_query(loop, recommender):
    vague = make_tracker(intent="no_preference", slots={"query": "show me something nice please", "product_type": "any"})
    messages, _ = run(loop, ActionRecommend(), vague)
    assert "query" not in recommender.requests[-1]["json"]
    assert messages[0]["text"] == "Here are a few things I think you'll like:"
    run(loop, ActionRecommend(), make_tracker(slots={"query": "show me something flowy"}))
    assert recommender.requests[-1]["json"]["query"] == "show me something flowy"


def test_less_formal_rewrites_the_query(loop, recommender):
    tracker = make_tracker(intent="less_formal", slots={"query": "a smart blazer for the office", "product_type": "Blazer"})
    messages, events = run(loop, ActionLessFormal(), tracker)
    request = recommender.requests[-1]["json"]
    assert request["query"] == "a blazer casual relaxed everyday"
    assert "product_type" not in request["filters"]
    assert events[:2] == [SlotSet("query", "a blazer casual relaxed everyday"), SlotSet("occasion", "casual")]


def test_dressier_rewrites_the_query_the_other_way(loop, recommender):
    tracker = make_tracker(intent="more_formal", text="something dressier",
                           slots={"query": "a comfy casual hoodie for the weekend", "product_type": "Hoodie",
                                  "section": "Ladieswear"})
    messages, events = run(loop, ActionMoreFormal(), tracker)
    request = recommender.requests[-1]["json"]
    assert request["query"] == "a hoodie for the weekend elegant dressy formal"
    assert request["filters"] == {"section": "Ladieswear"}  # a hoodie is not made dressy by a word
    assert events[:2] == [SlotSet("query", "a hoodie for the weekend elegant dressy formal"),
                          SlotSet("occasion", "formal")]
    assert messages[0]["text"] == "Let's dress it up a little:"


def test_refine_with_a_new_budget(loop, recommender):
    tracker = make_tracker(intent="shop", text="under 30", entities=[{"entity": "budget", "value": "30"}],
                           slots={"product_type": "Trousers", "budget": "30"})
    messages, events = run(loop, ActionRefine(), tracker)
    assert events[0] == SlotSet("max_price", 0.03)
    assert recommender.requests[-1]["json"]["filters"] == {"product_type": "Trousers", "max_price": 0.03}
    assert card_ids(messages[1]) == ["0202000003"]


def test_trending_for_a_section(loop, recommender):
    tracker = make_tracker(intent="trending", text="what's popular for men", entities=[{"entity": "section", "value": "Menswear"}])
    messages, events = run(loop, ActionTrending(), tracker)
    assert recommender.requests[-1]["query"]["section"] == "Menswear"
    assert messages[0]["text"].startswith("Here's what's trending")
    assert card_ids(messages[1]) == ["0202000001", "0202000002", "0202000003"]


def test_what_goes_with_this(loop, recommender):
    tracker = make_tracker(intent="complete_look", text='/complete_look{"article_id":"0176209023"}',
                           entities=[{"entity": "article_id", "value": "0176209023"}],
                           slots={"last_items": [summary(BY_ID["0176209023"])]})
    messages, events = run(loop, ActionCompleteLook(), tracker)
    assert recommender.requests[-1]["path"] == "/complete-the-look/0176209023"
    assert recommender.requests[-1]["query"]["complementary"] == "false"  # a skirt may go with a top
    assert messages[0]["text"] == "These would go beautifully with Flowy maxi dress:"
    assert card_ids(messages[1]) == ["0204000001", "0204000002", "0204000003"]
    assert events[0] == SlotSet("article_id", "0176209023")


def test_what_goes_with_it_after_not_for_me_is_not_about_the_piece_turned_down(loop, recommender):
    # "Not for me" on the dress left it in the article_id slot (the button's entity fills it)
    slots = {"article_id": "0176209023", "disliked": ["0176209023"],
             "last_items": [summary(BY_ID["0189616006"]), summary(BY_ID["0202000001"])]}
    messages, events = run(loop, ActionCompleteLook(), make_tracker(intent="complete_look", text="what goes with it?",
                                                                    slots=slots))
    assert recommender.requests[-1]["path"] == "/complete-the-look/0189616006"  # the first card shown now
    assert messages[0]["text"] == "These would go beautifully with Wrap dress:"
    assert events[0] == SlotSet("article_id", "0189616006")


# --- never silent -------------------------------------------------------------------------------

def test_recommender_down_with_nothing_cached_apologises_with_buttons(loop, dead_recommender):
    messages, events = run(loop, ActionRecommend(), make_tracker(slots={"product_type": "Dress"}))
    assert events == []
    assert len(messages) == 1
    assert messages[0]["text"].startswith("Sorry, I can't reach our product catalogue right now.")
    assert [b["payload"] for b in messages[0]["buttons"]] == ["/trending", '/shop{"product_type":"Dress"}', "/human_handoff"]


def test_recommender_down_shows_the_cached_trending_list(loop, recommender, monkeypatch):
    cached = loop.run_until_complete(client.trending(k=6))
    monkeypatch.setenv("RECOMMENDER_URL", "http://127.0.0.1:9")  # discard port: nothing listens
    messages, events = run(loop, ActionShowMore(), make_tracker(intent="more_results"))
    assert messages[0]["text"].startswith("Sorry, I'm having trouble fetching fresh picks")
    assert messages[1]["custom"] == cards.cards_payload(cached)
    assert events == shown_slots(cached)


def test_slow_recommender_greeting_is_not_silent(loop, recommender, monkeypatch):
    monkeypatch.setenv("RECOMMENDER_TIMEOUT", "0.2")
    recommender.delay = 1.0
    messages, events = run(loop, ActionGreet(), make_tracker(intent="greet", text="hi"))
    texts = [m["text"] for m in messages]
    assert texts[0] == "Hi, welcome to the shop! 👋"
    assert texts[1].startswith("Sorry, I can't reach our product catalogue")
    assert texts[2].startswith("What are you shopping for today?")


def test_ten_thousand_characters(loop, recommender):
    text = ("I want a dress " * 700)[:10_000]
    tracker = make_tracker(text=text, entities=[{"entity": "product_type", "value": "Dress"}])
    _, events = run(loop, ActionStartSearch(), tracker)
    query = next(e["value"] for e in events if e["name"] == "query")
    assert len(query) <= 300
    messages, _ = run(loop, ActionRecommend(), make_tracker(text=text, slots={"query": query, "product_type": "Dress"}))
    assert messages and len(recommender.requests[-1]["json"]["query"]) <= 300
    messages, events = run(loop, ActionIdentifyCustomer(), make_tracker(intent="give_member_number", text=text))
    assert messages[0]["text"].startswith("I couldn't spot a member number")


def test_a_filter_value_the_catalog_lacks_is_let_go_of_and_never_claimed(loop, recommender):
    """The real service answers 400 naming the field ("product type") for a value its catalog
    lacks; the shopper still gets cards, the other filters still hold, and neither the intro nor
    the cards claim the value."""
    original = recommender.items
    tracker = make_tracker(slots={"product_type": "Kaftan", "section": "Ladieswear", "max_price": 0.04, "query": "beach"})
    # the fixture server knows no 400s; emulate one by wrapping the client call
    calls = []
    real = client.recommend

    async def refusing(**kwargs):
        calls.append(kwargs)
        if kwargs["filters"].get("product_type"):
            raise client.BadRequest("POST /recommend: HTTP 400 unknown product type 'Kaftan'",
                                   answer={"error": "unknown product type 'Kaftan'", "field": "product type"})
        return await real(**kwargs)

    import actions.recommend as module
    module.client.recommend, saved = refusing, module.client.recommend
    try:
        messages, events = run(loop, ActionRecommend(), tracker)
        more, _ = run(loop, ActionShowMore(), tracker)
    finally:
        module.client.recommend = saved
    assert more[0]["text"] == "Here are some more:"  # the shopper was told once
    assert calls[1]["filters"] == {"section": "Ladieswear", "max_price": 0.04}
    assert calls[1]["query"] == "beach Kaftan"
    assert messages[0]["text"] == "I don't have exactly that, but here's the closest I have:"
    shown = card_ids(messages[1])
    assert shown and all(BY_ID[i]["section"] == "Ladieswear" and BY_ID[i]["price"] <= 0.04 for i in shown)
    assert not any("kaftan" in card["reason"].lower() for card in messages[1]["custom"]["cards"])
    assert recommender.items is original

def test_nothing_found_offers_to_loosen_with_a_yes_button(loop, recommender):
    tracker = make_tracker(slots={"product_type": "Dress", "colour": "Green"})
    messages, events = run(loop, ActionRecommend(), tracker)
    assert events == []
    assert messages[0]["text"] == "I couldn't find anything that matches all of that. Shall I loosen it up a little?"
    assert messages[0]["offer"] == "loosen"
    assert messages[0]["buttons"][0] == {"title": "Yes, loosen it up", "payload": "/affirm"}


def test_yes_to_loosening_drops_colour_and_price_and_shows_cards(loop, recommender):
    offer = {"text": "I couldn't find anything that matches all of that. Shall I loosen it up a little?", "offer": "loosen"}
    tracker = make_tracker(intent="affirm", text="yes", bot_said=offer,
                           slots={"product_type": "Dress", "colour": "Green", "budget": "10", "max_price": 0.01})
    messages, events = run(loop, ActionAffirm(), tracker)
    assert [r["json"]["filters"] for r in recommender.requests] == [
        {"product_type": "Dress", "section": "Ladieswear", "max_price": 0.01},
        {"product_type": "Dress", "section": "Ladieswear"}]
    assert messages[0]["text"] == "I've let go of the colour and the budget — here's the closest I have:"
    assert card_ids(messages[1]) == ["0176209023", "0176209025", "0189616006"]
    assert events == [SlotSet("colour", None), SlotSet("budget", None), SlotSet("max_price", None)] + shown_slots(
        [BY_ID[i] for i in ("0176209023", "0176209025", "0189616006")])


def test_loosening_keeps_the_budget_while_letting_go_of_the_colour_finds_something(loop, recommender):
    offer = {"text": "Shall I loosen it up a little?", "offer": "loosen"}
    tracker = make_tracker(intent="affirm", text="yes please", bot_said=offer,
                           slots={"product_type": "Dress", "colour": "Green", "pattern": "Striped", "budget": "40",
                                  "max_price": 0.04, "occasion": "wedding"})
    messages, events = run(loop, ActionAffirm(), tracker)
    assert [r["json"]["filters"] for r in recommender.requests] == [
        {"product_type": "Dress", "colour": "Green", "section": "Ladieswear", "max_price": 0.04},
        {"product_type": "Dress", "section": "Ladieswear", "max_price": 0.04}]
    assert messages[0]["text"] == "I've let go of the pattern and the colour — here's the closest I have:"
    assert card_ids(messages[1]) == ["0176209023", "0176209025"]
    assert events[:2] == [SlotSet("colour", None), SlotSet("pattern", None)]
    assert not any(e.get("name") in ("budget", "max_price", "occasion") for e in events)


def test_what_loosening_let_go_of_is_named_in_the_order_it_went():
    assert let_go_of({"colour": "Red", "max_price": 0.03, "section": "Menswear"}, {}) == \
        "the colour, the budget and who it's for"
    assert let_go_of({"product_type": "Dress", "pattern": "Dot"}, {"product_type": "Dress"}) == "the pattern"


def test_loosening_lets_go_of_the_kind_of_piece_when_it_must(loop, recommender):
    offer = {"text": "Shall I loosen it up a little?", "offer": "loosen"}
    tracker = make_tracker(intent="affirm", text="yeah go on", bot_said=offer,
                           slots={"product_type": "Kaftan", "section": "Menswear", "colour": "Green"})
    messages, events = run(loop, ActionAffirm(), tracker)
    assert [r["json"]["filters"] for r in recommender.requests] == [
        {"product_type": "Kaftan", "section": "Menswear"}, {"section": "Menswear"}]
    assert card_ids(messages[1]) == ["0202000001", "0202000002", "0202000003"]
    assert events[:2] == [SlotSet("product_type", None), SlotSet("colour", None)]


def test_yes_out_of_context_invites_to_carry_on(loop, recommender):
    tracker = make_tracker(intent="affirm", text="yes", bot_said={"text": "Here's what I found for you:"},
                           slots={"product_type": "Dress", "colour": "Green"})
    messages, events = run(loop, ActionAffirm(), tracker)
    assert events == []
    assert [m["text"] for m in messages] == ["Great! Tell me what you'd like to see, or use the buttons on a card to refine."]
    assert recommender.requests == []


def test_yes_in_a_new_session_does_not_answer_the_last_sessions_offer(loop, recommender):
    offer = {"text": "Shall I loosen it up a little?", "offer": "loosen"}
    tracker = make_tracker(intent="affirm", text="yes", bot_said=offer, slots={"product_type": "Dress"})
    tracker.events.insert(tracker.events.index({"event": "action", "name": "action_listen"}),
                          {"event": "session_started"})
    messages, events = run(loop, ActionAffirm(), tracker)
    assert events == [] and recommender.requests == []
    assert [m["text"] for m in messages] == ["Great! Tell me what you'd like to see, or use the buttons on a card to refine."]


@pytest.mark.parametrize("section, searched", [
    (None, "Ladieswear"),  # a dress is a woman's unless the shopper says whom
    ("Baby/Children", "Baby/Children"),  # "a dress for my daughter"
    ("any", None),  # "anyone": no assumption either
])
def test_a_dress_search_is_for_women_unless_the_shopper_says_whom(loop, recommender, section, searched):
    slots = {"product_type": "Dress", "section": section}
    messages, events = run(loop, ActionRecommend(), make_tracker(text="a dress for a wedding", slots=slots))
    assert recommender.requests[-1]["json"]["filters"] == {"product_type": "Dress", **({"section": searched} if searched else {})}
    assert not any(e.get("name") == "section" for e in events)  # an assumption, not something the shopper said


# --- card reasons say what matched --------------------------------------------------------------

def test_cards_for_a_search_say_what_matched_in_the_shoppers_terms(loop, recommender):
    recommender.items = [dict(i, reason="Matches: I'm looking for a black dress for a par…") for i in recommender.items]
    slots = {"product_type": "Dress", "colour": "Red", "occasion": "party", "budget": "under 60",
             "query": "I'm looking for a red dress for a party"}
    messages, _ = run(loop, ActionRecommend(), make_tracker(slots=slots))
    assert [c["reason"] for c in messages[1]["custom"]["cards"]] == ["Red dress, for a party, under €60.00"]


def test_restyled_cards_say_the_way_of_dressing_asked_for_not_the_word_read_as_an_occasion(loop, recommender):
    recommender.items = [dict(i, reason="Matches: dress elegant dressy formal") for i in recommender.items]
    formal = {"entity": "occasion", "value": "formal", "start": 13, "end": 19}
    tracker = make_tracker(intent="less_formal", text="that's a bit formal", entities=[formal],
                           slots={"product_type": "Dress", "occasion": "formal", "query": "I need a dress for a wedding"},
                           new_slots={"occasion": "formal"})
    messages, events = run(loop, ActionLessFormal(), tracker)
    assert SlotSet("query", "I need a dress casual relaxed everyday") in events  # no "for a" left to read
    assert SlotSet("occasion", "casual") in events
    assert {c["reason"] for c in messages[1]["custom"]["cards"]} == {"Dress, casual"}
    messages, _ = run(loop, ActionMoreFormal(), make_tracker(intent="more_formal", text="these are too casual"))
    assert {c["reason"] for c in messages[1]["custom"]["cards"]} == {"Dressy"}


def test_cards_say_what_matched_in_the_shoppers_own_words_spelled_right(loop, recommender):
    recommender.items = [dict(i, reason="Matches: navy jeens for a party please") for i in recommender.items]
    text = "navy jeens for a party please"
    entities = [{"entity": "colour", "value": "Dark Blue", "start": 0, "end": 4},
                {"entity": "product_type", "value": "Trousers", "start": 5, "end": 10},
                {"entity": "occasion", "value": "party", "start": 17, "end": 22}]
    slots = {"product_type": "Trousers", "colour": "Dark Blue", "occasion": "party", "query": text}
    messages, _ = run(loop, ActionRecommend(), make_tracker(text=text, entities=entities, new_slots=slots))
    assert recommender.requests[-1]["json"]["filters"] == {"product_type": "Trousers", "colour": "Dark Blue"}
    assert [c["reason"] for c in messages[1]["custom"]["cards"]] == ["Navy jeans, for a party"]
