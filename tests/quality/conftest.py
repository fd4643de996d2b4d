"""Fixtures for the accessibility, HTML, keyboard and reflow checks.

The pages themselves and the browser helpers live in ``tests/support`` (``pages``: every public
page by the test client; ``browser``: axe-core and answering like a person). Pages that only a
POST or an outage can produce (429, 503, the CSRF 403, 500) are rendered by the real code path on
the server side and served to the browser at a live-server URL with ``page.route``, so their CSS
and layout are real.
"""

from __future__ import annotations

import re

import pytest

from tests.support.pages import error_pages
from tests.support.spanish import spanish_browser_page, spanish_site


@pytest.fixture(autouse=True)
def _no_rate_limits(settings):
    """Walking the assessment many times from one address would hit the per-minute limits."""
    settings.RATE_LIMITS = {}


@pytest.fixture
def page_es(browser, live_server):
    """A browser tab set to Spanish (Accept-Language es-US)."""
    page = spanish_browser_page(browser, live_server.url)
    yield page
    page.context.close()


@pytest.fixture
def served_errors(page, live_server):
    """Serve the error pages at /__error/<name>/ on the live server's origin."""
    return _serve(page, error_pages())


@pytest.fixture
def served_errors_es(page_es, live_server, monkeypatch):
    """The same error pages as a Spanish-speaking person gets them."""
    with spanish_site(monkeypatch):
        pages = error_pages()
    return _serve(page_es, pages)


def _serve(page, pages):
    urls = {}
    for name, (status, html) in pages.items():
        slug = re.sub(r"[^a-z0-9]+", "-", name.lower())
        url = f"/__error/{slug}/"

        def fulfil(route, _request=None, *, status=status, html=html):
            route.fulfill(status=status, body=html, content_type="text/html; charset=utf-8")

        page.route(f"**{url}", fulfil)
        urls[name] = url
    return urls
