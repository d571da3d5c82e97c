"""Prices shown in the shop's currency, and budgets read back to the catalog's scale."""
import pytest

from actions import prices


@pytest.mark.parametrize("catalog_price, shown", [(0.0339, "€33.90"), (0.0081, "€8.10"), (0.1, "€100.00"), (None, "")])
def test_display_price_default_euros(catalog_price, shown):
    assert prices.display_price(catalog_price) == shown


def test_display_price_uses_configured_currency_and_scale(monkeypatch):
    monkeypatch.setenv("SHOP_CURRENCY", "sek")
    monkeypatch.setenv("SHOP_PRICE_SCALE", "10000")
    assert prices.display_price(0.0339) == "339.00 kr"
    monkeypatch.setenv("SHOP_CURRENCY", "GBP")
    assert prices.display_price(0.0339) == "£339.00"


@pytest.mark.parametrize("text, amount", [
    ("under 40 euros", 40), ("£30", 30), ("50 bucks", 50), ("max $50", 50), ("40€", 40),
    ("around 25 quid", 25), ("between 20 and 40", 40), ("1k", 1000), ("1,000", 1000),
    ("up to €45.50", 45.5), ("forty", 40), ("cheap", prices.CHEAP_AMOUNT),
    ("something affordable", prices.CHEAP_AMOUNT), ("budget friendly", prices.CHEAP_AMOUNT),
])
def test_parse_budget(text, amount):
    assert prices.parse_budget(text) == pytest.approx(amount)


@pytest.mark.parametrize("text", ["no limit", "any", "", None, "whatever", "0"])
def test_no_budget(text):
    assert prices.parse_budget(text) is None
    assert prices.budget_to_max_price(text) is None


def test_budget_to_max_price_goes_back_to_catalog_scale(monkeypatch):
    assert prices.budget_to_max_price("under 40 euros") == pytest.approx(0.04)
    assert prices.budget_to_max_price("cheap") == pytest.approx(0.02)
    monkeypatch.setenv("SHOP_PRICE_SCALE", "500")
    assert prices.budget_to_max_price("£30") == pytest.approx(0.06)


def test_cheaper_than_is_below_the_median_shown():
    assert prices.cheaper_than([0.02, 0.04, 0.06]) == pytest.approx(0.03)
    assert prices.cheaper_than([0.0254, 0.0339]) == pytest.approx(0.025)  # €25.43 -> under €25
    assert prices.cheaper_than([0.0009]) == pytest.approx(0.000675)  # under €1: no rounding to nothing
    assert prices.cheaper_than([]) is None


def test_huge_input_is_harmless():
    assert prices.parse_budget("a" * 10_000) is None
    assert prices.parse_budget("x" * 10_000 + " under 40") is None  # only the first 500 chars are read
