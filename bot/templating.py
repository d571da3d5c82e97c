"""Jinja2 environments for the web pages. Autoescape is always on: everything that came from a
shopper, a catalog or the bot is text, never HTML."""
from __future__ import annotations

from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from sanic import response


def environment(templates_dir: Path) -> Environment:
    return Environment(
        loader=FileSystemLoader(str(templates_dir)),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def render(env: Environment, name: str, status: int = 200, headers=None, **context):
    return response.html(env.get_template(name).render(**context), status=status, headers=headers)
