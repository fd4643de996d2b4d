"""Staff accounts: lockout, idle timeout, password rules, TOTP sign-in and enrolment."""

import re
import time

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from admissions import roles
from admissions.forms import verify_code
from admissions.middleware import StaffIdleTimeoutMiddleware
from tests.admissions.factories import PASSWORD, staff_user

pytestmark = pytest.mark.django_db

LOGIN = "/admin/login/?next=/admin/"


def code_for(device, offset=0):
    value = totp(
        device.bin_key, step=device.step, t0=device.t0 - offset * device.step, digits=device.digits
    )
    return f"{value:0{device.digits}d}"


def sign_in(client, username, password, **extra):
    return client.post(LOGIN, {"username": username, "password": password, **extra})


def signed_in(client):
    return client.get("/admin/").status_code == 200


# --- lockout -------------------------------------------------------------------------------------


def test_five_wrong_passwords_lock_the_account_even_for_the_right_password(client, coordinator):
    for _attempt in range(5):
        response = sign_in(client, "casey", "wrong password")
    response = sign_in(client, "casey", PASSWORD)
    assert response.status_code == 429
    html = response.content.decode()
    assert "Too many failed sign-in attempts" in html  # templates/errors/lockout.html
    assert "_auth_user_id" not in client.session
    assert not signed_in(client)


def test_four_wrong_passwords_do_not_lock(client, coordinator):
    for _attempt in range(4):
        assert sign_in(client, "casey", "wrong password").status_code == 200
    assert sign_in(client, "casey", PASSWORD).status_code == 302
    assert signed_in(client)


# --- idle timeout --------------------------------------------------------------------------------


def idle_for(client, seconds):
    session = client.session
    session[StaffIdleTimeoutMiddleware.SESSION_KEY] = int(time.time()) - seconds
    session.save()


def test_staff_idle_for_16_minutes_are_signed_out_and_sent_to_the_login(coordinator_client):
    assert signed_in(coordinator_client)
    idle_for(coordinator_client, 16 * 60)
    response = coordinator_client.get("/admin/assessment/submission/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")
    login = coordinator_client.get(response["Location"]).content.decode()
    assert "You were signed out because the page was left idle." in login
    assert not signed_in(coordinator_client)


def test_staff_idle_for_14_minutes_stay_signed_in(coordinator_client):
    assert signed_in(coordinator_client)
    idle_for(coordinator_client, 14 * 60)
    assert coordinator_client.get("/admin/assessment/submission/").status_code == 200


def test_every_admin_page_tells_staff_about_the_timeout(coordinator_client):
    html = coordinator_client.get("/admin/").content.decode()
    assert "You are signed out after 15 minutes without activity." in html


# --- passwords -----------------------------------------------------------------------------------


@pytest.mark.parametrize("weak", ["password123", "short1!", "12345678901234", "casey@example.org!"])
def test_weak_passwords_are_rejected_by_the_validators(coordinator, weak):
    with pytest.raises(ValidationError):
        validate_password(weak, user=coordinator)
    validate_password("plum tractor mosaic 1987", user=coordinator)


def test_the_admin_password_change_refuses_a_weak_password(coordinator_client, coordinator):
    response = coordinator_client.post(
        "/admin/password_change/",
        {"old_password": PASSWORD, "new_password1": "password123", "new_password2": "password123"},
    )
    assert response.status_code == 200
    assert "This password is too common" in response.content.decode()
    coordinator.refresh_from_db()
    assert coordinator.check_password(PASSWORD)


# --- two-factor sign-in --------------------------------------------------------------------------


def test_without_2fa_a_password_is_enough(client, coordinator, settings):
    settings.STAFF_REQUIRE_2FA = False
    assert 'name="otp_token"' not in client.get(LOGIN).content.decode()
    response = sign_in(client, "casey", PASSWORD)
    assert response.status_code == 302
    assert signed_in(client)


@pytest.fixture
def two_factor(settings, coordinator):
    settings.STAFF_REQUIRE_2FA = True
    return TOTPDevice.objects.create(user=coordinator, name="Authenticator app")


def test_with_2fa_the_form_asks_for_the_code(client, two_factor):
    html = client.get(LOGIN).content.decode()
    assert 'name="otp_token"' in html
    assert 'autocomplete="one-time-code"' in html
    assert "6-digit code from your authenticator app" in html


def test_with_2fa_a_password_alone_is_not_enough(client, two_factor):
    response = sign_in(client, "casey", PASSWORD)
    assert response.status_code == 200
    assert "Enter the 6-digit code from your authenticator app." in response.content.decode()
    assert not signed_in(client)


def test_with_2fa_a_wrong_code_is_refused(client, two_factor):
    wrong = f"{(int(code_for(two_factor)) + 1) % 1_000_000:06d}"
    response = sign_in(client, "casey", PASSWORD, otp_token=wrong)
    assert "That code did not work" in response.content.decode()
    assert not signed_in(client)


def test_with_2fa_the_right_code_signs_in_and_marks_the_session_verified(client, two_factor):
    response = sign_in(client, "casey", PASSWORD, otp_token=code_for(two_factor))
    assert response.status_code == 302
    assert signed_in(client)
    assert client.session["otp_device_id"] == two_factor.persistent_id
    assert client.get("/admin/assessment/submission/").status_code == 200


def test_with_2fa_repeated_wrong_codes_are_throttled_with_a_clear_message(client, two_factor):
    wrong = f"{(int(code_for(two_factor)) + 1) % 1_000_000:06d}"
    sign_in(client, "casey", PASSWORD, otp_token=wrong)
    response = sign_in(client, "casey", PASSWORD, otp_token=code_for(two_factor))
    assert "Too many wrong codes in a row" in response.content.decode()
    assert not signed_in(client)


def test_with_2fa_a_code_cannot_be_used_twice(client, two_factor):
    code = code_for(two_factor)
    assert sign_in(client, "casey", PASSWORD, otp_token=code).status_code == 302
    client.post("/admin/logout/")
    assert sign_in(client, "casey", PASSWORD, otp_token=code).status_code == 200


def test_with_2fa_an_unverified_session_cannot_use_the_admin(client, coordinator, settings):
    settings.STAFF_REQUIRE_2FA = True
    client.force_login(coordinator)  # password only, e.g. a session from before 2FA was on
    response = client.get("/admin/assessment/submission/")
    assert response.status_code == 302 and response["Location"].startswith("/admin/login/")


@pytest.mark.parametrize(
    "path",
    [
        "/admin/two-factor/",  # enrolling a device of one's own would make the session verified
        "/admin/password_change/",
        "/admin/r/1/1/",
        "/admin/assessment/submission/export/",
        "/admin/password_reset/",
    ],
)
def test_with_2fa_an_unverified_session_cannot_enrol_or_reach_any_staff_page(
    client, coordinator, settings, path
):
    settings.STAFF_REQUIRE_2FA = True
    client.force_login(coordinator)
    for response in (client.get(path), client.post(path, {"otp_token": "123456"})):
        # Every staff URL, even one that names nothing (the export path, a missing object),
        # first sends an unverified session to sign in again: nothing is revealed before that.
        assert (response.status_code, response["Location"]) == (302, f"/admin/login/?next={path}")
    assert not TOTPDevice.objects.filter(user=coordinator).exists()


def test_with_2fa_an_account_without_a_device_is_told_what_to_do(client, coordinator, settings):
    settings.STAFF_REQUIRE_2FA = True
    response = sign_in(client, "casey", PASSWORD, otp_token="123456")
    assert "no authenticator app set up yet" in response.content.decode()
    assert not signed_in(client)


def test_backup_codes_from_a_static_device_work(client, coordinator, settings):
    from django_otp.plugins.otp_static.models import StaticDevice

    settings.STAFF_REQUIRE_2FA = True
    device = StaticDevice.objects.create(user=coordinator, name="Backup codes")
    device.token_set.create(token="k3y8ba5e")
    assert sign_in(client, "casey", PASSWORD, otp_token="k3y8ba5e").status_code == 302
    assert verify_code(coordinator, "k3y8ba5e") == (None, False)  # a backup code works once


# --- enrolment -----------------------------------------------------------------------------------


def test_enrolment_page_shows_a_server_drawn_qr_code_without_inline_styles(coordinator_client):
    html = coordinator_client.get("/admin/two-factor/").content.decode()
    svg = re.search(r'<svg role="img"[^>]*class="segno".*?</svg>', html, re.S).group(0)
    assert "style" not in svg
    assert "otpauth://totp/" in html and "issuer=IOP%20Finder" in html
    assert "style=" not in html
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html)


def test_enrolment_confirms_the_device_with_a_code_and_replaces_the_old_one(
    coordinator_client, coordinator
):
    old = TOTPDevice.objects.create(user=coordinator, name="Old phone")
    coordinator_client.get("/admin/two-factor/")
    pending = TOTPDevice.objects.get(user=coordinator, confirmed=False)
    bad = coordinator_client.post(
        "/admin/two-factor/", {"otp_token": "000000", "password": PASSWORD}
    )
    assert bad.status_code == 200 and 'aria-invalid="true"' in bad.content.decode()
    pending.refresh_from_db()
    pending.throttle_reset()  # django-otp makes a retry wait a second after a wrong code
    response = coordinator_client.post(
        "/admin/two-factor/", {"otp_token": code_for(pending), "password": PASSWORD}
    )
    assert response.status_code == 302
    devices = TOTPDevice.objects.filter(user=coordinator)
    assert list(devices.values_list("pk", "confirmed")) == [(pending.pk, True)]
    assert not TOTPDevice.objects.filter(pk=old.pk).exists()


def test_enrol_totp_command_prints_the_uri_and_a_qr_code(capsys, coordinator):
    call_command("enrol_totp", "casey")
    out = capsys.readouterr().out
    assert "otpauth://totp/IOP%20Finder%3Acasey?" in out or "otpauth://totp/" in out
    assert "█" in out or "▀" in out or "▄" in out  # the QR code drawn in the terminal
    device = TOTPDevice.objects.get(user=coordinator)
    assert device.confirmed
    with pytest.raises(CommandError, match="already has"):
        call_command("enrol_totp", "casey")
    call_command("enrol_totp", "casey", "--replace", "--no-qr")
    assert TOTPDevice.objects.filter(user=coordinator).count() == 1
    assert TOTPDevice.objects.get(user=coordinator).pk != device.pk


def test_enrol_totp_refuses_unknown_and_non_staff_accounts(django_user_model):
    django_user_model.objects.create_user("visitor", "v@example.org", PASSWORD)
    with pytest.raises(CommandError, match="No user"):
        call_command("enrol_totp", "ghost")
    with pytest.raises(CommandError, match="not a staff"):
        call_command("enrol_totp", "visitor")


def test_first_user_flow_superuser_enrols_then_signs_in_with_the_code(client, settings):
    settings.STAFF_REQUIRE_2FA = True
    staff_user("admin", superuser=True)
    call_command("enrol_totp", "admin", "--no-qr")
    device = TOTPDevice.objects.get(user__username="admin")
    assert sign_in(client, "admin", PASSWORD, otp_token=code_for(device)).status_code == 302
    assert signed_in(client)


def test_roles_module_names_match_the_groups():
    assert roles.SUBMISSION_ROLES == (roles.ADMISSIONS, roles.CLINICAL_LEAD)
