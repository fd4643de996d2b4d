"""Regression tests for the attack review (issue 11): each case failed on the code before it.

Items covered here: staff-only 500s (NUL bytes, huge drill-down years), lockout behind the
reverse proxy, reads of submission data without an audit row, idle sign-out with two tabs, the
absolute staff session lifetime and re-authentication before replacing the authenticator.
The urgent notice (item 2) and the gunicorn log (item 4) have their own modules here:
test_urgent_notice.py and test_gunicorn_log.py; the two-tab browser case is test_idle_two_tabs.py.
"""

import pytest

from admissions import roles
from tests.admissions.factories import PASSWORD, SubmissionFactory, staff_user, with_callback

pytestmark = pytest.mark.django_db

LOGIN = "/admin/login/?next=/admin/"


@pytest.fixture(autouse=True)
def _fast_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


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


# --- item 3: idle sign-out with two tabs, absolute lifetime, password to replace the TOTP app ----


def set_clock(client, *, idle=0, signed_in_ago=0):
    import time

    from admissions.middleware import StaffIdleTimeoutMiddleware as Idle

    now = int(time.time())
    session = client.session
    session[Idle.SESSION_KEY] = now - idle
    session[Idle.STARTED_KEY] = now - (signed_in_ago or idle)
    session.save()


def status(client):
    return client.get("/admin/session-status/", HTTP_X_STAFF_IDLE_CHECK="1")


def test_a_second_tab_checking_the_session_does_not_keep_it_alive(casey_client, settings):
    """Two tabs open, nobody at the desk: each tab asks at its own deadline whether the session
    is still alive. Asking never counts as activity, so the session ends on time."""
    settings.STAFF_IDLE_TIMEOUT_SECONDS = 15 * 60
    set_clock(casey_client, idle=10 * 60)
    first = status(casey_client)  # tab A's deadline, 10 minutes after the last real action
    assert first.status_code == 200
    assert first.json()["signed_in"] is True
    assert 4 * 60 <= first.json()["seconds_left"] <= 5 * 60
    set_clock(casey_client, idle=16 * 60, signed_in_ago=20 * 60)  # the clock was not moved
    second = status(casey_client)  # tab B's deadline
    assert second.json() == {"signed_in": False, "seconds_left": 0}
    response = casey_client.get("/admin/")
    assert response.status_code == 302 and response["Location"].startswith("/admin/login/")


def test_the_idle_script_asks_passively_and_never_reloads_a_live_session():
    from pathlib import Path

    script = (Path(__file__).resolve().parents[2] / "static/js/admin-idle.js").read_text()
    assert '"X-Staff-Idle-Check": "1"' in script
    assert "data-status-url" in script
    assert "setTimeout(function () { window.location.reload(); }" not in script


def test_a_real_action_still_extends_the_session(casey_client):
    set_clock(casey_client, idle=10 * 60)
    assert casey_client.get("/admin/").status_code == 200
    assert status(casey_client).json()["seconds_left"] > 14 * 60


def test_a_staff_session_ends_12_hours_after_sign_in_however_active(casey_client, settings):
    assert settings.STAFF_SESSION_MAX_AGE_SECONDS == 12 * 60 * 60
    set_clock(casey_client, idle=60, signed_in_ago=12 * 60 * 60 + 60)
    response = casey_client.get("/admin/assessment/submission/")
    assert response.status_code == 302 and response["Location"].startswith("/admin/login/")
    login = casey_client.get(response["Location"]).content.decode()
    assert "staff sessions end 12 hours after signing in" in login
    assert casey_client.get("/admin/").status_code == 302


def test_signing_in_starts_the_absolute_clock(client):
    from admissions.middleware import StaffIdleTimeoutMiddleware as Idle

    staff_user("casey", roles.ADMISSIONS)
    assert client.post(LOGIN, {"username": "casey", "password": PASSWORD}).status_code == 302
    assert Idle.STARTED_KEY in client.session and Idle.SESSION_KEY in client.session


def test_replacing_the_authenticator_needs_the_password_again(client):
    from django_otp.oath import totp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    casey = staff_user("casey", roles.ADMISSIONS)
    client.force_login(casey)
    old = TOTPDevice.objects.create(user=casey, name="Old phone", confirmed=True)
    client.get("/admin/two-factor/")
    pending = TOTPDevice.objects.get(user=casey, confirmed=False)

    def code():
        pending.refresh_from_db()
        pending.throttle_reset()
        value = totp(pending.bin_key, step=pending.step, t0=pending.t0, digits=pending.digits)
        return f"{value:06d}"

    page = client.get("/admin/two-factor/").content.decode()
    assert 'name="password"' in page and 'autocomplete="current-password"' in page
    without = client.post("/admin/two-factor/", {"otp_token": code()})
    wrong = client.post("/admin/two-factor/", {"otp_token": code(), "password": "not it"})
    assert without.status_code == 200 and wrong.status_code == 200
    assert "That is not your password." in wrong.content.decode()
    assert TOTPDevice.objects.filter(pk=old.pk, confirmed=True).exists()
    right = client.post("/admin/two-factor/", {"otp_token": code(), "password": PASSWORD})
    assert right.status_code == 302
    assert list(TOTPDevice.objects.filter(user=casey).values_list("pk", flat=True)) == [pending.pk]


def test_a_first_authenticator_needs_no_password(client):
    casey = staff_user("casey", roles.ADMISSIONS)
    client.force_login(casey)
    assert 'name="password"' not in client.get("/admin/two-factor/").content.decode()
