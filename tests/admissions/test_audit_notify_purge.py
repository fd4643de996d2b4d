"""The audit trail (read-only, lead only, survives purges), the urgent notice, the purge."""

import datetime as dt
import logging

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from admissions import notify
from admissions.models import AuditEvent, Case, Note
from assessment.models import Submission
from iop_finder.outbox.models import OutboxEmail
from tests.admissions.factories import SubmissionFactory, emergency, with_callback

pytestmark = pytest.mark.django_db

AUDIT = "/admin/admissions/auditevent/"

# --- audit trail ---------------------------------------------------------------------------------


def test_clinical_lead_reads_and_filters_the_audit_trail(lead_client, coordinator_client):
    submission = SubmissionFactory()
    coordinator_client.get(f"/admin/assessment/submission/{submission.pk}/change/")
    other = SubmissionFactory()
    AuditEvent.objects.create(action="exported_csv", submission_id=other.pk)

    html = lead_client.get(AUDIT).content.decode()
    assert "casey" in html and "Opened the submission page" in html
    filtered = lead_client.get(AUDIT, {"submission_id": submission.pk}).content.decode()
    assert f"#{submission.pk}<" in filtered and f"#{other.pk}<" not in filtered
    by_action = lead_client.get(AUDIT, {"action__exact": "exported_csv"}).content.decode()
    table = by_action.split("<tbody>")[1].split("</tbody>")[0]
    assert f"#{other.pk}<" in table and "casey" not in table


def test_the_submission_page_links_the_lead_to_its_audit_trail(lead_client, coordinator_client):
    submission = SubmissionFactory()
    url = f"/admin/assessment/submission/{submission.pk}/change/"
    assert f"auditevent/?submission_id={submission.pk}" in lead_client.get(url).content.decode()
    assert "auditevent/" not in coordinator_client.get(url).content.decode()


def test_no_one_can_add_change_or_delete_audit_rows_in_the_admin(client, superuser):
    event = AuditEvent.objects.create(action="viewed", submission_id=1, actor_username="x")
    client.force_login(superuser)
    assert client.get(f"{AUDIT}add/").status_code == 403
    assert client.get(f"{AUDIT}{event.pk}/delete/").status_code == 403
    page = client.get(f"{AUDIT}{event.pk}/change/")
    assert page.status_code == 200  # view only
    assert 'name="_save"' not in page.content.decode()
    response = client.post(f"{AUDIT}{event.pk}/change/", {"action": "changed"})
    assert response.status_code == 403
    listing = client.get(AUDIT).content.decode()
    assert "delete_selected" not in listing
    event.refresh_from_db()
    assert event.action == "viewed"
    with pytest.raises(ValueError):
        event.save()


def test_deleting_a_submission_by_hand_is_audited(lead_client, lead):
    submission = SubmissionFactory()
    response = lead_client.post(
        f"/admin/assessment/submission/{submission.pk}/delete/", {"post": "yes"}
    )
    assert response.status_code == 302
    assert not Submission.objects.exists()
    event = AuditEvent.objects.get(action="deleted")
    assert event.submission_id == submission.pk and event.actor == lead


# --- urgent notice (an outbox row in the submission's transaction; tests/core/test_outbox*.py
# cover sending, retries and the real SMTP backend) -------------------------------------------

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def oncall(settings):
    settings.ADMISSIONS_ONCALL_EMAIL = "oncall@clinic.example"
    settings.SITE_URL = "https://iop.example.org"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.TASKS = IMMEDIATE  # the send task runs on commit, in the test
    return settings


def queue_and_send(submission, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return notify.queue_urgent_notice(submission)


def shared_and_sent(make, django_capture_on_commit_callbacks):
    """Make (and share) a submission, running what the share queued on commit."""
    with django_capture_on_commit_callbacks(execute=True):
        return make()


def test_one_email_per_urgent_submission_even_if_the_receiver_runs_twice(
    oncall, django_capture_on_commit_callbacks
):
    submission = shared_and_sent(
        lambda: with_callback(level="EMERGENCY", urgent=True, zip_code="94110"),
        django_capture_on_commit_callbacks,
    )
    first = queue_and_send(submission, django_capture_on_commit_callbacks)
    second = queue_and_send(submission, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        notify.on_submission_shared(sender=Submission, submission=submission)
    assert first.pk == second.pk
    assert OutboxEmail.objects.count() == 1
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["oncall@clinic.example"]
    assert "EMERGENCY" in message.subject
    assert f"https://iop.example.org/admin/assessment/submission/{submission.pk}/change/" in (
        message.body
    )
    assert "Emergency care now" in message.body
    for personal in (
        "Jordan",
        "Avery",
        "555-0142",
        "jordan@example.org",
        "94110",
        "After 5 pm",
        submission.token,
        submission.token[:8],
        "killing",
    ):
        assert personal not in message.body and personal not in message.subject
    assert Case.objects.get(pk=submission.pk).urgent_notice_sent_at is not None
    assert (
        AuditEvent.objects.filter(action="urgent_notice", submission_id=submission.pk).count() == 1
    )
    assert OutboxEmail.objects.get().status == "sent"


def test_urgent_but_not_emergency_is_notified_too(oncall, django_capture_on_commit_callbacks):
    shared_and_sent(
        lambda: SubmissionFactory(level="PHP", urgent=True), django_capture_on_commit_callbacks
    )
    assert "Urgent" in mail.outbox[0].subject


def test_routine_submissions_write_and_send_nothing(oncall, django_capture_on_commit_callbacks):
    assert queue_and_send(SubmissionFactory(), django_capture_on_commit_callbacks) is None
    assert mail.outbox == [] and not OutboxEmail.objects.exists()


def test_no_address_configured_skips_with_a_log_line(settings, caplog):
    settings.ADMISSIONS_ONCALL_EMAIL = ""
    with caplog.at_level(logging.WARNING, logger="admissions.notify"):
        submission = emergency()
        assert notify.queue_urgent_notice(submission) is None
    assert mail.outbox == [] and not OutboxEmail.objects.exists()
    assert "ADMISSIONS_ONCALL_EMAIL is not set" in caplog.text
    assert notify.notice_state(submission).code == "missing"


def test_storing_writes_no_notice_sharing_writes_exactly_one(
    oncall, django_capture_on_commit_callbacks
):
    from assessment import services
    from tests.admissions.factories import make_answers
    from tests.admissions.sharing import share

    answers = make_answers(3, suicidal=True)
    with django_capture_on_commit_callbacks(execute=True):
        submission, created = services.create_submission("key-1", answers, consent_to_store=True)
    assert created and submission.urgent
    assert not OutboxEmail.objects.exists() and not Case.objects.exists()  # not shared yet
    with django_capture_on_commit_callbacks(execute=True):
        share(submission)
    with django_capture_on_commit_callbacks(execute=True):
        share(submission)  # a replayed share: nothing new
    assert len(mail.outbox) == 1
    assert OutboxEmail.objects.get().key == notify.notice_key(submission.pk)
    assert Case.objects.filter(pk=submission.pk).count() == 1


def test_the_case_and_notice_are_written_in_the_sharing_transaction(oncall):
    """The case and the outbox row commit or roll back with the share: a failure after the
    submission_shared receivers leaves neither."""
    from django.db import transaction

    from assessment.signals import submission_shared
    from tests.admissions.sharing import share

    submission = SubmissionFactory(level="EMERGENCY", urgent=True, shared=False)
    seen = {}

    def fail_after_the_hook(sender, submission, **kwargs):
        seen["rows"] = OutboxEmail.objects.filter(key=notify.notice_key(submission.pk)).count()
        seen["case"] = Case.objects.filter(pk=submission.pk).exists()
        raise RuntimeError("the transaction fails after the hook")

    submission_shared.connect(fail_after_the_hook, dispatch_uid="test.fail_after_hook")
    try:
        with pytest.raises(RuntimeError), transaction.atomic():
            share(submission)
    finally:
        submission_shared.disconnect(dispatch_uid="test.fail_after_hook")
    assert seen == {"rows": 1, "case": True}  # written inside the transaction
    assert not OutboxEmail.objects.exists() and not Case.objects.exists()
    submission.refresh_from_db()
    assert submission.shared_at is None


def test_the_notice_is_in_the_staff_language_whatever_the_patient_used(
    oncall, django_capture_on_commit_callbacks
):
    from django.utils import translation

    with translation.override("es"):
        shared_and_sent(emergency, django_capture_on_commit_callbacks)
    assert "waiting in the admissions queue" in mail.outbox[0].body


def test_no_mail_is_sent_in_the_request_with_the_default_task_backend(
    settings, django_capture_on_commit_callbacks
):
    """With the database task backend (the default) committing only queues the task."""
    settings.ADMISSIONS_ONCALL_EMAIL = "oncall@clinic.example"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    submission = shared_and_sent(emergency, django_capture_on_commit_callbacks)
    assert mail.outbox == []
    email = OutboxEmail.objects.get()
    assert email.status == "pending" and email.task_id
    assert notify.notice_state(submission).code == "pending"


# --- purge ---------------------------------------------------------------------------------------


def old(days, **kwargs):
    return SubmissionFactory(created_at=timezone.now() - dt.timedelta(days=days), **kwargs)


def test_purge_dry_run_counts_and_deletes_nothing(capsys):
    old(400), old(100), old(1)
    call_command("purge_submissions", "--older-than", "90", "--dry-run")
    out = capsys.readouterr().out
    assert "Dry run: 2 submission(s) would be deleted: older than 90 days" in out
    assert Submission.objects.count() == 3
    assert not AuditEvent.objects.filter(action="purged").exists()


def test_purge_deletes_old_rows_keeps_the_audit_trail_and_records_itself(capsys, coordinator):
    gone, kept = old(400), old(10)
    Note.objects.create(submission=gone, author_name="casey", text="called")
    AuditEvent.objects.create(action="viewed", submission_id=gone.pk, actor=coordinator)
    call_command("purge_submissions", "--older-than", "365")
    assert "Deleted 1 submission(s): older than 365 days" in capsys.readouterr().out
    assert list(Submission.objects.all()) == [kept]
    assert not Note.objects.exists()
    assert AuditEvent.objects.filter(action="viewed", submission_id=gone.pk).exists()
    purge = AuditEvent.objects.get(action="purged")
    assert purge.changes["deleted"] == 1 and purge.changes["older_than_days"] == 365
    assert purge.actor is None


def test_purge_defaults_to_the_retention_setting(settings, capsys):
    settings.SUBMISSION_RETENTION_DAYS = 30
    old(31), old(29)
    call_command("purge_submissions")
    assert "Deleted 1 submission(s): older than 30 days" in capsys.readouterr().out
    assert Submission.objects.count() == 1


def test_purge_handles_more_rows_than_one_batch(capsys):
    from admissions.management.commands import purge_submissions

    created = timezone.now() - dt.timedelta(days=500)
    Submission.objects.bulk_create(
        [
            SubmissionFactory.build(submit_key=f"k{i}", token=f"t{i}", created_at=created)
            for i in range(purge_submissions.BATCH_SIZE + 7)
        ]
    )
    call_command("purge_submissions", "--older-than", "30")
    assert f"Deleted {purge_submissions.BATCH_SIZE + 7} submission(s)" in capsys.readouterr().out
    assert not Submission.objects.exists()


def test_purge_deletes_runs_nobody_shared_once_their_result_link_has_expired(settings, capsys):
    settings.RESULT_LINK_DAYS = 30
    settings.SUBMISSION_RETENTION_DAYS = 365
    unshared_expired = old(31, shared=False)
    unshared_live, shared_old = old(29, shared=False), old(31)
    call_command("purge_submissions", "--dry-run")
    assert "Dry run: 1 submission(s) would be deleted" in capsys.readouterr().out
    call_command("purge_submissions")
    assert "Deleted 1 submission(s)" in capsys.readouterr().out
    assert not Submission.objects.filter(pk=unshared_expired.pk).exists()
    assert set(Submission.objects.all()) == {unshared_live, shared_old}


def test_notes_and_audit_rows_cannot_be_deleted_one_by_one():
    note = Note.objects.create(submission=SubmissionFactory(), author_name="casey", text="x")
    event = AuditEvent.objects.create(action="viewed")
    for row in (note, event):
        with pytest.raises(ValueError, match="append-only"):
            row.delete()
