"""Regression tests for the attack review (issue 11): each case failed on the code before it.

Items covered here: staff-only 500s (NUL bytes, huge drill-down years), lockout behind the
reverse proxy, reads of submission data without an audit row, idle sign-out with two tabs, the
absolute staff session lifetime and re-authentication before replacing the authenticator.
The urgent-notice outbox and the gunicorn access log have their own modules in tests/core.
"""

import pytest
from django.core.cache import cache

from admissions import roles
from tests.admissions.factories import PASSWORD, SubmissionFactory, staff_user, with_callback

pytestmark = pytest.mark.django_db

LOGIN = "/admin/login/?next=/admin/"


@pytest.fixture(autouse=True)
def _fast_and_clean(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def root_client(client):
    client.force_login(staff_user("root", superuser=True))
    return client


# --- item 8: odd query strings in the admin give 400, never 500 ---------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "/admin/assessment/submission/?insurance=%00",
        "/admin/assessment/submission/?level__exact=IOP%00",
        "/admin/admissions/auditevent/?action__exact=%00viewed",
        "/admin/admissions/auditevent/?actor_username__exact=%00",
        "/admin/programs/program/?state=K%00Y",
        "/admin/assessment/submission/?q=%00",
        "/admin/assessment/submission/?%00=1",
    ],
)
def test_a_nul_byte_in_an_admin_filter_is_a_400(root_client, url):
    response = root_client.get(url)
    assert response.status_code == 400
    assert "Something was wrong with that request" in response.content.decode()


@pytest.mark.parametrize(
    "query",
    [
        "created_at__year=9999",
        "created_at__year=9999&created_at__month=12",
        "created_at__year=9999&created_at__month=12&created_at__day=31",
        "created_at__year=99999999999999999999",
        "created_at__year=0",
    ],
)
def test_a_huge_year_in_the_date_drill_down_is_a_400(root_client, query):
    assert root_client.get(f"/admin/assessment/submission/?{query}").status_code == 400
    audit_query = query.replace("created_at", "at")
    assert root_client.get(f"/admin/admissions/auditevent/?{audit_query}").status_code == 400


def test_an_ordinary_drill_down_year_still_works(root_client):
    SubmissionFactory()
    response = root_client.get("/admin/assessment/submission/?created_at__year=2026")
    assert response.status_code == 200


# --- item 5: lockout behind the reverse proxy ----------------------------------------------------


def test_behind_the_proxy_a_stranger_cannot_lock_a_colleague_out(client, settings):
    """All requests reach the app from the proxy (10.0.0.1); the proxy appends the real client
    address to X-Forwarded-For. Five wrong passwords from one client lock that client only."""
    settings.RATE_LIMIT_TRUSTED_PROXIES = 1
    staff_user("casey", roles.ADMISSIONS)
    attacker = {"REMOTE_ADDR": "10.0.0.1", "HTTP_X_FORWARDED_FOR": "203.0.113.9"}
    for _attempt in range(5):
        client.post(LOGIN, {"username": "casey", "password": "wrong"}, **attacker)
    locked = client.post(LOGIN, {"username": "casey", "password": PASSWORD}, **attacker)
    assert locked.status_code == 429

    casey = {"REMOTE_ADDR": "10.0.0.1", "HTTP_X_FORWARDED_FOR": "198.51.100.7"}
    client.cookies.clear()
    response = client.post(LOGIN, {"username": "casey", "password": PASSWORD}, **casey)
    assert response.status_code == 302


def test_a_forged_forwarded_for_entry_does_not_escape_the_lockout(client, settings):
    """The client can prepend anything to X-Forwarded-For; only the proxy's own entry counts."""
    settings.RATE_LIMIT_TRUSTED_PROXIES = 1
    staff_user("casey", roles.ADMISSIONS)
    for attempt in range(6):
        forged = f"192.0.2.{attempt}, 203.0.113.9"
        response = client.post(
            LOGIN,
            {"username": "casey", "password": "wrong"},
            REMOTE_ADDR="10.0.0.1",
            HTTP_X_FORWARDED_FOR=forged,
        )
    assert response.status_code == 429


# --- item 1: every read of a submission is audited; methods the admin does not need refused ------


def viewed_rows(submission):
    from admissions.models import AuditEvent

    return AuditEvent.objects.filter(action="viewed", submission_id=submission.pk)


@pytest.fixture
def casey_client(client):
    client.force_login(staff_user("casey", roles.ADMISSIONS))
    return client


def test_options_on_the_submission_page_is_refused_and_shows_nothing(casey_client):
    submission = with_callback()
    url = f"/admin/assessment/submission/{submission.pk}/change/"
    for method in ("options", "put", "patch", "delete", "head"):
        response = getattr(casey_client, method)(url)
        assert response.status_code == 405, method
        assert b"Jordan" not in response.content and b"555-0142" not in response.content
    assert response["Allow"] == "GET, POST"
    assert not viewed_rows(submission).exists()


def test_an_invalid_post_that_shows_the_page_again_is_audited(casey_client):
    submission = with_callback()
    url = f"/admin/assessment/submission/{submission.pk}/change/"
    response = casey_client.post(url, {"status": "no-such-status", "next_follow_up": "x"})
    assert response.status_code == 200
    assert "Jordan Avery" in response.content.decode()
    event = viewed_rows(submission).get()
    assert event.actor_username == "casey"


def test_the_view_on_site_shortcut_to_the_result_page_is_audited(casey_client):
    from django.contrib.contenttypes.models import ContentType

    from assessment.models import Submission

    submission = SubmissionFactory()
    content_type = ContentType.objects.get_for_model(Submission)
    response = casey_client.get(f"/admin/r/{content_type.pk}/{submission.pk}/")
    assert response.status_code == 302
    assert response["Location"].endswith(f"/assessment/r/{submission.token}/")
    event = viewed_rows(submission).get()
    assert event.actor_username == "casey" and event.changes == {"page": "result"}
