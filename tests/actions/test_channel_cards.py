"""Product cards on Telegram, Facebook Messenger and Slack: each platform's shape, its documented
limits on adversarial cards, and that Rasa 3.6's own connector sends what the action server
renders (the connectors' output classes with their network call replaced)."""
import json

import pytest
from rasa.core.channels.facebook import MessengerBot
from rasa.core.channels.slack import SlackBot
from rasa.core.channels.telegram import TelegramOutput
from rasa.shared.core.training_data.story_reader.yaml_story_reader import YAMLStoryReader
from rasa.shared.nlu.training_data.message import Message
from rasa_sdk.executor import CollectingDispatcher

from actions import cards, channels
from actions.channels import common, facebook, slack, telegram
from conftest import ITEMS, make_tracker

ITEM = ITEMS[3]  # Flowy maxi dress, 0.0339
PHOTO = "https://shop.example/reco/images/0176209023.jpg"
INTENTS = ["like", "dislike", "complete_look", "add_to_bag"]
NASTY_REASON = "<script>alert('x')</script> & *bold* _it_ " * 80


@pytest.fixture(autouse=True)
def public_recommender(monkeypatch):
    monkeypatch.setenv("RECOMMENDER_URL", "http://reco:8000")
    monkeypatch.setenv("RECOMMENDER_PUBLIC_URL", "https://shop.example/reco")


def card(item=ITEM, **changes):
    """A card as `send_cards` makes it, then with `changes` (past `to_card`'s own trimming)."""
    made = cards.to_card(item)
    if "article_id" in changes:
        made["buttons"] = cards.card_buttons(changes["article_id"])
    made.update(changes)
    return made


def nasty_cards(count=15):
    return [
        card(ITEMS[i % len(ITEMS)], title="Extremely long product name " * 18 + str(i),
             reason=NASTY_REASON, price="€1,234,567.89")
        for i in range(count)
    ]


def article_of(payload):
    """What Rasa's NLU makes of a button's payload: (intent, article_id)."""
    parsed = YAMLStoryReader.unpack_regex_message(Message({"text": payload})).data
    entities = {e["entity"]: e["value"] for e in parsed.get("entities", [])}
    return parsed["intent"]["name"], entities.get("article_id")


def strings(value):
    """Every string anywhere in a JSON value."""
    if isinstance(value, str):
        return [value]
    inner = value.values() if isinstance(value, dict) else value if isinstance(value, list) else []
    return [text for item in inner for text in strings(item)]


def utf16(text):
    return len(text.encode("utf-16-le")) // 2


# --- clipping --------------------------------------------------------------------------------

def test_clip_keeps_short_text_and_cuts_long_text_with_an_ellipsis():
    assert common.clip("Wrap dress", 20) == "Wrap dress"
    assert common.clip("Flowy maxi dress in beige", 12) == "Flowy maxi…"
    assert common.clip("x" * 500, 80) == "x" * 79 + "…"
    assert common.clip(None, 5) == ""
    assert common.clip("anything", 0) == ""


def test_clip_never_cuts_an_escape_in_half():
    clipped = common.clip("&&&&&&", 12, escape=slack.escape)
    assert clipped == "&amp;&amp;…"
    assert len(clipped) <= 12


def test_clip_measures_as_the_platform_counts():
    emoji = "👗" * 600  # 2 UTF-16 units, 4 UTF-8 bytes each
    assert utf16(common.clip(emoji, 1024, measure=common.utf16_units)) <= 1024
    assert common.utf8_bytes(common.clip("é" * 40, 64, measure=common.utf8_bytes)) <= 64


# --- Telegram ----------------------------------------------------------------------------------

def test_telegram_card_is_a_photo_with_caption_and_inline_keyboard():
    [message] = telegram.render([card()])
    assert message == {
        "photo": PHOTO,
        "caption": "Flowy maxi dress — €33.90\nPopular right now",
        "reply_markup": {"inline_keyboard": [
            [{"text": "More like this", "callback_data": '/like{"article_id":"0176209023"}'},
             {"text": "Not for me", "callback_data": '/dislike{"article_id":"0176209023"}'}],
            [{"text": "What goes with it?", "callback_data": '/complete_look{"article_id":"0176209023"}'},
             {"text": "Add to bag", "callback_data": '/add_to_bag{"article_id":"0176209023"}'}],
        ]},
    }


def test_telegram_limits_hold_on_adversarial_cards():
    messages = telegram.render([card(title="👗" * 2000, reason="👠" * 2000)] + nasty_cards(14))
    assert len(messages) == telegram.MAX_CARDS
    for message in messages:
        assert utf16(message["caption"]) <= telegram.CAPTION_MAX
        assert "parse_mode" not in message  # plain text: "<script>" and "*" are shown as typed
        rows = message["reply_markup"]["inline_keyboard"]
        assert all(len(row) <= telegram.BUTTONS_PER_ROW for row in rows)
        for key in (k for row in rows for k in row):
            assert len(key["callback_data"].encode("utf-8")) <= telegram.CALLBACK_DATA_MAX_BYTES
            assert len(key["text"]) <= telegram.BUTTON_TEXT_MAX
    emoji = messages[0]["caption"]
    assert emoji.startswith("👗") and "€33.90\n👠" in emoji and utf16(emoji) > 1000  # clipped, not emptied
    first = messages[1]["caption"]
    assert first.startswith("Extremely long product name") and "€1,234,567.89" in first
    assert "<script>" in first and first.endswith("…")


def test_telegram_every_real_article_id_fits_callback_data():
    for item in ITEMS:
        keys = [k for row in telegram.render([card(item)])[0]["reply_markup"]["inline_keyboard"] for k in row]
        assert [article_of(k["callback_data"]) for k in keys] == [(i, item["article_id"]) for i in INTENTS]


def test_telegram_leaves_out_buttons_whose_payload_cannot_fit_whole():
    long_id = "A" * 40  # '/like{...}' is 62 bytes; every other payload is over 64
    [message] = telegram.render([card(article_id=long_id)])
    [[key]] = message["reply_markup"]["inline_keyboard"]
    assert key["text"] == "More like this"
    assert article_of(key["callback_data"]) == ("like", long_id)
    assert len(key["callback_data"].encode()) <= 64

    multibyte_id = "é" * 22  # 44 bytes: '/like{...}' would be 66 bytes, though only 44 characters
    assert "reply_markup" not in telegram.render([card(article_id=multibyte_id)])[0]

    [message] = telegram.render([card(article_id="9" * 100)])
    assert "reply_markup" not in message and message["photo"] and message["caption"]


def test_telegram_card_without_a_fetchable_photo_is_a_text_message():
    unreachable = ("", "data:image/jpeg;base64,AAAA", "/images/1.jpg", "http://localhost:8000/images/1.jpg",
                   "http://127.0.0.1:8000/i.jpg", "http://10.0.0.5/i.jpg", "http://reco:8000/i.jpg",
                   "http://[::1]/i.jpg", "ftp://shop.example/i.jpg")
    for image in unreachable:
        [message] = telegram.render([card(image_url=image)])
        assert "photo" not in message
        assert message["text"] == "Flowy maxi dress — €33.90\nPopular right now"
        assert len(message["reply_markup"]["inline_keyboard"]) == 2


def test_rasa_telegram_connector_sends_a_photo_with_the_keyboard(loop):
    from aiogram.types import InlineKeyboardMarkup

    output = TelegramOutput("123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw")
    calls = []

    async def record(name, *args, **kwargs):
        calls.append((name, args, kwargs))

    output.send_photo = lambda *a, **k: record("send_photo", *a, **k)
    output.send_message = lambda *a, **k: record("send_message", *a, **k)
    photo, text = telegram.render([card(), card(image_url="")])
    loop.run_until_complete(output.send_custom_json("42", photo))
    loop.run_until_complete(output.send_custom_json("42", text))

    assert [(name, args) for name, args, _ in calls] == [
        ("send_photo", ("42", PHOTO)), ("send_message", ("42", text["text"])),
    ]
    kwargs = calls[0][2]
    assert set(kwargs) == {"caption", "reply_markup"}
    keyboard = InlineKeyboardMarkup.to_object(kwargs["reply_markup"])
    assert keyboard.inline_keyboard[1][1].callback_data == '/add_to_bag{"article_id":"0176209023"}'


# --- Facebook Messenger --------------------------------------------------------------------------

def test_facebook_cards_are_one_generic_template_carousel():
    [message] = facebook.render([card(), card(ITEMS[5])])
    payload = message["attachment"]["payload"]
    assert message["attachment"]["type"] == "template"
    assert payload["template_type"] == "generic"
    assert payload["elements"][0] == {
        "title": "Flowy maxi dress",
        "subtitle": "€33.90 · Popular right now",
        "image_url": PHOTO,
        "buttons": [
            {"type": "postback", "title": "More like this", "payload": '/like{"article_id":"0176209023"}'},
            {"type": "postback", "title": "Not for me", "payload": '/dislike{"article_id":"0176209023"}'},
            {"type": "postback", "title": "What goes with it?", "payload": '/complete_look{"article_id":"0176209023"}'},
        ],
    }
    assert payload["elements"][1]["title"] == "Wrap dress"


def test_facebook_limits_hold_on_adversarial_cards():
    wordy = card(buttons=[{"title": "Tell me what goes with this one", "payload": "/complete_look"}] * 5)
    [message] = facebook.render(nasty_cards(15) + [wordy])
    elements = message["attachment"]["payload"]["elements"]
    assert len(elements) == facebook.MAX_ELEMENTS
    for element in elements:
        assert len(element["title"]) <= facebook.TITLE_MAX
        assert len(element["subtitle"]) <= facebook.SUBTITLE_MAX
        assert len(element["buttons"]) <= facebook.MAX_BUTTONS
        for button in element["buttons"]:
            assert len(button["title"]) <= facebook.BUTTON_TITLE_MAX
            assert len(button["payload"]) <= facebook.PAYLOAD_MAX
    assert elements[0]["title"].endswith("…") and elements[0]["subtitle"].startswith("€1,234,567.89 · <script>")
    assert [b["payload"] for b in elements[3]["buttons"]] == [
        f"/{i}" + json.dumps({"article_id": ITEMS[3]["article_id"]}, separators=(",", ":")) for i in INTENTS[:3]
    ]
    clipped = facebook.element(wordy)["buttons"][0]["title"]
    assert len(clipped) == 20 and clipped.endswith("…")


def test_facebook_missing_photo_and_oversized_payloads():
    element = facebook.element(card(image_url="", reason=""))
    assert "image_url" not in element and element["subtitle"] == "€33.90"
    long_id = "7" * 977  # '/like{...}' is 999 characters; the others are over 1000
    [button] = facebook.element(card(article_id=long_id))["buttons"]
    assert article_of(button["payload"]) == ("like", long_id)
    assert facebook.render([]) == []


def test_rasa_facebook_connector_sends_the_carousel_as_the_message(loop):
    sent = []

    class Client:
        def send(self, payload, recipient_id, messaging_type):
            sent.append((payload, recipient_id, messaging_type))

    [message] = facebook.render([card()])
    loop.run_until_complete(MessengerBot(Client()).send_custom_json("1234", message))
    assert sent == [(message, "1234", "RESPONSE")]


# --- Slack ---------------------------------------------------------------------------------------

def test_slack_cards_are_blocks():
    [message] = slack.render([card(), card(ITEMS[5])])
    assert set(message) == {"text", "blocks"}  # no "channel": the connector passes its own
    assert message["text"] == "Picks for you: Flowy maxi dress, Wrap dress"
    assert [b["type"] for b in message["blocks"]] == ["section", "actions", "divider", "section", "actions"]
    section, actions = message["blocks"][:2]
    assert section == {
        "type": "section",
        "text": {"type": "mrkdwn", "text": "*Flowy maxi dress* — €33.90\nPopular right now"},
        "accessory": {"type": "image", "image_url": PHOTO, "alt_text": "Flowy maxi dress"},
    }
    assert [(e["text"]["text"], e["value"]) for e in actions["elements"]] == [
        (b["title"], b["payload"]) for b in cards.card_buttons("0176209023")
    ]
    assert all(e["type"] == "button" and e["text"]["type"] == "plain_text" for e in actions["elements"])


def test_slack_escapes_mrkdwn_control_characters():
    [message] = slack.render([card(title="Tom & Jerry <b>tee</b>", reason="<script>alert(1)</script> & *50%* off")])
    text = message["blocks"][0]["text"]["text"]
    assert text == "*Tom &amp; Jerry &lt;b&gt;tee&lt;/b&gt;* — €33.90\n&lt;script&gt;alert(1)&lt;/script&gt; &amp; *50%* off"
    assert "<" not in message["text"] and "&amp;" in message["text"]


def test_slack_limits_hold_on_adversarial_cards():
    many = nasty_cards(20) + [card(title="&" * 5000, reason="<" * 5000, image_url="https://shop.example/" + "y" * 3000)]
    [message] = slack.render(many)
    blocks = message["blocks"]
    assert len(blocks) <= slack.MAX_BLOCKS
    sections = [b for b in blocks if b["type"] == "section"]
    assert len(sections) == 17  # 17 cards * 3 blocks - 1 divider = 50
    action_ids = []
    for block in blocks:
        if block["type"] == "section":
            assert len(block["text"]["text"]) <= slack.SECTION_TEXT_MAX
            assert 0 < len(block["accessory"]["alt_text"]) <= slack.ALT_TEXT_MAX
        if block["type"] == "actions":
            assert len(block["elements"]) <= slack.MAX_ACTION_ELEMENTS
            for element in block["elements"]:
                assert len(element["text"]["text"]) <= slack.BUTTON_TEXT_MAX
                assert len(element["value"]) <= slack.BUTTON_VALUE_MAX
                action_ids.append(element["action_id"])
    assert len(action_ids) == len(set(action_ids))
    assert len(message["text"]) <= slack.TEXT_MAX

    [worst] = slack.render(many[-1:])
    section = worst["blocks"][0]
    assert "accessory" not in section  # a photo address over 3000 characters is left out
    assert len(section["text"]["text"]) <= slack.SECTION_TEXT_MAX
    assert section["text"]["text"].startswith("*&amp;") and section["text"]["text"].endswith("&lt;…")


def test_slack_missing_photo_and_oversized_values():
    long_id = "5" * 1978  # '/like{...}' is 2000 characters; the others are over 2000
    [message] = slack.render([card(image_url="", article_id=long_id)])
    section, actions = message["blocks"]
    assert "accessory" not in section
    [button] = actions["elements"]
    assert article_of(button["value"]) == ("like", long_id)
    assert slack.render([]) == []


def test_rasa_slack_connector_posts_the_blocks(loop):
    output = SlackBot("xoxb-test-token")
    posted = []

    async def post(**kwargs):
        posted.append(kwargs)

    output.client.chat_postMessage = post
    [message] = slack.render([card()])
    loop.run_until_complete(output.send_custom_json("U123", dict(message)))
    assert posted == [{"channel": "U123", "as_user": True, **message}]


# --- send_cards picks the renderer by channel ----------------------------------------------------

@pytest.mark.parametrize("channel, render", [
    ("telegram", telegram.render), ("facebook", facebook.render), ("slack", slack.render),
])
def test_send_cards_dispatches_the_platform_json(channel, render):
    assert channels.renderer(channel) is render
    dispatcher = CollectingDispatcher()
    items = [ITEM, ITEMS[5], ITEMS[0]]
    cards.send_cards(dispatcher, make_tracker(channel=channel), items, "Picks:")
    assert dispatcher.messages[0]["text"] == "Picks:"
    sent = [m["custom"] for m in dispatcher.messages[1:]]
    assert sent == render([cards.to_card(i) for i in items])
    assert all(not m["text"] and not m["buttons"] and not m["image"] for m in dispatcher.messages[1:])
    assert '/like{"article_id":"0176209023"}' in strings(sent)


def test_other_channels_have_no_renderer():
    for channel in ("rest", "socketio", "callback", "cmdline", "twilio", None, ""):
        assert channels.renderer(channel) is None
