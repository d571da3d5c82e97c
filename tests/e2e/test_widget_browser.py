"""The shop page and its chat widget in a real browser (Playwright driving Debian's Chromium)
against the real stack: a shopper asks for a dress, sees cards whose photos loaded, asks for
more like one, reloads and keeps the conversation, adds to the bag and is offered what goes with it.
Screenshots land in var/test-artifacts/."""
from __future__ import annotations

import csv
import re

import pytest

REPLY_TIMEOUT_MS = 60_000

pytestmark = pytest.mark.slow


def carousels(page):
    return page.locator(".fc-carousel")


def card_ids(carousel) -> list[str]:
    return carousel.locator(".fc-card").evaluate_all("cards => cards.map(c => c.dataset.articleId)")


def loaded_photos(carousel) -> int:
    return carousel.locator("img.fc-card-photo").evaluate_all(
        "imgs => imgs.filter(i => i.complete && i.naturalWidth > 0).length")


def wait_for_new_carousel(page, before: int, timeout: int = REPLY_TIMEOUT_MS):
    page.wait_for_function(
        "n => document.querySelectorAll('.fc-carousel').length > n", arg=before, timeout=timeout)
    newest = carousels(page).last
    newest.locator("img.fc-card-photo").first.wait_for()
    page.wait_for_function(
        "el => [...el.querySelectorAll('img.fc-card-photo')].every(i => i.complete)",
        arg=newest.element_handle(), timeout=timeout)
    return newest


def wait_until_quiet(page):
    page.wait_for_selector(".fc-typing", state="hidden", timeout=REPLY_TIMEOUT_MS)


def say(page, text: str) -> None:
    page.get_by_label("Your message").fill(text)
    page.get_by_label("Your message").press("Enter")


def open_widget(page, url: str) -> None:
    page.goto(url)
    page.get_by_role("button", name=re.compile("Chat with our")).click()
    page.get_by_role("dialog").wait_for()
    wait_until_quiet(page)


def ask_for_dresses(page):
    before = carousels(page).count()
    say(page, "I'm looking for a dress")
    try:
        return wait_for_new_carousel(page, before, timeout=20_000)
    except Exception:  # the bot asked one more question first (budget, occasion): answer it
        wait_until_quiet(page)
        say(page, "no budget, anything is fine")
        return wait_for_new_carousel(page, before)


def test_landing_greets_a_newcomer_with_what_sells_now(stack, page):
    page.goto(stack["web"] + "/")
    assert page.get_by_role("heading", level=1).inner_text() == "Selling now"
    tiles = page.locator(".grid .tile img")
    assert tiles.count() >= 6
    page.wait_for_function("[...document.querySelectorAll('.grid img')].every(i => i.complete && i.naturalWidth > 0)")


def tile_links(page) -> list[str]:
    return page.locator(".grid .tile a").evaluate_all("links => links.map(a => a.getAttribute('href'))")


def test_a_signed_in_customer_sees_their_own_picks(stack, page):
    customer = next(csv.DictReader(open(stack["var"] / "src" / "customers.csv")))["customer_id"]
    page.goto(stack["web"] + "/")
    selling_now = tile_links(page)
    page.get_by_label("Customer id").fill(customer)
    page.get_by_role("button", name="Sign in").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Picked for you"
    assert len(tile_links(page)) >= 6 and tile_links(page) != selling_now
    assert page.locator(f"script[data-customer-id='{customer}']").count() == 1


def test_shopper_finds_a_dress_asks_for_more_reloads_and_completes_the_look(stack, page, artifacts):
    open_widget(page, stack["web"] + "/")
    cards = ask_for_dresses(page)
    dresses_at = carousels(page).count() - 1
    first_ids = card_ids(cards)
    assert len(first_ids) >= 3
    assert loaded_photos(cards) >= 3, "card photos did not load"
    wait_until_quiet(page)
    page.get_by_role("dialog").screenshot(path=str(artifacts / "widget-cards.png"))

    before = carousels(page).count()
    cards.locator(".fc-card").first.get_by_role("button", name=re.compile("^More like this")).click()
    more = wait_for_new_carousel(page, before)
    assert set(card_ids(more)).isdisjoint(first_ids), "'More like this' repeated cards"

    wait_until_quiet(page)
    messages_before_reload = page.locator(".fc-log > *").count()
    page.reload()
    page.get_by_role("dialog").wait_for()
    assert page.locator(".fc-log > *").count() == messages_before_reload
    assert card_ids(carousels(page).nth(dresses_at)) == first_ids

    bag_before = int(page.locator("#bag-count").inner_text())
    before = carousels(page).count()
    carousels(page).last.locator(".fc-card").first.get_by_role("button", name=re.compile("^Add to bag")).click()
    accessories = wait_for_new_carousel(page, before)
    assert loaded_photos(accessories) >= 1
    assert int(page.locator("#bag-count").inner_text()) == bag_before + 1
    wait_until_quiet(page)
    page.get_by_role("dialog").screenshot(path=str(artifacts / "widget-complete-the-look.png"))


def test_add_to_bag_on_a_product_page_tells_the_stylist(stack, page):
    page.goto(stack["web"] + "/")
    page.locator(".grid .tile a").first.click()
    page.get_by_role("button", name="Add to bag").click()
    page.get_by_role("dialog").wait_for()
    wait_for_new_carousel(page, 0)
    assert page.locator(".fc-user").last.inner_text().startswith("I've added")


def test_shopper_text_is_shown_as_text_never_html(stack, page):
    open_widget(page, stack["web"] + "/")
    page.evaluate("window.__xss = false")
    text = "<img src=x onerror=\"window.__xss = true\"><b>bold</b>"
    say(page, text)
    wait_until_quiet(page)
    bubble = page.locator(".fc-user").last
    assert bubble.inner_text() == text
    assert bubble.locator("img, b").count() == 0
    assert page.evaluate("window.__xss") is False


def test_keyboard_only_and_phone_sized(stack, browser, artifacts):
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    page = context.new_page()
    try:
        page.goto(stack["web"] + "/")
        page.locator(".fc-launcher").focus()
        page.keyboard.press("Enter")
        page.get_by_role("dialog").wait_for()
        assert page.evaluate("document.activeElement.id") == "fc-input"
        wait_until_quiet(page)
        box = page.get_by_role("dialog").bounding_box()
        assert box["width"] <= 390 and box["x"] >= 0, box
        before = carousels(page).count()
        page.keyboard.type("show me what's trending")
        page.keyboard.press("Enter")
        wait_for_new_carousel(page, before)
        wait_until_quiet(page)
        page.screenshot(path=str(artifacts / "widget-phone.png"))
        page.keyboard.press("Escape")
        assert page.get_by_role("dialog").is_hidden()
        assert page.evaluate("document.activeElement.className") == "fc-launcher"
    finally:
        context.close()
