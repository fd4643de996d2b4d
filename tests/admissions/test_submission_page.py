"""The submission page: everything in words; pipeline changes and notes recorded and audited."""

import datetime as dt

import pytest
from django.utils import timezone
from django.utils.html import escape

from admissions.models import AuditEvent, Case, Note, PipelineChange
from assessment import instruments
from assessment.models import Submission
from tests.admissions.factories import SubmissionFactory, emergency, with_callback

pytestmark = pytest.mark.django_db


def page_url(submission):
    return f"/admin/assessment/submission/{submission.pk}/change/"


def test_page_shows_every_question_answer_label_total_and_band(coordinator_client):
    submission = emergency()
    html = coordinator_client.get(page_url(submission)).content.decode()
    for question in instruments.QUESTIONS:
        if question.instrument:
            assert escape(str(question.text)) in html, question.id
    assert "Nearly every day" in html  # the label, not the raw value 3
    assert "total 27 of 27" in html and "Severe low mood" in html  # PHQ-9
    assert "total 21 of 21" in html  # GAD-7
    assert "Suicide risk that needs help right now" in html  # C-SSRS band
    assert "positive screen" in html


def test_page_shows_dimensions_reasons_flags_preferences_and_programs(coordinator_client):
    submission = SubmissionFactory(
        flags=[{"code": "substance_review", "text": "Ask about alcohol and drugs."}]
    )
    html = coordinator_client.get(page_url(submission)).content.decode()
    for name in ("Safety", "Daily life", "Home and support", "Readiness"):
        assert name in html
    assert "Much harder than usual" in html  # functional_status 3 in words
    assert "You said these problems have made daily life very difficult." in html
    assert "Ask about alcohol and drugs." in html
    assert "Monday, Wednesday" in html and "Evening (5 pm or later)" in html
    assert "Medicaid" in html
    assert 'href="/programs/evening-iop-riverside/"' in html
    assert "Evening IOP at Riverside" in html and "3.2 miles" in html
    assert "Takes Medicaid" in html


def test_contact_details_only_with_consent_and_with_the_consent_time(coordinator_client):
    consented = with_callback()
    html = coordinator_client.get(page_url(consented)).content.decode()
    assert "Jordan Avery" in html and 'href="tel:502-555-0142"' in html
    assert "jordan@example.org" in html
    assert "Consent to be contacted" in html
    assert timezone.localtime(consented.contact_consent_at).strftime("%b %-d, %Y %H:%M") in html

    no_consent = with_callback(contact_consent=False, contact_consent_at=None)
    html = coordinator_client.get(page_url(no_consent)).content.decode()
    assert "Jordan Avery" not in html
    assert "No consent to be contacted is recorded" in html


def test_opening_the_page_is_audited(coordinator_client, coordinator):
    submission = SubmissionFactory()
    coordinator_client.get(page_url(submission))
    event = AuditEvent.objects.get(action="viewed")
    assert event.actor == coordinator and event.actor_username == "casey"
    assert event.submission_id == submission.pk
    assert event.token_prefix == submission.token[:8]


def test_status_owner_follow_up_change_is_stamped_recorded_and_audited(
    coordinator_client, coordinator
):
    submission = SubmissionFactory()
    day = timezone.localdate() + dt.timedelta(days=2)
    follow_up = timezone.make_aware(dt.datetime.combine(day, dt.time(14, 0)))
    response = coordinator_client.post(
        page_url(submission),
        {
            "status": "contacting",
            "owner": coordinator.pk,
            "next_follow_up": f"{day.isoformat()}T14:00",
            "new_note": "",
        },
    )
    assert response.status_code == 302
    case = Case.objects.get(pk=submission.pk)
    assert case.status == "contacting"
    assert case.owner == coordinator
    assert case.next_follow_up_at == follow_up
    assert case.status_changed_at and case.owner_changed_at
    changes = {c.field: (c.old_value, c.new_value) for c in PipelineChange.objects.all()}
    assert changes == {
        "status": ("New", "Contacting"),
        "owner": ("", "Casey Lee"),
        "next_follow_up_at": ("", timezone.localtime(follow_up).strftime("%Y-%m-%d 14:00 %Z")),
    }
    event = AuditEvent.objects.get(action="changed")
    assert event.changes["status"] == {"from": "New", "to": "Contacting"}
    assert event.actor == coordinator

    html = coordinator_client.get(page_url(submission)).content.decode()
    assert "Status and owner history" in html
    assert "Contacting" in html and "casey" in html


def test_a_note_is_added_with_author_and_time_and_audited_without_its_text(
    coordinator_client, coordinator
):
    submission = SubmissionFactory()
    text = "Called 2pm, left voicemail. Mentioned 988."
    coordinator_client.post(page_url(submission), {"status": "new", "owner": "", "new_note": text})
    note = Note.objects.get()
    assert note.text == text and note.author == coordinator and note.author_name == "casey"
    event = AuditEvent.objects.get(action="note_added")
    assert text not in str(event.changes)
    assert not AuditEvent.objects.filter(action="changed").exists()  # nothing else changed
    html = coordinator_client.get(page_url(submission)).content.decode()
    assert text in html and "casey" in html


def test_notes_cannot_be_edited_or_deleted(coordinator_client, superuser, client):
    submission = SubmissionFactory()
    note = Note.objects.create(submission=submission, author_name="casey", text="First call")
    with pytest.raises(ValueError, match="append-only"):
        note.text = "rewritten"
        note.save()
    client.force_login(superuser)
    for url in (
        f"/admin/admissions/note/{note.pk}/change/",
        f"/admin/admissions/note/{note.pk}/delete/",
        "/admin/admissions/note/",
    ):
        assert client.get(url).status_code == 404  # notes have no admin of their own
    html = client.get(page_url(submission)).content.decode()
    assert "First call" in html
    assert 'name="notes' not in html  # no inline formset to edit them


def test_answers_are_read_only_on_the_page(coordinator_client):
    submission = SubmissionFactory()
    coordinator_client.post(
        page_url(submission),
        {"status": "new", "level": "OP", "urgent": "on", "contact_name": "Mallory"},
    )
    fresh = Submission.objects.get(pk=submission.pk)
    assert fresh.level == "IOP" and not fresh.urgent and fresh.contact_name == ""


def test_owner_choices_are_active_staff_only(coordinator_client, coordinator):
    from django.contrib.auth import get_user_model

    get_user_model().objects.create_user("outsider", "o@example.org", "x" * 20)
    html = coordinator_client.get(page_url(SubmissionFactory())).content.decode()
    assert ">Casey Lee</option>" in html
    assert "outsider" not in html


def test_page_has_no_inline_style_or_script(coordinator_client):
    import re

    html = coordinator_client.get(page_url(emergency())).content.decode()
    assert "style=" not in html
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html)


def test_assign_to_me_quick_action_on_the_page(coordinator_client, coordinator):
    submission = SubmissionFactory()
    html = coordinator_client.get(page_url(submission)).content.decode()
    assert 'name="_assign_to_me"' in html
    response = coordinator_client.post(
        page_url(submission), {"status": "new", "owner": "", "_assign_to_me": "1"}
    )
    assert response.status_code == 302 and response["Location"] == page_url(submission)
    case = Case.objects.get(pk=submission.pk)
    assert case.owner == coordinator and case.owner_changed_at
    html = coordinator_client.get(page_url(submission)).content.decode()
    assert 'name="_assign_to_me"' not in html  # already mine


def test_every_saved_submission_gets_its_case_in_the_same_write():
    submission = SubmissionFactory()
    case = Case.objects.get(pk=submission.pk)
    assert (case.status, case.owner_id, case.next_follow_up_at) == ("new", None, None)


def test_the_page_reads_the_case_and_its_owner_with_the_row(coordinator_client, coordinator):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    plain, owned = SubmissionFactory(), SubmissionFactory(owner=coordinator, status="contacting")
    coordinator_client.get(page_url(plain))  # warm caches (content types, permissions)
    counts = []
    for submission in (plain, owned):
        with CaptureQueriesContext(connection) as context:
            assert coordinator_client.get(page_url(submission)).status_code == 200
        counts.append(len(context.captured_queries))
        assert not [q for q in context.captured_queries if 'FROM "admissions_case"' in q["sql"]]
    assert counts[0] == counts[1]
