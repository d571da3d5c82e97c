"""The review app served for real: a sanic server on a free loopback port, in a thread of the
test process, and a small HTTP client that keeps the session cookie and never follows redirects
(so that tests see every refusal as it is sent)."""
from __future__ import annotations

import asyncio
import http.client
import itertools
import json
import socket
import threading
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from typing import Dict, Optional
from urllib.parse import urlencode

from sanic import Sanic

from bot.config import WebConfig
from bot.review.routes import review_blueprint

_names = itertools.count()
# Several apps in one process: sanic then keeps the original of what it rewrites at start-up.
Sanic.test_mode = True


@dataclass
class Answer:
    status: int
    headers: http.client.HTTPMessage
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode()

    def json(self):
        return json.loads(self.body)

    @property
    def location(self) -> str:
        return self.headers.get("Location", "")


@dataclass
class Client:
    port: int
    cookies: Dict[str, str] = field(default_factory=dict)

    def request(self, method: str, path: str, form: Optional[dict] = None) -> Answer:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())} if self.cookies else {}
        body = None
        if form is not None:
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection.request(method, path, body=body, headers=headers)
        reply = connection.getresponse()
        answer = Answer(reply.status, reply.headers, reply.read())
        connection.close()
        for line in answer.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(line).items():
                self.cookies[name] = morsel.value
        self.cookies = {k: v for k, v in self.cookies.items() if v}
        return answer

    def get(self, path: str) -> Answer:
        return self.request("GET", path)

    def post(self, path: str, form: dict) -> Answer:
        return self.request("POST", path, form)

    def sign_in(self, name: str, password: str) -> Answer:
        return self.post("/review/login", {"name": name, "password": password, "next": "/review/"})


class ReviewServer:
    """`with ReviewServer(config) as server:` serves the review blueprint until the block ends."""

    def __init__(self, config: WebConfig):
        self.app = Sanic(f"review_test_{next(_names)}")
        self.app.config.FALLBACK_ERROR_FORMAT = "html"
        self.app.blueprint(review_blueprint(config))
        self.socket = socket.socket()
        self.socket.bind(("127.0.0.1", 0))
        self.port = self.socket.getsockname()[1]
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)

    async def _start(self):
        self.server = await self.app.create_server(sock=self.socket, access_log=False, return_asyncio_server=True)
        await self.server.startup()
        await self.server.before_start()
        await self.server.start_serving()
        await self.server.after_start()

    async def _stop(self):
        await self.server.before_stop()
        self.server.close()
        await self.server.wait_closed()
        await self.server.after_stop()

    def __enter__(self) -> "ReviewServer":
        self.thread.start()
        asyncio.run_coroutine_threadsafe(self._start(), self.loop).result(timeout=30)
        return self

    def __exit__(self, *_):
        asyncio.run_coroutine_threadsafe(self._stop(), self.loop).result(timeout=30)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(timeout=10)
        self.socket.close()

    def client(self) -> Client:
        return Client(self.port)
