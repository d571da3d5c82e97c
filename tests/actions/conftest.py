"""Action tests: rasa-sdk Trackers and CollectingDispatchers against a recommender over HTTP.

`recommender` is the one fixture that stands for the recommender service: for now a small real
aiohttp server on loopback that serves the API's shape (DESIGN.md) from the fixture items
below, and records every request it gets. Swap it for the real service on a small catalog by
changing this fixture alone: the tests use only `.url`, `.requests`, `.items`, `.delay`.

Run in the Rasa environment: `python -m pytest tests/actions`.
"""
from __future__ import annotations

import asyncio
import socket
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, List, Optional

import pytest
from aiohttp import web

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from rasa_sdk import Tracker  # noqa: E402

from actions import client  # noqa: E402


def _item(article_id, title, product_type, colour, section, price, reason="Popular right now"):
    return {
        "article_id": article_id, "title": title, "product_type": product_type, "colour": colour,
        "section": section, "price": price, "image_url": f"/images/{article_id}.jpg",
        "score": 1.0, "reason": reason,
    }


ITEMS: List[Dict[str, Any]] = [
    _item("0108775015", "Strap top", "Vest top", "Black", "Ladieswear", 0.0081),
    _item("0108775044", "Strap top", "Vest top", "White", "Ladieswear", 0.0081),
    _item("0110065001", "OP T-shirt (Idro)", "Bra", "Black", "Ladieswear", 0.0220),
    _item("0176209023", "Flowy maxi dress", "Dress", "Light Beige", "Ladieswear", 0.0339),
    _item("0176209025", "Flowy maxi dress", "Dress", "Dark Blue", "Ladieswear", 0.0339),
    _item("0189616006", "Wrap dress", "Dress", "Red", "Ladieswear", 0.0508),
    _item("0202000001", "Slim jeans", "Trousers", "Black", "Menswear", 0.0339),
    _item("0202000002", "Slim jeans", "Trousers", "Dark Blue", "Menswear", 0.0339),
    _item("0202000003", "Regular jeans", "Trousers", "Blue", "Menswear", 0.0254),
    _item("0203000001", "Kids hoodie", "Hoodie", "Grey", "Baby/Children", 0.0152),
    _item("0204000001", "Leather belt", "Belt", "Black", "Ladieswear", 0.0169),
    _item("0204000002", "Straw bag", "Bag", "Beige", "Ladieswear", 0.0254),
    _item("0204000003", "Hoop earrings", "Earring", "Gold", "Ladieswear", 0.0067),
    _item("0205000001", "Linen blazer", "Blazer", "Beige", "Ladieswear", 0.0593),
]
ACCESSORY_TYPES = {"Belt", "Bag", "Earring"}


@dataclass
class FakeRecommender:
    url: str
    items: List[Dict[str, Any]]
    requests: List[Dict[str, Any]] = field(default_factory=list)
    delay: float = 0.0


def _matches(item: Dict[str, Any], filters: Dict[str, Any]) -> bool:
    for key in ("product_type", "colour", "section", "pattern"):
        wanted = filters.get(key)
        if wanted and key in item and str(item[key]).lower() != str(wanted).lower():
            return False
    max_price = filters.get("max_price")
    return not (max_price is not None and item["price"] > float(max_price))


def _app(state: FakeRecommender) -> web.Application:
    async def record(request: web.Request, body: Optional[Dict[str, Any]] = None) -> None:
        state.requests.append({
            "method": request.method, "path": request.path, "query": dict(request.query),
            "json": body, "authorization": request.headers.get("Authorization"),
        })
        if state.delay:
            await asyncio.sleep(state.delay)

    async def recommend(request: web.Request) -> web.Response:
        body = await request.json()
        await record(request, body)
        session = body.get("session") or {}
        skip = set(session.get("shown") or []) | set(session.get("disliked") or [])
        liked_types = {i["product_type"] for i in state.items if i["article_id"] in (session.get("liked") or [])}
        found = [i for i in state.items if i["article_id"] not in skip and _matches(i, body.get("filters") or {})]
        found.sort(key=lambda i: i["product_type"] not in liked_types)
        return web.json_response({"items": found[: int(body.get("k", 6))]})

    async def trending(request: web.Request) -> web.Response:
        await record(request)
        section = request.query.get("section")
        found = [i for i in state.items if not section or i["section"] == section]
        return web.json_response({"items": found[: int(request.query.get("k", 6))]})

    async def similar(request: web.Request) -> web.Response:
        await record(request)
        article = request.match_info["article_id"]
        base = next((i for i in state.items if i["article_id"] == article), None)
        if base is None:
            return web.json_response({"error": f"unknown article {article}"}, status=404)
        return web.json_response({"items": [i for i in state.items if i["product_type"] == base["product_type"] and i is not base]})

    async def complete(request: web.Request) -> web.Response:
        await record(request)
        if not any(i["article_id"] == request.match_info["article_id"] for i in state.items):
            return web.json_response({"error": "unknown article"}, status=404)
        found = [i for i in state.items if i["product_type"] in ACCESSORY_TYPES]
        return web.json_response({"items": found[: int(request.query.get("k", 4))]})

    async def product(request: web.Request) -> web.Response:
        await record(request)
        item = next((i for i in state.items if i["article_id"] == request.match_info["article_id"]), None)
        return web.json_response(item) if item else web.json_response({"error": "unknown"}, status=404)

    async def health(request: web.Request) -> web.Response:
        return web.json_response({"status": "ok"})

    app = web.Application()
    app.add_routes([
        web.post("/recommend", recommend), web.get("/trending", trending),
        web.get("/similar/{article_id}", similar), web.get("/complete-the-look/{article_id}", complete),
        web.get("/products/{article_id}", product), web.get("/health", health),
    ])
    return app


@pytest.fixture
def loop():
    loop = asyncio.new_event_loop()
    yield loop
    loop.run_until_complete(asyncio.sleep(0))
    loop.close()


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch):
    for name in ("RECOMMENDER_URL", "RECOMMENDER_TOKEN", "RECOMMENDER_TIMEOUT", "RECOMMENDER_PUBLIC_URL",
                 "SHOP_CURRENCY", "SHOP_PRICE_SCALE"):
        monkeypatch.delenv(name, raising=False)
    client.clear_cache()
    yield
    client.clear_cache()


@pytest.fixture
def recommender(loop, monkeypatch):
    """The recommender service, listening on loopback; RECOMMENDER_URL points at it."""
    state = FakeRecommender(url="", items=[dict(i) for i in ITEMS])
    runner = web.AppRunner(_app(state))
    loop.run_until_complete(runner.setup())
    site = web.TCPSite(runner, "127.0.0.1", 0)
    loop.run_until_complete(site.start())
    port = runner.addresses[0][1]
    state.url = f"http://127.0.0.1:{port}"
    monkeypatch.setenv("RECOMMENDER_URL", state.url)
    yield state
    loop.run_until_complete(runner.cleanup())


@pytest.fixture
def dead_recommender(monkeypatch):
    """Nothing listening: a port that was free a moment ago."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    url = f"http://127.0.0.1:{port}"
    monkeypatch.setenv("RECOMMENDER_URL", url)
    return url


def make_tracker(
    *,
    slots: Optional[Dict[str, Any]] = None,
    intent: str = "shop",
    text: str = "",
    entities: Optional[List[Dict[str, Any]]] = None,
    channel: str = "rest",
    metadata: Optional[Dict[str, Any]] = None,
    active_loop: Optional[str] = None,
    new_slots: Optional[Dict[str, Any]] = None,
    bot_said: Optional[Dict[str, Any]] = None,
) -> Tracker:
    """A tracker after one user message; `slots` were set before it (slot events, then the bot's
    last message `bot_said` if given, then action_listen), `new_slots` were set from that
    message (as Rasa's action_extract_slots does), so a form validation action sees them as to
    validate."""
    latest = {
        "text": text, "intent": {"name": intent, "confidence": 0.99},
        "entities": entities or [], "metadata": metadata or {},
    }
    user_event = {"event": "user", "text": text, "parse_data": latest, "input_channel": channel,
                  "metadata": metadata or {}}
    slot_events = [{"event": "slot", "name": k, "value": v} for k, v in (new_slots or {}).items()]
    history = [{"event": "slot", "name": k, "value": v} for k, v in (slots or {}).items()]
    if bot_said is not None:
        history.append({"event": "bot", "text": bot_said.get("text"), "data": {}, "metadata": bot_said})
    history.append({"event": "action", "name": "action_listen"})
    return Tracker(
        sender_id="shopper-1",
        slots={**(slots or {}), **(new_slots or {})},
        latest_message=latest,
        events=history + [user_event] + slot_events,
        paused=False,
        followup_action=None,
        active_loop={"name": active_loop} if active_loop else {},
        latest_action_name="action_listen",
    )


def run(loop, action, tracker, dispatcher=None, domain=None):
    from rasa_sdk.executor import CollectingDispatcher

    dispatcher = dispatcher or CollectingDispatcher()
    events = loop.run_until_complete(action.run(dispatcher, tracker, domain or {}))
    return dispatcher.messages, events
