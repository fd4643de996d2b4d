"""Shared fixtures: a same-origin checker for pages, and a real browser for end-to-end tests.

Browser tests drive Debian's Chromium (``apt-get install -y chromium``) through Playwright; its own
browser download is not used. When Chromium is missing the e2e tests fail with a message that says
how to install it (they are never silently skipped in CI).
"""

import os
import shutil
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"

# Playwright runs its own event loop; Django's live server and ORM run in sync code beside it.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


class _LinkCollector(HTMLParser):
    ATTRS = {"src", "href", "action", "srcset", "data", "poster", "formaction"}

    def __init__(self):
        super().__init__()
        self.urls = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in self.ATTRS and value:
                self.urls.append((tag, name, value))


def urls_in(html: str) -> list[tuple[str, str, str]]:
    parser = _LinkCollector()
    parser.feed(html)
    return parser.urls


def foreign_urls(html: str) -> list[str]:
    """Every src/href/action on the page that would make the browser contact another host.

    tel:, sms: and mailto: links open the phone's own apps and contact no server.
    """
    found = []
    for _tag, _name, value in urls_in(html):
        parts = urlsplit(value.strip())
        if parts.scheme in ("tel", "sms", "mailto"):
            continue
        if parts.scheme or parts.netloc or value.strip().startswith("//"):
            found.append(value)
    return found


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
