"""The outbox (iop_finder/outbox): e-mail written in the caller's transaction, sent by the
django-tasks database worker through Django's real SMTP backend to real loopback servers, with
retries, and marked sent only after the server accepted it."""

import datetime as dt
import signal
import smtplib
import time

import pytest
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from admissions import notify
from iop_finder import outbox
from iop_finder.outbox import service
from iop_finder.outbox.models import OutboxEmail
from iop_finder.outbox.tasks import send_outbox_email
from tests.admissions.factories import emergency
from tests.core.mailservers import (
    HungSMTPServer,
    RecordingSMTPServer,
    run_worker,
    use_real_smtp,
)

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture
def smtp(settings):
    return use_real_smtp(settings)


# --- the worker command, the sweep ---------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_the_db_worker_command_sends_the_outbox(smtp):
    saved = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)}
    with RecordingSMTPServer() as server:
        smtp.EMAIL_PORT = server.port
        outbox.enqueue_email(kind="test", subject="Hello", body="Plain body", to=["a@example.org"])
        try:
            call_command(
                "db_worker", "--batch", "--no-startup-delay", "--no-reload", "--interval", "0"
            )
        finally:
            for sig, handler in saved.items():
                signal.signal(sig, handler)
    assert len(server.messages) == 1 and "Plain body" in server.messages[0]["data"]
    assert OutboxEmail.objects.get().status == "sent"
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"


@pytest.mark.django_db(transaction=True)
def test_an_address_to_forget_is_blanked_once_the_server_accepted_it(smtp):
    with RecordingSMTPServer() as server:
        smtp.EMAIL_PORT = server.port
        forget = outbox.enqueue_email(
            kind="link",
            subject="S",
            body="https://x/r/secret",
            to=["me@example.org"],
            forget_when_sent=True,
        )
        keep = outbox.enqueue_email(kind="notice", subject="S", body="B", to=["oncall@x.org"])
        run_worker(max_tasks=2)
    assert len(server.messages) == 2
    assert any("https://x/r/secret" in message["data"] for message in server.messages)
    forget.refresh_from_db()
    keep.refresh_from_db()
    assert (forget.status, forget.to, forget.body) == ("sent", [], "")
    assert (keep.status, keep.to, keep.body) == ("sent", ["oncall@x.org"], "B")


@pytest.mark.django_db(transaction=True)
def test_the_sweep_schedules_a_lost_task_once_and_never_piles_up(smtp):
    email = outbox.enqueue_email(kind="test", subject="S", body="B", to=["a@example.org"])
    assert DBTaskResult.objects.count() == 1
    call_command("outbox_sweep")  # not overdue: nothing
    OutboxEmail.objects.filter(pk=email.pk).update(
        next_attempt_at=timezone.now() - dt.timedelta(minutes=5)
    )
    call_command("outbox_sweep")
    call_command("outbox_sweep")
    assert DBTaskResult.objects.count() == 1  # its task still waits: no second copy

    DBTaskResult.objects.all().delete()  # the task is lost (queue wiped)
    call_command("outbox_sweep")
    assert DBTaskResult.objects.count() == 1
    with RecordingSMTPServer() as server:
        smtp.EMAIL_PORT = server.port
        run_worker()
    assert len(server.messages) == 1
    assert OutboxEmail.objects.get().status == "sent"


# --- rules of the outbox -------------------------------------------------------------------------


@pytest.mark.django_db
def test_one_row_per_key_and_nothing_if_the_transaction_rolls_back(
    settings, django_capture_on_commit_callbacks
):
    settings.TASKS = DATABASE_TASKS
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        first = outbox.enqueue_email(kind="k", key="once", subject="S", body="B", to=["a@x.org"])
        again = outbox.enqueue_email(kind="k", key="once", subject="S2", body="B2", to=["b@x.org"])
    assert first.pk == again.pk and len(callbacks) == 1
    assert OutboxEmail.objects.count() == 1 and DBTaskResult.objects.count() == 1

    with pytest.raises(RuntimeError), transaction.atomic():
        outbox.enqueue_email(kind="k", key="gone", subject="S", body="B", to=["a@x.org"])
        raise RuntimeError("the caller's transaction fails")
    assert not OutboxEmail.objects.filter(key="gone").exists()
    assert DBTaskResult.objects.count() == 1


@pytest.mark.django_db
def test_a_hung_mail_server_costs_one_timeout_per_try_not_more(smtp):
    smtp.EMAIL_TIMEOUT = 1
    email = outbox.enqueue_email(kind="k", subject="S", body="B", to=["a@x.org"])
    with HungSMTPServer() as hung:
        smtp.EMAIL_PORT = hung.port
        started = time.monotonic()
        assert send_outbox_email.call(email.pk) == "retry"
        elapsed = time.monotonic() - started
    assert 0.9 <= elapsed < 3, elapsed
    email.refresh_from_db()
    assert email.status == "pending" and email.attempts == 1 and email.is_failing


@pytest.mark.django_db
def test_a_row_with_a_limit_gives_up_and_says_so(smtp):
    email = outbox.enqueue_email(kind="k", subject="S", body="B", to=["a@x.org"], max_attempts=2)
    assert send_outbox_email.call(email.pk) == "retry"
    OutboxEmail.objects.filter(pk=email.pk).update(next_attempt_at=timezone.now())
    assert send_outbox_email.call(email.pk) == "failed"
    email.refresh_from_db()
    assert (email.status, email.attempts) == ("failed", 2)
    assert send_outbox_email.call(email.pk) == "skipped"


@pytest.mark.django_db
def test_a_row_being_sent_is_not_sent_again_by_a_second_worker(smtp):
    email = outbox.enqueue_email(kind="k", subject="S", body="B", to=["a@x.org"])
    claimed = service.claim(email.pk, timezone.now())
    assert claimed is not None and claimed.attempts == 1
    assert send_outbox_email.call(email.pk) == "skipped"  # leased to the first one


def test_backoff_doubles_from_the_base_up_to_the_cap(settings):
    settings.OUTBOX_RETRY_BASE_SECONDS = 30
    settings.OUTBOX_RETRY_MAX_SECONDS = 600
    waits = [service.backoff(n).total_seconds() for n in range(1, 9)]
    assert waits == [30, 60, 120, 240, 480, 600, 600, 600]


def test_the_recorded_error_names_the_class_and_code_never_the_text():
    refused = smtplib.SMTPRecipientsRefused({"jordan@example.org": (550, b"no such user")})
    assert service.error_summary(refused) == "SMTPRecipientsRefused"
    data = smtplib.SMTPDataError(554, b"rejected mail for jordan@example.org")
    assert service.error_summary(data) == "SMTPDataError 554"
    assert service.error_summary(OSError("jordan@example.org")) == "OSError"


@pytest.mark.django_db
def test_the_urgent_notice_state_reads_pending_failing_and_alarm(smtp):
    submission = emergency()
    with transaction.atomic():
        email = notify.queue_urgent_notice(submission)
    assert notify.notice_state(submission).code == "pending"
    assert notify.notice_state(submission).alarm is False
    send_outbox_email.call(email.pk)  # refused
    state = notify.notice_state(submission)
    assert state.code == "failing" and "1 try so far" in state.detail
    later = timezone.now() + dt.timedelta(minutes=16)
    assert notify.notice_state(submission, now=later).alarm is True


@pytest.mark.django_db
def test_the_sweep_deletes_e_mail_sent_long_ago_and_keeps_the_rest(settings):
    settings.OUTBOX_KEEP_SENT_DAYS = 30
    now = timezone.now()
    old = outbox.enqueue_email(kind="k", subject="S", body="B", to=["a@x.org"])
    recent = outbox.enqueue_email(kind="k", subject="S", body="B", to=["a@x.org"])
    unsent = outbox.enqueue_email(kind="k", subject="S", body="B", to=["a@x.org"])
    OutboxEmail.objects.filter(pk=old.pk).update(status="sent", sent_at=now - dt.timedelta(days=31))
    OutboxEmail.objects.filter(pk=recent.pk).update(status="sent", sent_at=now)
    OutboxEmail.objects.filter(pk=unsent.pk).update(created_at=now - dt.timedelta(days=90))
    call_command("outbox_sweep")
    assert set(OutboxEmail.objects.values_list("pk", flat=True)) == {recent.pk, unsent.pk}
