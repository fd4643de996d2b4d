"""The public shell in a real browser: home page, crisis link, keyboard skip link."""

import pytest

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_home_to_crisis_page_in_a_real_browser(page):
    page.goto("/")
    assert page.locator("h1").inner_text() == "Find the mental health care that fits you"
    assert page.locator(".level-card").count() == 5
    assert page.get_by_role("link", name="In crisis? Call or text 988").get_attribute("href") == (
        "tel:988"
    )
    page.locator(".site-header").get_by_role("link", name="Crisis help").click()
    page.wait_for_url("**/crisis/")
    assert page.locator('a[href="tel:988"]').first.is_visible()


def test_skip_link_is_the_first_tab_stop_and_moves_focus_to_main(page):
    page.goto("/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent.trim()")
    assert focused == "Skip to main content"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
