"""The staff idle clock writes its last-seen stamp only when it is older than a slack (issue 15):
a busy admin page no longer writes the session on every request, and the timeout never runs
later than ``STAFF_IDLE_TIMEOUT_SECONDS`` after the last real action."""

import re
import time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from admissions.middleware import StaffIdleTimeoutMiddleware as Idle

pytestmark = pytest.mark.django_db

QUEUE = "/admin/assessment/submission/"


def stamp_age(client, seconds):
    session = client.session
    session[Idle.SESSION_KEY] = int(time.time()) - seconds
    session.save()


def session_writes(client, path=QUEUE, **headers):
    with CaptureQueriesContext(connection) as context:
        assert client.get(path, **headers).status_code == 200
    return [q["sql"] for q in context.captured_queries if "django_session" in q["sql"]]


def test_the_slack_is_a_minute_and_never_more_than_a_tenth_of_the_timeout(settings):
    assert settings.STAFF_IDLE_STAMP_SLACK_SECONDS == 60
    settings.STAFF_IDLE_TIMEOUT_SECONDS = 15 * 60
    assert Idle.stamp_slack() == 60
    settings.STAFF_IDLE_TIMEOUT_SECONDS = 6  # the browser tests' short timeout
    assert Idle.stamp_slack() == 0
    settings.STAFF_IDLE_TIMEOUT_SECONDS = 300
    assert Idle.stamp_slack() == 30


def test_a_fresh_stamp_is_not_written_again(coordinator_client):
    stamp_age(coordinator_client, 30)  # well within the slack, however slow the machine
    before = coordinator_client.session[Idle.SESSION_KEY]
    writes = session_writes(coordinator_client)
    assert not [sql for sql in writes if sql.lstrip().upper().startswith(("UPDATE", "INSERT"))]
    assert coordinator_client.session[Idle.SESSION_KEY] == before


def test_a_stamp_older_than_the_slack_is_moved_to_now(coordinator_client):
    stamp_age(coordinator_client, 61)
    writes = session_writes(coordinator_client)
    assert any(sql.lstrip().upper().startswith("UPDATE") for sql in writes)
    assert int(time.time()) - coordinator_client.session[Idle.SESSION_KEY] < 5


def test_with_no_slack_every_real_action_moves_the_stamp(coordinator_client, settings):
    settings.STAFF_IDLE_STAMP_SLACK_SECONDS = 0
    stamp_age(coordinator_client, 1)
    before = coordinator_client.session[Idle.SESSION_KEY]
    session_writes(coordinator_client)
    assert coordinator_client.session[Idle.SESSION_KEY] > before


def test_a_passive_check_never_moves_an_old_stamp(coordinator_client):
    stamp_age(coordinator_client, 5 * 60)
    before = coordinator_client.session[Idle.SESSION_KEY]
    session_writes(coordinator_client, "/admin/session-status/", HTTP_X_STAFF_IDLE_CHECK="1")
    assert coordinator_client.session[Idle.SESSION_KEY] == before


def test_the_timeout_counts_from_the_stamp_so_it_is_never_late(coordinator_client, settings):
    """Active 50 s after the stamp was written (not written again), then idle: signed out
    when the timeout has passed since the stamp, before it has passed since the action."""
    settings.STAFF_IDLE_TIMEOUT_SECONDS = 900
    stamp_age(coordinator_client, 900 + 1)
    response = coordinator_client.get(QUEUE)
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_stay_signed_in_always_moves_the_stamp(coordinator_client):
    stamp_age(coordinator_client, 30)  # within the slack
    coordinator_client.post("/admin/keep-alive/", HTTP_X_REQUESTED_WITH="fetch")
    assert int(time.time()) - coordinator_client.session[Idle.SESSION_KEY] < 2


def test_the_warning_counts_from_the_stamp_not_from_the_page(coordinator_client, settings):
    """A page made 50 s after the stamp (which is not written again) tells the idle script that
    850 s are left, so the warning still comes two minutes before the sign-out."""
    settings.STAFF_IDLE_TIMEOUT_SECONDS = 900
    stamp_age(coordinator_client, 50)
    html = coordinator_client.get("/admin/").content.decode()
    left = int(re.search(r'data-timeout="(\d+)"', html).group(1))
    assert 840 <= left <= 850
    assert 'data-warn-before="120"' in html
    stamp_age(coordinator_client, 61)  # rewritten: the full time again
    assert 'data-timeout="900"' in coordinator_client.get("/admin/").content.decode()


def test_public_pages_carry_no_staff_clock(client):
    html = client.get("/").content.decode()
    assert "data-timeout" not in html
