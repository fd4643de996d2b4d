"""Issue 10, a shared device is safe: "Leave this site" on every patient page clears the run and
goes to a neutral site; "Finish and clear" ends the run; anonymous sessions end with the browser;
/assessment/ never shows a previous person's result link. Also the favicon (no 404)."""

from __future__ import annotations

import pytest
from django.contrib.sessions.models import Session

from assessment.models import Submission
from assessment.views import QUICK_EXIT_DEFAULT
from tests.support.wizard_walk import START_URL, step_url, walk

pytestmark = pytest.mark.django_db

PATIENT_PAGES = ["/", "/crisis/", START_URL + "step/now/", "/programs/"]


@pytest.mark.parametrize("path", PATIENT_PAGES)
def test_every_patient_page_has_the_quick_exit_first_after_the_skip_link(client, path):
    html = client.get(path, follow=True).content.decode()
    link = '<a class="quick-exit" href="/assessment/leave/"'
    assert link in html
    assert html.index('class="skip-link"') < html.index(link) < html.index('class="site-header"')
    assert "/static/js/site.js" in html


def test_leave_clears_the_run_and_goes_to_a_neutral_site(client):
    walk(client, {"phq9_1": 2}, until="mood")
    old_key = client.session.session_key
    response = client.get("/assessment/leave/")
    assert response.status_code == 302 and response["Location"] == QUICK_EXIT_DEFAULT
    assert not Session.objects.filter(session_key=old_key).exists()
    # Back in this browser: a fresh start, nothing of the run.
    assert client.get(step_url("mood"))["Location"] == step_url("now")


def test_the_quick_exit_beacon_clears_the_run_without_a_csrf_token(client):
    from django.test import Client

    walk(client, until="mood")
    old_key = client.session.session_key
    strict = Client(enforce_csrf_checks=True)
    strict.cookies = client.cookies
    response = strict.post("/assessment/leave/")
    assert response.status_code == 204
    assert not Session.objects.filter(session_key=old_key).exists()


def test_finish_and_clear_ends_the_run_in_this_browser(client):
    result = walk(client)["Location"]
    assert 'action="/assessment/finish/"' in client.get(result).content.decode()
    response = client.post("/assessment/finish/")
    assert response.status_code == 302 and response["Location"] == "/"
    assert "This browser no longer holds" in client.get("/").content.decode()
    assert client.get(START_URL)["Location"] == step_url("now")
    # The link itself still works for whoever kept it.
    assert client.get(result).status_code == 200
    assert Submission.objects.count() == 1


def test_anonymous_patient_sessions_end_with_the_browser(client):
    walk(client, until="mood")
    assert client.session.get_expire_at_browser_close()
    cookie = client.cookies["sessionid"]
    assert not cookie["expires"] and not cookie["max-age"]


def test_the_start_page_never_shows_the_last_result_link(client):
    walk(client)
    token = Submission.objects.get().token
    html = client.get(START_URL).content.decode()
    assert token not in html
    assert "Start a new self-assessment" in html


def test_the_favicon_is_linked_and_served(client):
    html = client.get("/").content.decode()
    assert '<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">' in html
    response = client.get("/favicon.ico")
    assert response.status_code == 301 and response["Location"] == "/static/favicon.svg"
