"""A database outage while the session is read or saved gives the kind 503 page, never a 500.

The session is read in middleware (the staff idle check asks who the user is) and saved after
the view. Each case below really reaches the broken method: the test counts its calls.
"""

from unittest import mock

import pytest
from django.contrib.auth import get_user_model
from django.contrib.sessions.backends.db import SessionStore
from django.db import OperationalError
from django.test import Client

pytestmark = pytest.mark.django_db

PAGES = ["/", "/assessment/", "/programs/?zip=40202", "/crisis/"]


def a_person_with_an_old_session_cookie() -> Client:
    """Anyone: the cookie names a session, so the first look at ``request.session`` loads it."""
    client = Client(raise_request_exception=False)
    client.cookies["sessionid"] = "x" * 32
    return client


def a_signed_in_coordinator() -> Client:
    """Staff whose last action was two minutes ago: the idle check reads the session and, the
    stamp being older than its slack (60 s), writes the time of this request into it, so the
    session is saved after the page."""
    import time

    from admissions.middleware import StaffIdleTimeoutMiddleware as Idle

    user = get_user_model().objects.create_user(
        "coordinator", "coordinator@example.org", "x" * 16, is_staff=True
    )
    client = Client(raise_request_exception=False)
    client.force_login(user)
    session = client.session
    session[Idle.SESSION_KEY] = int(time.time()) - 120
    session.save()
    return client


# (who, page, broken method): only cases where the request really calls the broken method.
# A person's session is saved only by the assessment (the answers so far); a coordinator's on
# any page when the idle stamp is older than its slack (the idle check).
CASES = (
    [("person", page, "load") for page in PAGES]
    + [("person", "/assessment/", "save")]
    + [("coordinator", page, "load") for page in PAGES]
    + [("coordinator", page, "save") for page in PAGES]
)
WHO = {"person": a_person_with_an_old_session_cookie, "coordinator": a_signed_in_coordinator}


@pytest.mark.parametrize(("who", "path", "broken"), CASES)
def test_a_database_outage_anywhere_in_the_request_is_a_kind_503(who, path, broken):
    client = WHO[who]()
    with mock.patch.object(
        SessionStore, broken, autospec=True, side_effect=OperationalError("connection refused")
    ) as patched:
        response = client.get(path)
    assert patched.call_count >= 1, f"{path}: SessionStore.{broken} was never called"
    html = response.content.decode()
    assert response.status_code == 503, (path, broken, response.status_code, html[:200])
    assert "Traceback" not in html
    assert "short technical problem" in html and 'href="tel:988"' in html


@pytest.mark.parametrize("path", ["/", "/programs/?zip=40202", "/crisis/"])
def test_pages_that_keep_nothing_do_not_save_a_persons_session(path):
    """Why the person's "save" case is only the assessment: these pages write no session, so a
    database that fails on save cannot hurt them (and the page answers normally)."""
    client = a_person_with_an_old_session_cookie()
    with mock.patch.object(
        SessionStore, "save", autospec=True, side_effect=OperationalError("connection refused")
    ) as patched:
        response = client.get(path)
    assert patched.call_count == 0
    assert response.status_code == 200
