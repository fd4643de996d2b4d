"""Working a person: the call log (attempts, outcomes, time to first contact), follow-ups with a
time and a reason, the referral source, staff flag texts, the language used, owner choices and
times with their zone."""

import datetime as dt

import pytest
from django.utils import timezone

from admissions import roles
from admissions.models import AuditEvent, Case, ContactAttempt, PipelineChange
from tests.admissions.factories import (
    SubmissionFactory,
    emergency,
    emergency_reachable,
    staff_user,
    with_callback,
)

pytestmark = pytest.mark.django_db

QUEUE = "/admin/assessment/submission/"


def page_url(submission):
    return f"{QUEUE}{submission.pk}/change/"


def post(client, submission, **data):
    return client.post(page_url(submission), {"status": submission.case.status, **data})


def test_logging_calls_counts_attempts_and_stamps_the_first_contact(coordinator_client):
    submission = emergency_reachable()
    response = post(
        coordinator_client,
        submission,
        attempt_outcome="no_answer",
        attempt_channel="phone",
        attempt_direction="outbound",
        attempt_minutes="1",
        attempt_note="Rang 8 times",
    )
    assert response.status_code == 302
    case = Case.objects.get(pk=submission.pk)
    assert (case.attempt_count, case.first_contact_at) == (1, None)
    assert case.status == "contacting"  # the first attempt moves a new case along
    post(coordinator_client, submission, status="contacting", attempt_outcome="reached")
    case.refresh_from_db()
    reached = ContactAttempt.objects.get(outcome="reached")
    assert case.attempt_count == 2
    assert case.first_contact_at == reached.at
    assert case.last_attempt_at == reached.at
    post(coordinator_client, submission, status="contacting", attempt_outcome="reached")
    case.refresh_from_db()
    assert case.first_contact_at == reached.at  # the first contact stays the first
    events = AuditEvent.objects.filter(action="contact_logged", submission_id=submission.pk)
    assert events.count() == 3
    assert events.last().changes == {
        "channel": "phone",
        "outcome": "no_answer",
        "direction": "outbound",
    }
    assert "Rang" not in str(list(events.values_list("changes", flat=True)))

    html = coordinator_client.get(page_url(submission)).content.decode()
    assert "Call log" in html and "Rang 8 times" in html and "No answer" in html
    queue = coordinator_client.get(QUEUE).content.decode()
    assert "3 attempts" in queue and ">Reached<" in queue


def test_a_note_without_an_outcome_is_refused_and_nothing_is_lost(coordinator_client):
    submission = with_callback()
    response = post(coordinator_client, submission, attempt_note="Left a message with mum")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Choose the outcome of the contact attempt to log it." in html
    assert "Left a message with mum" in html  # what was typed is still there
    assert not ContactAttempt.objects.exists()


def test_a_follow_up_at_2_pm_with_a_reason(coordinator_client):
    submission = with_callback()
    day = timezone.localdate() + dt.timedelta(days=1)
    response = post(
        coordinator_client,
        submission,
        next_follow_up=f"{day.isoformat()}T14:00",
        follow_up_reason="Call back at 2 pm",
    )
    assert response.status_code == 302
    case = Case.objects.get(pk=submission.pk)
    local = timezone.localtime(case.next_follow_up_at)
    assert (local.date(), local.hour, local.minute) == (day, 14, 0)
    assert case.follow_up_reason == "Call back at 2 pm"
    zone = local.strftime("%Z")
    queue = coordinator_client.get(QUEUE).content.decode()
    assert f"14:00 {zone}" in queue and "Call back at 2 pm" in queue
    event = AuditEvent.objects.get(action="changed")
    assert event.changes["follow_up_reason"] == {"changed": True}  # free text never audited


@pytest.mark.parametrize(
    ("when", "filter_value", "shown"),
    [
        (dt.timedelta(minutes=-5), "overdue", True),
        (dt.timedelta(minutes=-5), "due_now", True),
        (dt.timedelta(minutes=30), "due_now", True),
        (dt.timedelta(minutes=30), "overdue", False),
        (dt.timedelta(days=2), "due_now", False),
    ],
)
def test_due_now_and_overdue_views(coordinator_client, when, filter_value, shown):
    submission = SubmissionFactory(next_follow_up_at=timezone.now() + when)
    html = coordinator_client.get(QUEUE, {"follow_up": filter_value}).content.decode()
    assert (f'adm-ref">{submission.token[:8]}<' in html) is shown


def test_staff_set_the_referral_source_and_other_needs_words(coordinator_client):
    submission = with_callback(referral_source="search")
    response = post(coordinator_client, submission, referral_source="other")
    assert "Say where they heard about us." in response.content.decode()
    post(
        coordinator_client,
        submission,
        referral_source="other",
        referral_source_other="Church newsletter",
    )
    case = Case.objects.get(pk=submission.pk)
    assert (case.referral_source, case.referral_source_other) == ("other", "Church newsletter")
    fields = set(PipelineChange.objects.values_list("field", flat=True))
    assert fields == {"referral_source"}
    html = coordinator_client.get(page_url(submission)).content.decode()
    assert "Other (Church newsletter)" in html


def test_flags_show_what_staff_do_and_what_the_person_was_told(coordinator_client):
    submission = emergency_reachable(
        flags=[
            {"code": "suicide_risk_review", "text": "You don't have to wait: call 988."},
            {"code": "brand_new_flag", "text": "Some future flag text."},
        ]
    )
    html = coordinator_client.get(page_url(submission)).content.decode()
    assert "<strong>Same-day clinician review: C-SSRS or PHQ-9 item 9 positive.</strong>" in html
    assert "The person was told:" in html
    assert "<strong>Some future flag text.</strong>" in html  # unknown code: the stored text


def test_the_language_used_and_the_instruments_not_validated_in_spanish(coordinator_client):
    from assessment.instruments import INSTRUMENT_NAMES
    from assessment.spanish import not_validated_in_spanish

    english = SubmissionFactory()
    html = coordinator_client.get(page_url(english)).content.decode()
    assert "Language used" in html and "not a validated Spanish version" not in html
    spanish = SubmissionFactory(ui_language="es")
    html = coordinator_client.get(page_url(spanish)).content.decode()
    assert "Spanish" in html and "(answers shown here in English)" in html
    used = [name for name in spanish.scores if name in INSTRUMENT_NAMES]
    expected = [INSTRUMENT_NAMES[name] for name in not_validated_in_spanish(used)]
    note = html.split('class="adm-lang-note">', 1)[1].split("</span>", 1)[0] if expected else ""
    assert ("not a validated Spanish version" in html) is bool(expected)
    for name in expected:
        assert name in note
    for name in set(used) - set(not_validated_in_spanish(used)):
        assert INSTRUMENT_NAMES[name] not in note


def test_owner_choices_are_active_admissions_members_and_the_clinical_lead(
    coordinator_client, coordinator, lead, editor, plain_staff
):
    gone = staff_user("gone", roles.ADMISSIONS, is_active=False)
    submission = SubmissionFactory()
    html = coordinator_client.get(page_url(submission)).content.decode()
    select = html.split('name="owner"', 1)[1].split("</select>", 1)[0]
    assert f'value="{coordinator.pk}"' in select and f'value="{lead.pk}"' in select
    for other in (editor, plain_staff, gone):
        assert f'value="{other.pk}"' not in select
    response = post(coordinator_client, submission, owner=editor.pk)
    assert response.status_code == 200  # refused with a message, nothing saved
    assert Case.objects.get(pk=submission.pk).owner is None


def test_times_name_the_zone_in_the_breadcrumb_the_page_and_the_message(coordinator_client):
    submission = with_callback()
    zone = timezone.localtime(submission.created_at).strftime("%Z")
    html = coordinator_client.get(page_url(submission)).content.decode()
    crumbs = html.split('class="breadcrumbs"', 1)[1].split("</div>", 1)[0]
    assert f"Submission {submission.token[:8]}, arrived" in crumbs and zone in crumbs
    assert submission.created_at.strftime("%Y-%m-%d %H:%M") not in crumbs  # not UTC
    response = post(coordinator_client, submission, status="contacting")
    messages = [str(m) for m in response.wsgi_request._messages]
    assert any(zone in text and submission.token[:8] in text for text in messages), messages


def test_an_urgent_person_without_contact_details_is_marked_and_audited(coordinator_client):
    silent = emergency()  # no call back asked: no way to reach them
    case = Case.objects.get(pk=silent.pk)
    assert case.no_contact and case.priority == Case.Priority.ROUTINE
    assert AuditEvent.objects.filter(action="no_contact", submission_id=silent.pk).exists()
    html = coordinator_client.get(QUEUE, {"contact": "no_contact"}).content.decode()
    assert f'adm-ref">{silent.token[:8]}<' in html and "No contact details" in html
    page = coordinator_client.get(page_url(silent)).content.decode()
    assert "not counted as “to act on”" in page
