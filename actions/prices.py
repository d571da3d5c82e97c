"""Prices on the shop's currency and scale.

The catalog stores prices on H&M's scale (about 0.03 for a garment). The shop shows them in its
own currency after multiplying by a scale: `SHOP_CURRENCY` (default EUR) and `SHOP_PRICE_SCALE`
(default 1000), so 0.0339 shows as €33.90. A budget the shopper states ("under 40 euros",
"£30", "50 bucks", "cheap") goes the other way, back to a `max_price` on the catalog's scale.
The amount is read as the shop's currency whatever symbol the shopper typed: the shop sells in one.
"""
from __future__ import annotations

import math
import os
import re
from typing import Optional

SYMBOLS = {"EUR": "€", "USD": "$", "GBP": "£", "JPY": "¥", "INR": "₹"}
SUFFIX_CURRENCIES = {"SEK": "kr", "NOK": "kr", "DKK": "kr", "CHF": "CHF", "PLN": "zł"}

# What "cheap" and its friends mean, in the shop's currency.
CHEAP_AMOUNT = 20.0
CHEAPER_FACTOR = 0.75  # "cheaper": three quarters of what was shown

NO_LIMIT_WORDS = re.compile(
    r"\b(no (limit|budget|max(imum)?)|any(thing)?|whatever|doesn'?t matter|don'?t care|"
    r"not fussed|money is no object|unlimited|no preference|surprise me)\b",
    re.I,
)
CHEAP_WORDS = re.compile(
    r"\b(cheap(est|er|o)?|inexpensive|affordable|budget[- ]friendly|bargain|low[- ]cost|"
    r"not (too )?(expensive|pricey|much)|on a budget|broke|tight budget|low budget|sale)\b",
    re.I,
)
_NUMBER = r"(\d{1,6}(?:[.,]\d{1,2})?)\s*(k\b)?"
BETWEEN = re.compile(r"between\s*\D{0,4}" + _NUMBER + r"\D{1,12}?" + _NUMBER, re.I)
NUMBER = re.compile(_NUMBER, re.I)
WORD_NUMBERS = {
    "ten": 10, "fifteen": 15, "twenty": 20, "twenty five": 25, "thirty": 30, "forty": 40,
    "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90, "hundred": 100,
    "a hundred": 100, "one hundred": 100, "two hundred": 200,
}
WORD_NUMBER = re.compile(
    r"\b(" + "|".join(sorted(WORD_NUMBERS, key=len, reverse=True)) + r")\b", re.I
)


def currency() -> str:
    return os.environ.get("SHOP_CURRENCY", "EUR").strip().upper() or "EUR"


def price_scale() -> float:
    try:
        scale = float(os.environ.get("SHOP_PRICE_SCALE", "1000"))
    except ValueError:
        scale = 1000.0
    return scale if scale > 0 else 1000.0


def format_amount(amount: float, code: Optional[str] = None) -> str:
    """An amount already in the shop's currency, as a shopper reads it: €33.90, 33.90 kr."""
    code = code or currency()
    number = f"{amount:,.0f}" if code == "JPY" else f"{amount:,.2f}"
    if code in SYMBOLS:
        return f"{SYMBOLS[code]}{number}"
    return f"{number} {SUFFIX_CURRENCIES.get(code, code)}"


def display_price(catalog_price: Optional[float]) -> str:
    """A catalog price (H&M's scale) in the shop's currency: 0.0339 -> '€33.90'."""
    if catalog_price is None:
        return ""
    try:
        value = float(catalog_price)
    except (TypeError, ValueError):
        return ""
    return format_amount(value * price_scale())


def to_catalog_price(amount: float) -> float:
    """An amount in the shop's currency back to the catalog's scale: 40 -> 0.04."""
    return round(amount / price_scale(), 6)


def parse_budget(text: Optional[str]) -> Optional[float]:
    """The most the shopper wants to pay, in the shop's currency, or None for no limit.

    "under 40 euros" -> 40, "£30" -> 30, "50 bucks" -> 50, "between 20 and 40" -> 40,
    "1k" -> 1000, "cheap" -> CHEAP_AMOUNT, "no limit" -> None, "" -> None.
    """
    if not text:
        return None
    text = re.sub(r"(\d),(\d{3})\b", r"\1\2", str(text)[:500])  # 1,000 -> 1000
    between = BETWEEN.search(text)
    if between:
        return max(_number(between.group(1), between.group(2)), _number(between.group(3), between.group(4)))
    match = NUMBER.search(text)
    if match:
        value = _number(match.group(1), match.group(2))
        return value if value > 0 else None
    word = WORD_NUMBER.search(text)
    if word:
        return float(WORD_NUMBERS[word.group(1).lower()])
    if CHEAP_WORDS.search(text):
        return CHEAP_AMOUNT
    return None


def budget_to_max_price(text: Optional[str]) -> Optional[float]:
    """A stated budget straight to a `max_price` filter on the catalog's scale, or None."""
    amount = parse_budget(text)
    return None if amount is None else to_catalog_price(amount)


def cheaper_than(prices: list) -> Optional[float]:
    """A max_price (catalog scale) below what was just shown: three quarters of their median,
    down to a whole amount of the shop's currency, as a salesperson would say it ("under €38",
    not "under €38.10")."""
    values = sorted(float(p) for p in prices if isinstance(p, (int, float)) and p > 0)
    if not values:
        return None
    amount = values[len(values) // 2] * CHEAPER_FACTOR * price_scale()
    return to_catalog_price(math.floor(amount) if amount >= 1 else amount)


def _number(digits: str, thousands: Optional[str]) -> float:
    value = float(digits.replace(",", "."))
    return value * 1000 if thousands else value
