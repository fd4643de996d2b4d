"""Issue 12, done when: a coordinator at 1280 px works an urgent person end to end (a call with
no answer, a 2 pm follow-up, a call that reaches them, a benefits check, admitted) and the
report counts it. The run takes the staff guide's screenshots: into test-results/staff/ on
every run, and into docs/images/staff/ (the guide's own copies) when UPDATE_SCREENSHOTS=1, so an
ordinary test run leaves the working tree clean."""

import datetime as dt
import os
from pathlib import Path

import pytest
from django.apps import apps
from django.utils import timezone

from admissions import roles
from admissions.models import AuditEvent, Case, ContactAttempt
from tests.admissions.factories import (
    PASSWORD,
    SubmissionFactory,
    emergency_reachable,
    staff_user,
    with_callback,
)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[2]
SHOTS = ROOT / (
    "docs/images/staff" if os.environ.get("UPDATE_SCREENSHOTS") == "1" else "test-results/staff"
)
WIDTH, HEIGHT = 1280, 800


def shot(page, name):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=False)


def save_and_continue(page, url):
    page.locator('input[name="_continue"]').first.click()
    page.wait_for_url(f"**{url}")
    assert not page.locator(".errornote").count(), page.locator(".errornote").inner_text()


def test_a_coordinator_at_1280_px_works_an_urgent_person_end_to_end(page, settings):
    settings.STAFF_REQUIRE_2FA = False
    roles.ensure_roles(apps)  # transactional tests flush the groups the migration made
    staff_user("casey", roles.ADMISSIONS, first_name="Casey", last_name="Lee")
    now = timezone.now()
    urgent = emergency_reachable(
        created_at=now - dt.timedelta(minutes=40),
        insurance_payer="Anthem",
        insurance_member_id="XQH448821",
        referral_source="doctor",
    )
    with_callback(
        created_at=now - dt.timedelta(hours=2),
        contact_name="Sam Rivera",
        contact_phone="502-555-0199",
        contact_email="sam@example.org",
    )
    SubmissionFactory(created_at=now - dt.timedelta(minutes=5))
    SubmissionFactory(created_at=now - dt.timedelta(days=1), status="closed")
    page.set_viewport_size({"width": WIDTH, "height": HEIGHT})

    page.goto("/admin/")
    page.get_by_label("Username").fill("casey")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/admin/")
    shot(page, "01-dashboard")

    page.get_by_role("link", name="Open the queue").click()
    page.wait_for_url("**/admin/assessment/submission/")
    first_row = page.locator("#result_list tbody tr").first
    assert urgent.token[:8] in first_row.inner_text() and "Emergency" in first_row.inner_text()
    # At 1280 px the columns that matter are on screen, without scrolling sideways.
    for column in ("urgency", "status_badge", "owner_name", "follow_up", "attempts", "arrived"):
        box = page.locator(f"#result_list th.column-{column}").bounding_box()
        assert box and box["x"] + box["width"] <= WIDTH, column
    assert page.evaluate("document.documentElement.scrollWidth") <= WIDTH
    shot(page, "02-queue")

    first_row.locator("th a").click()
    change = f"/admin/assessment/submission/{urgent.pk}/change/"
    page.wait_for_url(f"**{change}")
    assert page.get_by_text("Same-day clinician review").first.is_visible()
    shot(page, "03-submission")

    # A call with no answer, and a follow-up at 2 pm tomorrow with its reason.
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    page.locator("#id_attempt_outcome").select_option("no_answer")
    page.locator("#id_attempt_note").fill("Rang twice, no voicemail set up")
    page.locator("#id_next_follow_up").fill(f"{tomorrow.isoformat()}T14:00")
    page.locator("#id_follow_up_reason").fill("Call back at 2 pm")
    page.locator("#id_owner").select_option(label="Casey Lee")
    save_and_continue(page, change)
    assert page.get_by_text("Rang twice, no voicemail set up").is_visible()
    page.locator(".adm-calls").scroll_into_view_if_needed()
    shot(page, "04-call-logged")

    # The call back reaches them; the benefits check; admitted.
    page.locator("#id_attempt_outcome").select_option("reached")
    page.locator("#id_attempt_minutes").fill("12")
    page.locator("#id_benefits_status").select_option("in_network")
    page.locator("#id_benefits_notes").fill("Verified by phone with Anthem")
    save_and_continue(page, change)
    page.locator("#id_outcome").select_option("admitted")
    page.locator("#id_admitted_on").fill(tomorrow.isoformat())
    save_and_continue(page, change)
    assert page.locator(".adm-summary .adm-status").inner_text() == "Admitted"
    shot(page, "05-admitted")

    page.goto("/admin/reports/")
    funnel = page.locator("#adm-funnel-chart-desc").text_content()
    assert "Contacted: 1" in funnel and "Admitted: 1" in funnel
    shot(page, "06-reports")

    case = Case.objects.get(pk=urgent.pk)
    assert (case.status, case.outcome, case.benefits_status) == (
        "admitted",
        "admitted",
        "in_network",
    )
    assert case.attempt_count == 2 and case.first_contact_at is not None
    local = timezone.localtime(case.next_follow_up_at)
    assert (local.date(), local.hour) == (tomorrow, 14)
    outcomes = list(
        ContactAttempt.objects.filter(submission=urgent).values_list("outcome", flat=True)
    )
    assert outcomes == ["no_answer", "reached"]
    actions = set(
        AuditEvent.objects.filter(submission_id=urgent.pk).values_list("action", flat=True)
    )
    assert {"viewed", "changed", "contact_logged"} <= actions
    assert AuditEvent.objects.filter(action="report_viewed").exists()


def test_the_staff_tool_pages_have_no_axe_violations_or_csp_errors(page, settings):
    from tests.support.browser import describe_violations, run_axe

    settings.STAFF_REQUIRE_2FA = False
    roles.ensure_roles(apps)
    staff_user("casey", roles.ADMISSIONS, first_name="Casey", last_name="Lee")
    urgent = emergency_reachable(insurance_member_id="XQH448821")
    SubmissionFactory(next_follow_up_at=timezone.now() - dt.timedelta(hours=1))
    csp_errors = []
    page.on(
        "console",
        lambda message: (
            csp_errors.append(f"{page.url} {message.text[:80]}")
            if "Content Security Policy" in message.text
            else None
        ),
    )
    page.set_viewport_size({"width": WIDTH, "height": HEIGHT})
    page.goto("/admin/")
    page.get_by_label("Username").fill("casey")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/admin/")
    failures = []
    for path in (
        "/admin/assessment/submission/",
        f"/admin/assessment/submission/{urgent.pk}/change/",
        f"/admin/assessment/submission/{urgent.pk}/member-id/",
        "/admin/reports/",
    ):
        page.goto(path)
        page.wait_for_load_state("networkidle")
        if csp_errors:
            failures.append(f"{path}: {csp_errors}")
            csp_errors.clear()
        violations = run_axe(page)
        csp_errors.clear()  # axe itself may try inline styles while it measures
        if violations:
            failures.append(describe_violations(path, violations))
    assert not failures, "\n".join(failures)
