"""Shared fixtures: clean caches for every test, a same-origin checker for pages, and a real
browser for end-to-end tests.

Tests run in random order (pytest-randomly): every test starts and ends with every configured
cache empty, so rate-limit counters, cached pages or flags left by one test never reach another.

Browser tests drive Debian's Chromium (``apt-get install -y chromium``) through Playwright; its own
browser download is not used. When Chromium is missing the e2e tests fail with a message that says
how to install it (they are never silently skipped in CI).
"""

import os
import shutil
from urllib.parse import urlsplit

import pytest

# The shared helpers assert too: let pytest explain their failures as it does in test modules.
pytest.register_assert_rewrite("tests.support")

# Never skip: a test that would be skipped (missing shared data, a missing tool) fails instead.
pytest_plugins = ["tests.support.no_skips"]

from tests.support.html import foreign_urls  # noqa: E402

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"

# Playwright runs its own event loop; Django's live server and ORM run in sync code beside it.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(autouse=True)
def _default_language_in_the_test_thread():
    """A request under /es/ leaves Spanish active in the test's thread (LocaleMiddleware
    activates and never deactivates), so a later test's reverse() would make /es/ URLs: every
    test starts and ends in the site's default language, whatever order they run in."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _empty_caches():
    """Every configured cache, and the kept program snapshots, are empty when a test starts and
    after it ends (random order)."""
    _clear_every_cache()
    yield
    _clear_every_cache()


def _clear_every_cache():
    from django.conf import settings
    from django.core.cache import caches

    from programs import demo, snapshot

    for alias in settings.CACHES:
        caches[alias].clear()
    snapshot.clear()  # the program snapshots each process keeps (cards, API items, pages)
    demo.forget_demo_flag()  # and its copy of "the directory holds demo rows"


@pytest.fixture
def assert_same_origin():
    def check(response):
        html = response.content.decode()
        assert foreign_urls(html) == [], "page references another host"

    return check


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM):
        pytest.fail(
            f"Chromium not found at {CHROMIUM}: install it with "
            "'apt-get update && apt-get install -y chromium' (browser tests are never skipped)."
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-dev-shm-usage",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    """A fresh browser tab whose requests to any host but the live server fail the test."""
    context = browser.new_context(base_url=live_server.url)
    page = context.new_page()
    page.set_default_timeout(15000)
    foreign = []
    origin = urlsplit(live_server.url).netloc

    def watch(request):
        host = urlsplit(request.url).netloc
        if request.url.startswith(("http://", "https://")) and host != origin:
            foreign.append(request.url)

    page.on("request", watch)
    yield page
    context.close()
    assert foreign == [], f"the page contacted another host: {foreign}"
