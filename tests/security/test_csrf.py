"""CSRF on every form: each POST form carries the token, and a POST without it gets our kind,
styled 403 page (never Django's yellow debug page), while the same POST with the token works."""

import re

import pytest
from django.conf import settings
from django.test import Client

from tests.support.forms import client_data, fill_form, parse_forms, walk_with_client
from tests.support.pages import make_directory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_rate_limits(settings):
    settings.RATE_LIMITS = {}


ADMIN_LOGIN = "/" + settings.ADMIN_URL + "login/"


def pages_with_forms():
    """(path, html) of every public page that has a POST form, the admin login included."""
    make_directory()
    pages = []
    walk_with_client(
        Client(), on_page=lambda path, response: pages.append((path, response.content.decode()))
    )
    pages.append((ADMIN_LOGIN, Client().get(ADMIN_LOGIN).content.decode()))
    return [(p, h) for p, h in pages if any(f.method == "post" for f in parse_forms(h))]


def test_every_post_form_carries_a_csrf_token():
    pages = pages_with_forms()
    assert len(pages) >= 3, "expected the assessment steps, the result page and the admin login"
    missing = []
    for path, html in pages:
        for form in parse_forms(html):
            if form.method == "post" and not form.by_name("csrfmiddlewaretoken"):
                missing.append(f"{path} form action={form.action!r}")
    assert not missing, f"POST forms without a CSRF token: {missing}"


def test_no_form_posts_to_another_origin_or_uses_get_for_personal_data():
    for path, html in pages_with_forms():
        for form in parse_forms(html):
            assert not form.action.startswith(("http:", "https:", "//")), (path, form.action)
            if form.method == "get":
                names = " ".join(form.names).lower()
                assert "phone" not in names and "email" not in names, path


def _forged(path: str, html: str):
    """POST the form's own answers without the token, from a fresh browser (no cookie)."""
    form = next(f for f in parse_forms(html) if f.method == "post")
    data = [(k, v) for k, v in fill_form(form) if k != "csrfmiddlewaretoken"]
    client = Client(enforce_csrf_checks=True)
    return client.post(form.action or path, client_data(data))


def test_a_post_without_the_token_gets_our_kind_403_page():
    checked = 0
    for path, html in pages_with_forms():
        response = _forged(path, html)
        assert response.status_code == 403, f"{path}: forged POST answered {response.status_code}"
        body = response.content.decode()
        assert "CSRF verification failed" not in body, f"{path}: Django's default CSRF page"
        assert "/static/css/site.css" in body, f"{path}: the 403 page is not our styled template"
        assert 'href="tel:988"' in body, f"{path}: the 403 page must keep the crisis line"
        assert "Traceback" not in body
        checked += 1
    assert checked >= 3


def test_the_same_post_with_the_token_is_accepted():
    make_directory()
    client = Client(enforce_csrf_checks=True)
    response = client.get("/assessment/", follow=True)
    path = response.request["PATH_INFO"]
    form = next(f for f in parse_forms(response.content.decode()) if f.method == "post")
    response = client.post(form.action or path, client_data(fill_form(form)))
    # Valid answers with the token: the step is accepted and the person goes on to the next step.
    assert response.status_code == 302, response.status_code
    assert re.fullmatch(r"/assessment/step/[a-z0-9_-]+/", response["Location"]), response[
        "Location"
    ]
    assert response["Location"] != path, "the step was not accepted"
