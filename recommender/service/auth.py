"""Bearer-token check: constant-time comparison, so that timing says nothing about the token."""
from __future__ import annotations

import hmac

from recommender.service.errors import ApiError


def check_bearer(header: str | None, token: str) -> None:
    scheme, _, given = (header or "").partition(" ")
    if scheme.lower() != "bearer" or not given:
        raise ApiError(401, "missing bearer token: send 'Authorization: Bearer <token>'")
    if not hmac.compare_digest(given.strip().encode(), token.encode()):
        raise ApiError(401, "wrong bearer token")
