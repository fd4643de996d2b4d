"""A coordinator in a real browser: signs in with a one-time code, finds the urgent person at the
top of the queue, opens them, adds a note and moves them on."""

import datetime as dt

import pytest
from django.apps import apps
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from admissions import roles
from admissions.models import AuditEvent, Case, Note
from tests.admissions.factories import PASSWORD, SubmissionFactory, emergency_reachable, staff_user

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def current_code(device) -> str:
    code = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
    return f"{code:0{device.digits}d}"


def test_coordinator_signs_in_with_a_code_and_works_the_urgent_person(page, settings):
    settings.STAFF_REQUIRE_2FA = True
    roles.ensure_roles(apps)  # transactional tests flush the groups the migration made
    coordinator = staff_user("casey", roles.ADMISSIONS, first_name="Casey", last_name="Lee")
    device = TOTPDevice.objects.create(user=coordinator, name="Authenticator app")
    urgent = emergency_reachable(created_at=timezone.now() - dt.timedelta(hours=5))
    SubmissionFactory(created_at=timezone.now() - dt.timedelta(minutes=5))
    SubmissionFactory(created_at=timezone.now() - dt.timedelta(minutes=1))

    csp_errors = []
    page.on(
        "console",
        lambda message: (
            csp_errors.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    page.goto("/admin/")
    page.get_by_label("Username").fill("casey")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_label("6-digit code from your authenticator app").fill(current_code(device))
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/admin/")
    assert page.get_by_role("heading", name="Admissions at a glance").is_visible()

    page.get_by_role("link", name="Open the queue").click()
    first_row = page.locator("#result_list tbody tr").first
    assert "Emergency" in first_row.inner_text()
    assert urgent.token[:8] in first_row.inner_text()

    first_row.locator("th a, td a").first.click()
    page.wait_for_url(f"**/admin/assessment/submission/{urgent.pk}/change/")
    assert page.locator("h1").inner_text().startswith(f"Submission {urgent.token[:8]}")
    assert page.get_by_text("Suicide risk that needs help right now").first.is_visible()

    page.get_by_label("Add a note").fill("Called, no answer. Left a voicemail with 988 info.")
    page.get_by_label("Status:").select_option("contacting")
    page.locator('input[name="_continue"]').first.click()
    page.wait_for_url(f"**/admin/assessment/submission/{urgent.pk}/change/")
    assert page.get_by_text("Called, no answer. Left a voicemail with 988 info.").is_visible()

    page.goto("/admin/two-factor/")
    assert page.locator("svg.segno").is_visible()
    assert csp_errors == [], csp_errors  # the admin pages work under script/style-src 'self'

    case = Case.objects.get(pk=urgent.pk)
    assert case.status == Case.Status.CONTACTING
    assert case.status_changed_at is not None
    note = Note.objects.get(submission=urgent)
    assert note.author_name == "casey"
    assert AuditEvent.objects.filter(submission_id=urgent.pk, action="viewed").exists()
    assert AuditEvent.objects.filter(submission_id=urgent.pk, action="note_added").exists()
