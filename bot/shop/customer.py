"""Who is browsing the demo shop: a signed-in customer id kept in a cookie, or nobody.

A real shop has its own accounts; the demo only needs to know which customer to greet with their
own picks and to hand that id to the widget."""
from __future__ import annotations

import re
from typing import Optional

COOKIE = "shop_customer"
MAX_AGE_S = 30 * 24 * 3600
# H&M ids are 64 hex digits; the demo catalog's are shorter. Anything else is not an id.
CUSTOMER_ID = re.compile(r"^[A-Za-z0-9_-]{1,128}$")


def valid_customer_id(value: Optional[str]) -> Optional[str]:
    value = (value or "").strip()
    return value if CUSTOMER_ID.match(value) else None


def current_customer(request) -> Optional[str]:
    return valid_customer_id(request.cookies.get(COOKIE))


def remember(response, customer_id: str) -> None:
    response.cookies[COOKIE] = customer_id
    response.cookies[COOKIE].update({"httponly": True, "samesite": "Lax", "max-age": MAX_AGE_S, "path": "/"})


def forget(response) -> None:
    del response.cookies[COOKIE]
