"""Security headers on every KIND of response, and no inline script/style/handlers in any page.

Kinds: an HTML page, a form page (an assessment step), the JSON API, a 404, the 503 health
check, the 503 outage page, the 429 pages, the admin login and a static file.
"""

import re
import subprocess
import sys
from html.parser import HTMLParser
from unittest import mock

import pytest
from django.conf import settings
from django.db import OperationalError
from django.test import Client

from iop_finder.core.middleware import CONTENT_SECURITY_POLICY
from tests.support.pages import (
    API_URL,
    SEARCH_URL,
    all_public_pages,
    error_pages,
    make_directory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_rate_limits(settings):
    settings.RATE_LIMITS = {}


ADMIN_LOGIN = "/" + settings.ADMIN_URL + "login/"


def directives(policy: str) -> dict[str, list[str]]:
    found = {}
    for part in policy.split(";"):
        words = part.split()
        if words:
            found[words[0]] = words[1:]
    return found


def _form_page(client):
    response = client.get("/assessment/", follow=True)
    assert response.status_code == 200
    return response


def _healthz_down(client):
    with mock.patch(
        "django.db.backends.base.base.BaseDatabaseWrapper.cursor",
        side_effect=OperationalError("connection refused"),
    ):
        return client.get("/healthz")


def _api_429(client):
    from iop_finder.core import ratelimit

    with (
        mock.patch.dict(settings.RATE_LIMITS, {"api": 1}),
        mock.patch.object(ratelimit, "WINDOW_SECONDS", 86_400),  # no minute boundary mid-test
    ):
        from django.core.cache import cache

        cache.clear()
        client.get(API_URL)
        response = client.get(API_URL)
        cache.clear()
    assert response.status_code == 429
    return response


KINDS = {
    "html page": lambda c: c.get("/"),
    "form page": _form_page,
    "search page": lambda c: c.get(SEARCH_URL),
    "json api": lambda c: c.get(API_URL),
    "json api 429": _api_429,
    "404": lambda c: c.get("/no-such-page/"),
    "503 health": _healthz_down,
    "admin login": lambda c: c.get(ADMIN_LOGIN),
    "static file": lambda c: c.get("/static/css/site.css"),
}


@pytest.fixture
def directory(db):
    make_directory()


@pytest.mark.parametrize("kind", KINDS)
def test_every_kind_of_response_carries_the_security_headers(client, directory, kind):
    response = KINDS[kind](client)
    assert response.status_code < 500 or kind == "503 health", response.status_code
    headers = response.headers
    missing = [
        name
        for name in (
            "Content-Security-Policy",
            "X-Content-Type-Options",
            "Referrer-Policy",
            "Permissions-Policy",
        )
        if name not in headers
    ]
    assert not missing, f"{kind} ({response.status_code}) lacks {missing}"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"
    policy = directives(headers["Content-Security-Policy"])
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["script-src"] == ["'self'"]
    assert "'unsafe-inline'" not in headers["Content-Security-Policy"]
    assert "'unsafe-eval'" not in headers["Content-Security-Policy"]
    for feature in ("camera", "microphone", "geolocation", "payment"):
        assert f"{feature}=()" in headers["Permissions-Policy"]
    if kind != "static file":  # framing a stylesheet is harmless; CSP frame-ancestors covers it
        assert headers.get("X-Frame-Options") == "DENY", f"{kind} lacks X-Frame-Options: DENY"


def test_the_policy_allows_nothing_but_our_own_origin():
    policy = directives(CONTENT_SECURITY_POLICY)
    assert policy["default-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"]
    assert policy["form-action"] == ["'self'"]
    for values in policy.values():
        for value in values:
            assert value in ("'self'", "'none'", "data:"), f"unexpected source {value}"


@pytest.mark.parametrize(
    "name", ["429", "503", "500", "403 CSRF"], ids=["429", "503", "500", "403-csrf"]
)
def test_error_pages_rendered_by_the_real_code_are_kind(db, name):
    status, html = error_pages()[name]
    assert status == int(name.split()[0])
    assert "Traceback" not in html
    assert 'href="tel:988"' in html, f"the {name} page must show the crisis line"
    assert "/static/css/site.css" in html, f"the {name} page is not styled"


# --------------------------------------------------------------------------- inline code scan


class InlineCodeFinder(HTMLParser):
    def __init__(self):
        super().__init__()
        self.problems = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        names = {name.lower(): value for name, value in attrs}
        if tag == "script" and not names.get("src") and names.get("type") != "application/json":
            self.problems.append(f"inline <script> at line {self.getpos()[0]}")
        if "style" in names:
            self.problems.append(f'style="" on <{tag}> at line {self.getpos()[0]}')
        for name in names:
            if name.startswith("on"):
                self.problems.append(f"{name}= handler on <{tag}> at line {self.getpos()[0]}")
        for name in ("href", "src", "action", "formaction"):
            if (names.get(name) or "").strip().lower().startswith("javascript:"):
                self.problems.append(f"javascript: URL on <{tag}> at line {self.getpos()[0]}")
        if tag == "style":
            self.problems.append(f"inline <style> at line {self.getpos()[0]}")


def inline_code(html: str) -> list[str]:
    finder = InlineCodeFinder()
    finder.feed(html)
    return finder.problems


def test_no_page_has_inline_script_style_or_event_handlers(db):
    pages = all_public_pages()
    assert len(pages) >= 10
    found = {path: inline_code(html) for path, html in pages.items()}
    found = {path: problems for path, problems in found.items() if problems}
    assert not found, f"inline code the CSP would block: {found}"


def test_inline_code_finder_catches_what_it_should():
    html = '<p style="x" onclick="y"><script>alert(1)</script><a href="javascript:x">'
    assert len(inline_code(html)) == 4


# --------------------------------------------------------------------------- admin path


def test_admin_lives_at_the_configured_path():
    script = (
        "import django; django.setup();"
        "from django.urls import resolve, Resolver404\n"
        "assert resolve('/staff-7f3a/login/').app_name == 'admin'\n"
        "try:\n resolve('/admin/login/')\nexcept Resolver404:\n print('ok')\n"
        "else:\n print('admin still at /admin/')\n"
    )
    env = {
        "DJANGO_SETTINGS_MODULE": "iop_finder.settings",
        "DJANGO_SECRET_KEY": "test-only",
        "DJANGO_ADMIN_URL": "staff-7f3a/",
        "PATH": "/usr/bin:/bin",
    }
    result = subprocess.run(
        [sys.executable, "-c", script],
        env=env,
        capture_output=True,
        text=True,
        cwd=str(settings.BASE_DIR),
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip() == "ok", result.stdout


def test_admin_login_page_is_not_linked_from_public_pages(client):
    for path in ("/", "/crisis/"):
        html = client.get(path).content.decode()
        assert not re.search(r'href="/' + re.escape(settings.ADMIN_URL), html)


# --------------------------------------------------------------------------- database outage


def test_a_database_outage_while_saving_an_existing_session_is_a_kind_503(db):
    """Django's database session backend turns ANY database error while updating a session into
    UpdateError, which SessionMiddleware reports as SessionInterrupted: a 400 "Something was wrong
    with the request". Under load, people whose request was in flight when PostgreSQL went away
    got that page (found by ``python -m loadtest.faults``). It must be the kind 503 page."""
    from django.contrib.sessions.models import Session

    from tests.support.forms import client_data, fill_form, main_form

    client = Client(raise_request_exception=False)
    first = client.get("/assessment/", follow=True)  # the session row now exists
    form = main_form(first.content.decode())
    assert form is not None
    with mock.patch.object(Session, "save", side_effect=OperationalError("server closed")):
        response = client.post(
            form.action or first.request["PATH_INFO"], client_data(fill_form(form))
        )
    html = response.content.decode()
    assert response.status_code == 503, (
        f"answered {response.status_code}: "
        + (re.search(r"<title>([^<]*)", html) or [None, html[:80]])[1]
    )
    assert "short technical problem" in html and 'href="tel:988"' in html
