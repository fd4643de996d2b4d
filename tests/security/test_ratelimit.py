"""Rate limits on the assessment submit, the call-back form and the search API: a clear 429 with
Retry-After (a kind page for people, JSON for the API), per client, never a crash."""

import json

import pytest
from django.test import Client, override_settings

from iop_finder.core import ratelimit
from tests.support.forms import client_data, fill_form, main_form, parse_forms, walk_with_client
from tests.support.pages import API_URL, make_directory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def one_window(monkeypatch):
    # Fixed one-minute windows: a test that straddles a minute boundary would start counting
    # again and flake. A day-long window keeps every request of a test in one window. (The
    # counts start at zero: the root conftest empties every cache around each test.)
    monkeypatch.setattr(ratelimit, "WINDOW_SECONDS", 86_400)


def assert_kind_429(response):
    assert response.status_code == 429
    assert response["Retry-After"].isdigit() and int(response["Retry-After"]) > 0
    html = response.content.decode()
    assert "Please wait a moment" in html
    assert 'href="tel:988"' in html, "a person who is refused must still see the crisis line"
    assert "/static/css/site.css" in html
    assert "Traceback" not in html


def _first_step(client):
    response = client.get("/assessment/", follow=True)
    path = response.request["PATH_INFO"]
    form = main_form(response.content.decode())
    assert form is not None, f"no form at {path}"
    return form.action or path, client_data(fill_form(form))


@override_settings(RATE_LIMITS={"assessment_submit": 3, "callback": 2, "api": 4})
def test_assessment_posts_over_the_limit_get_a_kind_429_page():
    make_directory()
    client = Client()
    path, data = _first_step(client)
    # Within the limit each POST is accepted and the person goes on to the next step.
    statuses = [client.post(path, data).status_code for _ in range(3)]
    assert statuses == [302, 302, 302], statuses
    assert_kind_429(client.post(path, data))
    # Another address is not affected: its same answers are accepted.
    other = Client(REMOTE_ADDR="10.9.8.7")
    other_path, other_data = _first_step(other)
    assert other.post(other_path, other_data).status_code == 302
    # Reading a step is never limited: the person can still see their answers.
    assert client.get(path).status_code == 200


def test_call_back_requests_over_the_limit_get_a_kind_429_page():
    make_directory()
    client = Client()
    with override_settings(RATE_LIMITS={}):
        result = walk_with_client(client)
    html = client.get(result).content.decode()
    forms = [f for f in parse_forms(html) if f.method == "post" and "call-back" in f.action]
    assert forms, "the result page has no call-back form"
    action = forms[0].action
    # Invalid (empty) requests still count: a flood of anything is refused.
    with override_settings(RATE_LIMITS={"callback": 2}):
        # Within the limit an empty request is refused kindly: the form again, with its errors.
        statuses = [client.post(action, {}).status_code for _ in range(2)]
        assert statuses == [200, 200], statuses
        assert_kind_429(client.post(action, {}))


@override_settings(RATE_LIMITS={"api": 3})
def test_the_api_over_the_limit_answers_429_json():
    make_directory()
    client = Client()
    for _ in range(3):
        assert client.get(API_URL).status_code == 200
    response = client.get(API_URL)
    assert response.status_code == 429
    assert response["Content-Type"].startswith("application/json")
    assert int(response["Retry-After"]) > 0
    body = json.loads(response.content)
    assert body["error"] == "rate_limited" and body["detail"]


@override_settings(RATE_LIMITS={"api": 3})
def test_the_search_page_itself_is_not_limited_by_the_api_budget():
    make_directory()
    client = Client()
    statuses = [client.get(API_URL).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429], statuses
    assert client.get("/programs/?zip=40202").status_code == 200


@override_settings(RATE_LIMITS={})
def test_limits_can_be_turned_off():
    make_directory()
    client = Client()
    for _ in range(30):
        assert client.get(API_URL).status_code == 200
