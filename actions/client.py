"""The recommender's HTTP API, seen from the action server.

Every call is bounded by a hard timeout (2 s by default, `RECOMMENDER_TIMEOUT`), because Rasa
itself would wait up to 300 s for the action. A failed call raises `RecommenderUnavailable`;
the actions then apologise and show `fallback_items()`: the last good trending list this
process saw, or nothing (the caller shows a static text with suggestion buttons).
"""
from __future__ import annotations

import json
import logging
import os
import time
from typing import Any, Dict, List, Optional
from urllib.parse import quote

import aiohttp

logger = logging.getLogger(__name__)

DEFAULT_URL = "http://localhost:8000"
DEFAULT_TIMEOUT_S = 2.0

# The last good /trending answers, by query string, and the last of them all: what is shown
# when the recommender is slow or down. Lives as long as the action server process.
_trending_cache: Dict[str, List[Dict[str, Any]]] = {}
_last_trending: List[Dict[str, Any]] = []
_last_trending_at: float = 0.0


class RecommenderUnavailable(Exception):
    """The recommender did not answer in time, or answered with an error."""

    def __init__(self, message: str = "", answer: Optional[Dict[str, Any]] = None):
        super().__init__(message)
        # of a refused request, the recommender's JSON answer: what is at fault, as it names it
        # ({"error", "field": "product type"} or {"error", "unknown": [article ids]})
        self.answer = answer or {}

    @property
    def field(self) -> Optional[str]:
        return str(self.answer["field"]) if self.answer.get("field") else None

    @property
    def unknown_articles(self) -> List[str]:
        unknown = self.answer.get("unknown")
        return [str(a) for a in unknown] if isinstance(unknown, list) else []


class BadRequest(RecommenderUnavailable):
    """A 4xx: the recommender understood the call and refused it (an unknown filter value...)."""


class NotFound(RecommenderUnavailable):
    """A 404: no such article (a stale link, a mistyped id)."""


def _error_kind(status: int) -> type:
    if status == 404:
        return NotFound
    if 400 <= status < 500 and status not in (401, 403, 408, 429):
        return BadRequest
    return RecommenderUnavailable


def base_url() -> str:
    return os.environ.get("RECOMMENDER_URL", DEFAULT_URL).rstrip("/")


def timeout_s() -> float:
    try:
        return max(0.1, float(os.environ.get("RECOMMENDER_TIMEOUT", DEFAULT_TIMEOUT_S)))
    except ValueError:
        return DEFAULT_TIMEOUT_S


def _headers() -> Dict[str, str]:
    token = os.environ.get("RECOMMENDER_TOKEN")
    return {"Authorization": f"Bearer {token}"} if token else {}


async def _request(method: str, path: str, **kwargs: Any) -> Dict[str, Any]:
    url = f"{base_url()}{path}"
    timeout = aiohttp.ClientTimeout(total=timeout_s())
    try:
        async with aiohttp.ClientSession(timeout=timeout, headers=_headers()) as session:
            async with session.request(method, url, **kwargs) as response:
                if response.status >= 400:
                    body = await response.text()
                    raise _error_kind(response.status)(
                        f"{method} {path}: HTTP {response.status} {body[:300]}", answer=_error_answer(body))
                data = await response.json(content_type=None)
    except RecommenderUnavailable:
        raise
    except Exception as error:  # timeouts, refused connections, bad JSON: all the same to a shopper
        raise RecommenderUnavailable(f"{method} {path}: {type(error).__name__} {error}") from error
    if not isinstance(data, dict):
        raise RecommenderUnavailable(f"{method} {path}: expected a JSON object")
    return data


def _error_answer(body: str) -> Dict[str, Any]:
    """The recommender's error answer as JSON, or {} when it is not a JSON object."""
    try:
        answer = json.loads(body)
    except ValueError:
        return {}
    return answer if isinstance(answer, dict) else {}


def _items(data: Dict[str, Any]) -> List[Dict[str, Any]]:
    items = data.get("items")
    if not isinstance(items, list):
        raise RecommenderUnavailable("answer without an items list")
    return [item for item in items if isinstance(item, dict) and item.get("article_id")]


def _clean_filters(filters: Optional[Dict[str, Any]]) -> Dict[str, Any]:
    return {key: value for key, value in (filters or {}).items() if value not in (None, "", [], "any")}


async def recommend(
    *,
    customer_id: Optional[str] = None,
    query: Optional[str] = None,
    filters: Optional[Dict[str, Any]] = None,
    liked: Optional[List[str]] = None,
    disliked: Optional[List[str]] = None,
    shown: Optional[List[str]] = None,
    k: int = 6,
) -> List[Dict[str, Any]]:
    body: Dict[str, Any] = {
        "filters": _clean_filters(filters),
        "session": {"liked": list(liked or []), "disliked": list(disliked or []), "shown": list(shown or [])},
        "k": int(k),
    }
    if customer_id:
        body["customer_id"] = str(customer_id)
    if query:
        body["query"] = str(query)[:1000]
    return _items(await _request("POST", "/recommend", json=body))


async def similar(article_id: str, k: int = 6) -> List[Dict[str, Any]]:
    return _items(await _request("GET", f"/similar/{quote(str(article_id), safe='')}", params={"k": k}))


async def complete_the_look(article_id: str, k: int = 4, complementary_only: bool = False) -> List[Dict[str, Any]]:
    """What goes with the article; `complementary_only`: accessories for a garment (garments
    for an accessory), nothing else bought with it."""
    path = f"/complete-the-look/{quote(str(article_id), safe='')}"
    params = {"k": k, "complementary": "true" if complementary_only else "false"}
    return _items(await _request("GET", path, params=params))


async def product(article_id: str) -> Dict[str, Any]:
    return await _request("GET", f"/products/{quote(str(article_id), safe='')}")


async def trending(section: Optional[str] = None, age: Optional[int] = None, k: int = 6) -> List[Dict[str, Any]]:
    global _last_trending, _last_trending_at
    params: Dict[str, Any] = {"k": k}
    if section and section != "any":
        params["section"] = section
    if age:
        params["age"] = int(age)
    items = _items(await _request("GET", "/trending", params=params))
    if items:
        _trending_cache[_key(params)] = items
        _last_trending, _last_trending_at = items, time.time()
    return items


def fallback_items(section: Optional[str] = None) -> List[Dict[str, Any]]:
    """The cached trending list for this section, else any cached trending list, else []."""
    if section and section != "any":
        cached = _trending_cache.get(_key({"k": 6, "section": section}))
        if cached:
            return list(cached)
    return list(_last_trending)


def clear_cache() -> None:
    global _last_trending, _last_trending_at
    _trending_cache.clear()
    _last_trending, _last_trending_at = [], 0.0


def _key(params: Dict[str, Any]) -> str:
    return "&".join(f"{k}={params[k]}" for k in sorted(params) if k != "k")
