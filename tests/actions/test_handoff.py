"""Talk to a person: say how, and mark the conversation for support review."""
from rasa_sdk.events import SlotSet

from actions.handoff import ActionHandoff
from conftest import make_tracker, run


def test_handoff_marks_the_conversation(loop, monkeypatch):
    monkeypatch.setenv("SHOP_SUPPORT_CONTACT", "support@shop.example")
    messages, events = run(loop, ActionHandoff(), make_tracker(intent="human_handoff", text="talk to a person"))
    assert events == [SlotSet("handoff_requested", True)]
    assert "support@shop.example" in messages[0]["text"]
    assert "flagged this conversation" in messages[0]["text"]
