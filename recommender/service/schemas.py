"""Requests, checked field by field: anything wrong is a 400 that names the field and says what
was expected. Filter values are resolved later, against the catalog's vocabulary."""
from __future__ import annotations

import json
from dataclasses import dataclass, field

from recommender.service.errors import ApiError, bad_request

MAX_K = 100
DEFAULT_K = 12
MAX_QUERY_CHARS = 500
MAX_SESSION_IDS = 500
MAX_BODY_BYTES = 1_000_000
FILTER_NAMES = ("product_type", "colour", "section", "pattern", "max_price")
SESSION_NAMES = ("liked", "disliked", "shown")
RECOMMEND_FIELDS = ("customer_id", "query", "filters", "session", "k")
MAX_AGE = 130


@dataclass
class RecommendRequest:
    customer_id: str | None = None
    query: str | None = None
    filters: dict = field(default_factory=dict)
    liked: list[str] = field(default_factory=list)
    disliked: list[str] = field(default_factory=list)
    shown: list[str] = field(default_factory=list)
    k: int = DEFAULT_K


def json_body(content_type: str | None, body: bytes) -> dict:
    """The request's JSON object, or a 4xx that says why it is not one."""
    if not content_type or "json" not in content_type.lower():
        raise ApiError(415, f"expected Content-Type: application/json, got {content_type or 'none'}")
    if len(body) > MAX_BODY_BYTES:
        raise ApiError(413, f"request body too large, at most {MAX_BODY_BYTES} bytes")
    try:
        data = json.loads(body or b"null")
    except (ValueError, UnicodeDecodeError) as error:
        raise bad_request(f"malformed JSON: {error}")
    if not isinstance(data, dict):
        raise bad_request(f"expected a JSON object, got {type(data).__name__}")
    return data


def parse_recommend(data: dict) -> RecommendRequest:
    unknown = sorted(set(data) - set(RECOMMEND_FIELDS))
    if unknown:
        raise bad_request(f"unknown field(s) {unknown}; expected some of {list(RECOMMEND_FIELDS)}")
    session = _object(data, "session")
    unknown = sorted(set(session) - set(SESSION_NAMES))
    if unknown:
        raise bad_request(f"unknown session field(s) {unknown}; expected some of {list(SESSION_NAMES)}")
    return RecommendRequest(
        customer_id=_optional_string(data, "customer_id", 200),
        query=_query(data.get("query")),
        filters=parse_filters(_object(data, "filters")),
        k=parse_k(data.get("k", DEFAULT_K)),
        **{name: _id_list(session, name) for name in SESSION_NAMES},
    )


def parse_filters(filters: dict) -> dict:
    unknown = sorted(set(filters) - set(FILTER_NAMES))
    if unknown:
        raise bad_request(f"unknown filter(s) {unknown}; expected some of {list(FILTER_NAMES)}")
    out = {}
    for name, value in filters.items():
        if value is None or value == "":
            continue
        if name == "max_price":
            out[name] = _number(value, "filters.max_price", minimum=0)
        elif isinstance(value, str) and len(value) <= 100:
            out[name] = value
        else:
            raise bad_request(f"filters.{name} must be a string of at most 100 characters")
    return out


def parse_k(value) -> int:
    if isinstance(value, str) and value.strip().lstrip("-").isdigit():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int):
        raise bad_request(f"k must be an integer from 1 to {MAX_K}, got {value!r}")
    if not 1 <= value <= MAX_K:
        raise bad_request(f"k must be from 1 to {MAX_K}, got {value}")
    return value


def parse_age(value) -> float | None:
    if value in (None, ""):
        return None
    return _number(value, "age", minimum=0, maximum=MAX_AGE)


def parse_flag(name: str, value) -> bool:
    """A yes/no query parameter: absent, "false" or "0" is no; "true" or "1" is yes."""
    if value in (None, "", "false", "0"):
        return False
    if value in ("true", "1"):
        return True
    raise bad_request(f"{name} must be true or false, got {value!r}")


def _query(value) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise bad_request(f"query must be a string, got {type(value).__name__}")
    if len(value) > MAX_QUERY_CHARS:
        raise bad_request(f"query too long, at most {MAX_QUERY_CHARS} characters (got {len(value)})")
    return value.strip() or None


def _object(data: dict, name: str) -> dict:
    value = data.get(name) or {}
    if not isinstance(value, dict):
        raise bad_request(f"{name} must be an object, got {type(value).__name__}")
    return value


def _optional_string(data: dict, name: str, max_chars: int) -> str | None:
    value = data.get(name)
    if value is None:
        return None
    if not isinstance(value, str) or len(value) > max_chars:
        raise bad_request(f"{name} must be a string of at most {max_chars} characters")
    return value.strip() or None


def _id_list(session: dict, name: str) -> list[str]:
    value = session.get(name) or []
    if not isinstance(value, list) or len(value) > MAX_SESSION_IDS:
        raise bad_request(f"session.{name} must be a list of at most {MAX_SESSION_IDS} article ids")
    if not all(isinstance(v, str) for v in value):
        raise bad_request(f"session.{name} must hold article ids as strings, such as \"0108775015\"")
    return value


def _number(value, name: str, minimum: float | None = None, maximum: float | None = None) -> float:
    if isinstance(value, str):
        try:
            value = float(value)
        except ValueError:
            raise bad_request(f"{name} must be a number, got {value!r}")
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value != value or abs(value) == float("inf"):
        raise bad_request(f"{name} must be a number, got {value!r}")
    if (minimum is not None and value < minimum) or (maximum is not None and value > maximum):
        raise bad_request(f"{name} must be between {minimum} and {maximum}, got {value}")
    return float(value)
