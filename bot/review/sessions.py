"""Signed-in reviewers: a session cookie signed with the web server's secret (HMAC-SHA256), that
scripts cannot read (HttpOnly) and other sites cannot send (SameSite=Lax: a link from elsewhere
opens the app signed in, a form posted from elsewhere arrives without it). Nothing is kept on the
server: the cookie says who and until when, and the signature that it was us who said so."""
from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import secrets
import time
from pathlib import Path
from typing import Optional

COOKIE = "review_session"
MAX_AGE = 8 * 3600  # a working day


def secret(var_dir: Path, configured: str = "") -> bytes:
    """WEB_SECRET when set, else one generated on first use and kept in var/review/secret (so
    sessions survive a restart)."""
    if configured:
        return configured.encode()
    path = var_dir / "review" / "secret"
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # made before (or just now, by another process)
        return path.read_text().strip().encode()
    with os.fdopen(descriptor, "w") as file:
        file.write(secrets.token_hex(32))
    return path.read_text().strip().encode()


class Sessions:
    def __init__(self, key: bytes):
        self._key = key

    def _sign(self, purpose: str, value: str) -> str:
        return hmac.new(self._key, f"{purpose}:{value}".encode(), hashlib.sha256).hexdigest()

    def issue(self, reviewer: str, now: Optional[float] = None) -> str:
        body = json.dumps({"reviewer": reviewer, "until": int((now or time.time()) + MAX_AGE)})
        # unpadded: a cookie value with "=" in it gets quoted
        encoded = base64.urlsafe_b64encode(body.encode()).decode().rstrip("=")
        return f"{encoded}.{self._sign('session', encoded)}"

    def reviewer(self, cookie: Optional[str], now: Optional[float] = None) -> Optional[str]:
        """Who the cookie is for, when it is ours and has not expired."""
        encoded, _, signature = (cookie or "").partition(".")
        if not (encoded and hmac.compare_digest(signature, self._sign("session", encoded))):
            return None
        body = json.loads(base64.urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4)))
        return body["reviewer"] if body["until"] > (now or time.time()) else None

    def form_token(self, cookie: str) -> str:
        """A token for the forms that change data, tied to this session (a second guard against
        posts from other sites, beside SameSite)."""
        return self._sign("form", cookie)

    def form_token_matches(self, cookie: str, token: str) -> bool:
        return bool(cookie) and hmac.compare_digest(self.form_token(cookie), token or "")


def set_cookie(response, value: str, secure: bool) -> None:
    response.cookies[COOKIE] = value
    cookie = response.cookies[COOKIE]
    cookie["httponly"] = True
    cookie["samesite"] = "Lax"
    cookie["path"] = "/review"
    cookie["max-age"] = MAX_AGE
    if secure:
        cookie["secure"] = True


def clear_cookie(response) -> None:
    response.cookies[COOKIE] = ""
    response.cookies[COOKIE]["path"] = "/review"
    response.cookies[COOKIE]["max-age"] = 0
