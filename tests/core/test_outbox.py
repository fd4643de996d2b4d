"""The outbox (iop_finder/outbox): e-mail written in the caller's transaction, sent by the
django-tasks database worker through Django's real SMTP backend to real loopback servers, with
retries, and marked sent only after the server accepted it."""

import datetime as dt
import signal
import smtplib
import threading
import time

import pytest
from django.core.management import call_command
from django.db import OperationalError, connection, transaction
from django.utils import timezone
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from admissions import notify
from admissions.models import AuditEvent
from iop_finder import outbox
from iop_finder.outbox import service
from iop_finder.outbox.models import OutboxEmail
from iop_finder.outbox.tasks import send_outbox_email
from tests.admissions.factories import emergency
from tests.core.mailservers import HungSMTPServer, RecordingSMTPServer, free_port

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture
def smtp(settings):
    """Django's real SMTP backend, the database task backend, short retries."""
    settings.ADMISSIONS_ONCALL_EMAIL = "oncall@clinic.example"
    settings.SITE_URL = "https://iop.example.org"
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = free_port()  # nothing listens: connection refused
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_TIMEOUT = 2
    settings.TASKS = DATABASE_TASKS
    settings.OUTBOX_RETRY_BASE_SECONDS = 1
    return settings


def run_worker(max_tasks=None):
    """The django-tasks-db worker's own loop, in batch mode: run every task that is due, exit."""
    Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=max_tasks,
        worker_id="test-worker",
        excluded_queue_names=[],
    ).run()


def urgent_submission():
    """An EMERGENCY submission written as the assessment writes it: the notice's outbox row in
    the same transaction (submission_stored), the task enqueued on commit."""
    from assessment import services
    from tests.admissions.factories import make_answers

    submission, created = services.create_submission(
        f"key-{time.monotonic_ns()}", make_answers(3, suicidal=True), consent_to_store=True
    )
    assert created and submission.urgent
    return submission


def wait_until_due(email):
    email.refresh_from_db()
    pause = (email.next_attempt_at - timezone.now()).total_seconds()
    if pause > 0:
        time.sleep(pause + 0.05)


# --- the Done-when cases ------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_mail_server_down_for_a_while_then_up_sends_once_after_recovery(smtp):
    submission = urgent_submission()
    email = OutboxEmail.objects.get(key=notify.notice_key(submission.pk))
    assert DBTaskResult.objects.count() == 1  # scheduled on commit, nothing sent in the request

    run_worker()  # the server is down: the first try fails, the next is scheduled
    email.refresh_from_db()
    assert (email.status, email.attempts) == ("pending", 1)
    assert email.last_error == "ConnectionRefusedError"
    assert notify.notice_state(submission).code == "failing"

    run_worker()  # the retry is not due yet: nothing happens
    email.refresh_from_db()
    assert email.attempts == 1

    wait_until_due(email)
    run_worker()  # still down
    email.refresh_from_db()
    assert (email.status, email.attempts) == ("pending", 2)
    assert email.next_attempt_at - email.last_attempt_at >= dt.timedelta(seconds=2)  # backoff

    with RecordingSMTPServer(smtp.EMAIL_PORT) as server:
        wait_until_due(email)
        run_worker()
        assert len(server.messages) == 1
        # Nothing sends it again: another worker pass, the sweep, a replayed hook.
        run_worker()
        call_command("outbox_sweep")
        notify.queue_urgent_notice(submission)
        run_worker()
        assert len(server.messages) == 1
    message = server.messages[0]
    assert "<oncall@clinic.example>" in message["to"][0]
    assert f"/admin/assessment/submission/{submission.pk}/change/" in message["data"]
    email.refresh_from_db()
    assert (email.status, email.attempts, email.last_error) == ("sent", 3, "")
    submission.refresh_from_db()
    assert submission.urgent_notice_sent_at == email.sent_at
    assert (
        AuditEvent.objects.filter(action="urgent_notice", submission_id=submission.pk).count() == 1
    )
    assert notify.notice_state(submission).code == "sent"


def refuse_queries_when(event):
    def wrapper(execute, sql, params, many, context):
        if event.is_set():
            raise OperationalError("server closed the connection unexpectedly")
        return execute(sql, params, many, context)

    return wrapper


@pytest.mark.django_db(transaction=True)
def test_database_down_after_the_server_accepted_never_marks_it_sent_unless_sent(smtp):
    submission = urgent_submission()
    email = OutboxEmail.objects.get()
    database_down = threading.Event()
    with RecordingSMTPServer() as server:
        smtp.EMAIL_PORT = server.port
        server.before_accept = database_down.set  # the database goes away during the send
        with (
            connection.execute_wrapper(refuse_queries_when(database_down)),
            pytest.raises(OperationalError),
        ):
            send_outbox_email.call(email.pk)
        database_down.clear()  # the database is back
        assert len(server.messages) == 1

        email.refresh_from_db()
        assert email.status == "pending" and email.sent_at is None
        submission.refresh_from_db()
        assert submission.urgent_notice_sent_at is None
        assert not AuditEvent.objects.filter(action="urgent_notice").exists()

        # Its lease runs out; the sweep schedules it again and the worker sends it (at least
        # once: staff may get this notice twice, never zero times).
        OutboxEmail.objects.filter(pk=email.pk).update(
            next_attempt_at=timezone.now() - dt.timedelta(minutes=5)
        )
        DBTaskResult.objects.all().delete()
        call_command("outbox_sweep")
        run_worker()
    email.refresh_from_db()
    assert email.status == "sent" and len(server.messages) == 2
    assert AuditEvent.objects.filter(action="urgent_notice").count() == 1


@pytest.mark.django_db(transaction=True)
def test_database_down_while_the_mail_server_hangs_never_marks_it_sent(smtp):
    submission = urgent_submission()
    email = OutboxEmail.objects.get()
    smtp.EMAIL_TIMEOUT = 1
    with HungSMTPServer() as hung:
        smtp.EMAIL_PORT = hung.port
        with (
            connection.execute_wrapper(refuse_queries_when(hung.accepted)),
            pytest.raises(OperationalError),
        ):
            send_outbox_email.call(email.pk)
    email.refresh_from_db()
    assert email.status == "pending" and email.sent_at is None and email.attempts == 1
    submission.refresh_from_db()
    assert submission.urgent_notice_sent_at is None
    assert not AuditEvent.objects.filter(action="urgent_notice").exists()
    assert notify.notice_state(submission).code == "pending"


EMERGENCY_ANSWERS = {"cssrs_2": 1, "cssrs_3": 1, "cssrs_4": 1, "cssrs_5": 1}


@pytest.mark.django_db(transaction=True)
def test_crisis_and_the_final_post_answer_quickly_while_the_mail_server_hangs(client, smtp):
    """The final POST of an EMERGENCY assessment only writes rows (no SMTP in the request); while
    the worker is stuck on a hung mail server, /crisis/ answers at once."""
    from django.core.cache import cache

    from tests.assessment.conftest import STEP_IDS, run_journey, step_post, step_url

    cache.clear()
    smtp.EMAIL_TIMEOUT = 5
    with HungSMTPServer() as hung:
        smtp.EMAIL_PORT = hung.port
        run_journey(client, EMERGENCY_ANSWERS, until=STEP_IDS[-2])
        started = time.monotonic()
        final = client.post(step_url(STEP_IDS[-1]), step_post(STEP_IDS[-1]))
        final_seconds = time.monotonic() - started
        assert final.status_code == 302 and "/assessment/r/" in final["Location"]
        assert not hung.accepted.is_set()  # the request never talked to the mail server

        def work():
            try:
                run_worker(max_tasks=1)
            finally:
                connection.close()

        worker = threading.Thread(target=work)
        worker.start()
        assert hung.accepted.wait(10), "the worker did not try the mail server"
        started = time.monotonic()
        crisis = client.get("/crisis/")
        crisis_seconds = time.monotonic() - started
        assert crisis.status_code == 200 and 'href="tel:988"' in crisis.content.decode()
        assert worker.is_alive(), "the worker should still be waiting on the hung server"
        worker.join(timeout=30)
    assert final_seconds < 2.5, f"final POST took {final_seconds:.2f} s"
    assert crisis_seconds < 1.0, f"/crisis/ took {crisis_seconds:.2f} s"
    email = OutboxEmail.objects.get()
    assert (email.status, email.attempts) == ("pending", 1)
    assert email.last_error in {"TimeoutError", "SMTPServerDisconnected"}


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
