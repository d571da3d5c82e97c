"""What every messaging-app renderer needs: clipping text to a platform's limit, choosing the
buttons that fit, and the card fields in a safe form.

Renderers trim, they never raise: a string too long is cut at the limit with an ellipsis, a
button whose payload cannot fit whole is left out (a cut payload would be a wrong one), and cards
or buttons beyond a platform's count are dropped.
"""
from __future__ import annotations

import ipaddress
from typing import Any, Callable, Dict, List, Optional
from urllib.parse import urlsplit

ELLIPSIS = "…"


def _same(text: str) -> str:
    return text


def clip(
    text: Any,
    limit: int,
    *,
    measure: Callable[[str], int] = len,
    escape: Callable[[str], str] = _same,
) -> str:
    """`escape(text)`, or the longest escaped prefix plus "…" that measures at most `limit`.

    The text is cut before escaping, so an escape sequence is never cut in half; `measure` is how
    the platform counts (characters, UTF-16 units, bytes)."""
    text = "" if text is None else str(text)
    whole = escape(text)
    if measure(whole) <= limit:
        return whole
    if measure(ELLIPSIS) > limit:
        return ""
    low, high = 0, len(text)  # the longest prefix that fits lies in [low, high)
    while high - low > 1:
        middle = (low + high) // 2
        if measure(escape(text[:middle]) + ELLIPSIS) <= limit:
            low = middle
        else:
            high = middle
    return escape(text[:low].rstrip()) + ELLIPSIS


def utf16_units(text: str) -> int:
    """Length as Telegram counts it (UTF-16 code units)."""
    return len(text.encode("utf-16-le")) // 2


def utf8_bytes(text: str) -> int:
    return len(text.encode("utf-8"))


def fitting_buttons(
    card: Dict[str, Any],
    *,
    most: int,
    payload_fits: Callable[[str], bool],
) -> List[Dict[str, str]]:
    """The card's first `most` buttons whose payload fits whole, in the card's order."""
    fitting = []
    for button in card.get("buttons") or []:
        payload = str(button.get("payload") or "")
        if payload and payload_fits(payload):
            fitting.append({"title": str(button.get("title") or payload), "payload": payload})
        if len(fitting) == most:
            break
    return fitting


def web_image(card: Dict[str, Any], max_length: Optional[int] = None) -> str:
    """The card's photo address if a messaging platform's servers can fetch it, else "": http(s),
    not too long, and a public host (not localhost, a private address or a name without a dot,
    which would make the platform refuse the whole message)."""
    url = str(card.get("image_url") or "")
    if not url.startswith(("http://", "https://")):
        return ""
    if max_length is not None and len(url) > max_length:
        return ""
    return url if _public_host(urlsplit(url).hostname or "") else ""


def _public_host(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_global
    except ValueError:
        return "." in host and host != "localhost" and not host.endswith((".localhost", ".local", ".internal"))


def heading(card: Dict[str, Any]) -> str:
    """"Title — price", unclipped."""
    title = str(card.get("title") or "This piece")
    price = str(card.get("price") or "")
    return f"{title} — {price}" if price else title


def reason(card: Dict[str, Any]) -> str:
    return str(card.get("reason") or "")
