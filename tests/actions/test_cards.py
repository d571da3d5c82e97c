"""Card rendering: one custom payload for widget channels, text + photo + buttons on the shell."""
from rasa_sdk.executor import CollectingDispatcher

from actions import cards
from conftest import ITEMS, make_tracker

ITEM = ITEMS[3]  # Flowy maxi dress, 0.0339


def test_card_shape(monkeypatch):
    monkeypatch.setenv("RECOMMENDER_URL", "http://reco:8000")
    card = cards.to_card(ITEM)
    assert card == {
        "article_id": "0176209023",
        "title": "Flowy maxi dress",
        "price": "€33.90",
        "image_url": "http://reco:8000/images/0176209023.jpg",
        "reason": "Popular right now",
        "buttons": [
            {"title": "More like this", "payload": '/like{"article_id":"0176209023"}'},
            {"title": "Not for me", "payload": '/dislike{"article_id":"0176209023"}'},
            {"title": "What goes with it?", "payload": '/complete_look{"article_id":"0176209023"}'},
            {"title": "Add to bag", "payload": '/add_to_bag{"article_id":"0176209023"}'},
        ],
    }


def test_public_image_url(monkeypatch):
    monkeypatch.setenv("RECOMMENDER_URL", "http://internal:8000")
    monkeypatch.setenv("RECOMMENDER_PUBLIC_URL", "https://shop.example/reco/")
    assert cards.public_image_url("/images/1.jpg") == "https://shop.example/reco/images/1.jpg"
    assert cards.public_image_url("https://cdn.example/1.jpg") == "https://cdn.example/1.jpg"
    assert cards.public_image_url(None) == ""


def test_rest_gets_the_payload_itself():
    dispatcher = CollectingDispatcher()
    cards.send_cards(dispatcher, make_tracker(channel="rest"), [ITEM], "Here you go:")
    assert dispatcher.messages[0]["text"] == "Here you go:"
    custom = dispatcher.messages[1]["custom"]
    assert custom == {"type": "product_cards", "cards": [cards.to_card(ITEM)]}
    assert len(dispatcher.messages) == 2


def test_socketio_wraps_the_payload_in_data():
    """Rasa emits socket.io custom payloads as sio.emit(event, **json_message)."""
    dispatcher = CollectingDispatcher()
    cards.send_cards(dispatcher, make_tracker(channel="socketio"), [ITEM, ITEMS[4]])
    assert len(dispatcher.messages) == 1
    custom = dispatcher.messages[0]["custom"]
    assert list(custom) == ["data"]
    assert custom["data"]["type"] == "product_cards"
    assert [c["article_id"] for c in custom["data"]["cards"]] == ["0176209023", "0176209025"]


def test_channels_without_carousel_get_text_photo_buttons():
    """The shell and any channel without a renderer of its own (Telegram, Facebook and Slack
    have theirs: test_channel_cards.py)."""
    dispatcher = CollectingDispatcher()
    cards.send_cards(dispatcher, make_tracker(channel="cmdline"), [ITEM, ITEMS[5]], "Picks:")
    assert [m["text"] for m in dispatcher.messages] == [
        "Picks:",
        "Flowy maxi dress — €33.90\nPopular right now",
        "Wrap dress — €50.80\nPopular right now",
    ]
    assert dispatcher.messages[1]["image"].endswith("/images/0176209023.jpg")
    assert dispatcher.messages[1]["buttons"][0]["payload"] == '/like{"article_id":"0176209023"}'
    assert all(not m["custom"] for m in dispatcher.messages)


def test_no_items_sends_only_the_intro():
    dispatcher = CollectingDispatcher()
    cards.send_cards(dispatcher, make_tracker(), [], "Nothing")
    assert [m["text"] for m in dispatcher.messages] == ["Nothing"]


def test_a_quoted_query_becomes_what_matched():
    said = cards.search_words({"product_type": "Dress", "colour": "Black", "max_price": 0.04}, "party",
                              "I'm looking for a black dress for a party")
    assert said == "Black dress, for a party, under €40.00"
    item = dict(ITEM, reason="Matches: I'm looking for a black dress for a par…")
    assert cards.to_card(item, said)["reason"] == "Black dress, for a party, under €40.00"
    assert cards.to_card(item)["reason"] == "Close to what you described"  # never a cut sentence


def test_other_reasons_and_whole_quotes_stay():
    assert cards.card_reason("Because you liked the black santa monica", "Black dress") == "Because you liked the black santa monica"
    assert cards.card_reason("Matches: something flowy") == "Matches: something flowy"


def test_search_words_for_whom_and_without_a_piece():
    assert cards.search_words({"section": "Menswear"}, "wedding", None) == "For wedding, for men"
    assert cards.search_words({}, None, "anything") is None


def test_search_words_leave_out_whom_a_piece_says_it_is_for():
    assert cards.search_words({"product_type": "Dress", "section": "Ladieswear"}) == "Dress"
    assert cards.search_words({"product_type": "Dress", "section": "Baby/Children"}) == "Dress, for kids"
    assert cards.search_words({"product_type": "Trousers", "section": "Ladieswear"}) == "Trousers, for women"


def test_cards_that_share_a_title_say_their_colour():
    # two colours of one strap top, then three titles of their own
    items = [ITEMS[0], ITEMS[1], ITEMS[3], ITEMS[5], dict(ITEMS[4], title="Dark blue Flowy maxi dress")]
    titles = [card["title"] for card in cards.cards_payload(items)["cards"]]
    assert titles == ["Strap top, black", "Strap top, white", "Flowy maxi dress", "Wrap dress",
                      "Dark blue Flowy maxi dress"]


def test_a_title_that_names_its_colour_is_not_told_twice():
    same = [dict(ITEMS[0], title="Black strap top"), dict(ITEMS[0], article_id="1", title="black strap top")]
    assert [card["title"] for card in cards.cards_payload(same)["cards"]] == ["Black strap top", "black strap top"]


def test_on_a_text_channel_the_colour_tells_the_cards_apart():
    dispatcher = CollectingDispatcher()
    cards.send_cards(dispatcher, make_tracker(channel="cmdline"), ITEMS[:2])
    assert [m["text"].splitlines()[0] for m in dispatcher.messages] == [
        "Strap top, black — €8.10", "Strap top, white — €8.10"]


def test_an_occasion_reads_as_the_shopper_said_it_or_as_a_shop_assistant_would():
    assert cards.occasion_words("party", "a dress for my party tonight") == "for my party"
    assert cards.occasion_words("wedding", "something for summer") == "for wedding"
    assert cards.occasion_words("gift", "a gift for my daughter") == "as a gift"
    assert cards.search_words({"product_type": "Dress"}, "formal") == "Dress, dressy"
    assert cards.search_words({"product_type": "Dress"}, "casual") == "Dress, casual"
