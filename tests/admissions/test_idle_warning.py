"""Staff are warned before the idle sign-out and can stay signed in (WCAG 2.2.1)."""

import time

import pytest

from admissions.middleware import StaffIdleTimeoutMiddleware

pytestmark = pytest.mark.django_db


def test_every_admin_page_carries_the_warning_and_its_script(coordinator_client, settings):
    settings.STAFF_IDLE_TIMEOUT_SECONDS = 900
    html = coordinator_client.get("/admin/").content.decode()
    assert 'id="idle-warning"' in html
    assert 'data-timeout="900"' in html and 'data-warn-before="120"' in html
    assert "Stay signed in" in html
    assert "/static/js/admin-idle.js" in html


def test_the_sign_in_page_has_no_warning(client):
    assert 'id="idle-warning"' not in client.get("/admin/login/").content.decode()


def test_stay_signed_in_answers_204_to_the_script(coordinator_client):
    response = coordinator_client.post(
        "/admin/keep-alive/", {"next": "/admin/"}, HTTP_X_REQUESTED_WITH="fetch"
    )
    assert response.status_code == 204


def test_without_javascript_it_returns_to_the_page_and_never_leaves_the_site(coordinator_client):
    back = coordinator_client.post("/admin/keep-alive/", {"next": "/admin/assessment/submission/"})
    assert back.status_code == 302 and back["Location"] == "/admin/assessment/submission/"
    away = coordinator_client.post("/admin/keep-alive/", {"next": "https://evil.example/"})
    assert away["Location"] == "/admin/"
    assert coordinator_client.get("/admin/keep-alive/").status_code == 405


def test_staying_signed_in_moves_the_idle_clock(coordinator_client, settings):
    settings.STAFF_IDLE_TIMEOUT_SECONDS = 900
    session = coordinator_client.session
    session[StaffIdleTimeoutMiddleware.SESSION_KEY] = int(time.time()) - 800
    session.save()
    coordinator_client.post("/admin/keep-alive/", HTTP_X_REQUESTED_WITH="fetch")
    last_seen = coordinator_client.session[StaffIdleTimeoutMiddleware.SESSION_KEY]
    assert int(time.time()) - last_seen < 5


def test_after_the_timeout_staying_signed_in_is_too_late(coordinator_client, settings):
    settings.STAFF_IDLE_TIMEOUT_SECONDS = 900
    session = coordinator_client.session
    session[StaffIdleTimeoutMiddleware.SESSION_KEY] = int(time.time()) - 1000
    session.save()
    response = coordinator_client.post("/admin/keep-alive/", HTTP_X_REQUESTED_WITH="fetch")
    assert response.status_code == 302 and "/login/" in response["Location"]
