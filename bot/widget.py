"""Serves the chat widget a shop embeds: widget.js, its stylesheet, and the socket.io client from
its npm package (bot/node_modules, installed by the set-up)."""
from __future__ import annotations

from pathlib import Path

from sanic import Blueprint

HERE = Path(__file__).resolve().parent
WIDGET_DIR = HERE / "static" / "widget"
SOCKET_IO_CLIENT = HERE / "node_modules" / "socket.io-client" / "dist" / "socket.io.min.js"


def widget_blueprint() -> Blueprint:
    if not SOCKET_IO_CLIENT.exists():
        raise FileNotFoundError(
            f"{SOCKET_IO_CLIENT} is missing: run `make venvs` (it runs `npm ci` in bot/)"
        )
    blueprint = Blueprint("widget")
    blueprint.static("/widget/vendor/socket.io.min.js", str(SOCKET_IO_CLIENT), name="socket_io")
    blueprint.static("/widget", str(WIDGET_DIR), name="files")
    return blueprint
