"""WCAG 1.4.10 Reflow: no horizontal scrolling at 320 CSS px wide, nor at 200% zoom (a 1280 px
window zoomed to 200% lays out like a 640 px one), on every public page."""

import pytest

from tests.support.browser import walk_in_browser
from tests.support.pages import SEARCH_URL, make_directory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

WIDTHS = {"320 px": {"width": 320, "height": 640}, "200% zoom": {"width": 640, "height": 400}}
OVERFLOW = """() => {
  const root = document.documentElement;
  const wide = [...document.querySelectorAll('body *')]
    .filter(el => el.getBoundingClientRect().right > root.clientWidth + 1)
    .slice(0, 5)
    .map(el => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
         (el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\\s+/).join('.') : ''));
  return {scroll: root.scrollWidth, client: root.clientWidth, wide};
}"""


def overflow(page) -> str | None:
    found = page.evaluate(OVERFLOW)
    if found["scroll"] > found["client"] + 1:
        return f"scrollWidth {found['scroll']} > {found['client']}; too wide: {found['wide']}"
    return None


@pytest.mark.parametrize("size", WIDTHS)
def test_pages_reflow_without_horizontal_scrolling(page, served_errors, size, transactional_db):
    program = make_directory()
    page.set_viewport_size(WIDTHS[size])
    problems = []
    paths = ["/", "/crisis/", SEARCH_URL, program.get_absolute_url(), "/no-such-page/"]
    paths += list(served_errors.values())
    for path in paths:
        page.goto(path)
        problem = overflow(page)
        if problem:
            problems.append(f"{path}: {problem}")

    def check(path):
        problem = overflow(page)
        if problem:
            problems.append(f"{path}: {problem}")

    walk_in_browser(page, check)
    assert not problems, f"horizontal scrolling at {size}:\n" + "\n".join(problems)
