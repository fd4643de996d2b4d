"""Issue 11 item 2, the attack-review cases: an urgent notice survives a mail server that is
down for a while, a database that fails during the send, and a hung mail server never slows a
patient page. Real loopback mail servers, Django's real SMTP backend, the django-tasks-db worker.
The outbox's other rules are tested in tests/core/test_outbox.py."""

import datetime as dt
import threading
import time

import pytest
from django.core.management import call_command
from django.db import OperationalError, connection
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from admissions import notify
from admissions.models import AuditEvent, Case
from iop_finder.outbox.models import OutboxEmail
from iop_finder.outbox.tasks import send_outbox_email
from tests.core.mailservers import (
    HungSMTPServer,
    RecordingSMTPServer,
    run_worker,
    urgent_submission,
    use_real_smtp,
    wait_until_due,
)


@pytest.fixture
def smtp(settings):
    return use_real_smtp(settings)


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
    assert Case.objects.get(pk=submission.pk).urgent_notice_sent_at == email.sent_at
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
        assert Case.objects.get(pk=submission.pk).urgent_notice_sent_at is None
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
    assert Case.objects.get(pk=submission.pk).urgent_notice_sent_at is None
    assert not AuditEvent.objects.filter(action="urgent_notice").exists()
    assert notify.notice_state(submission).code == "pending"


EMERGENCY_ANSWERS = {"cssrs_2": 1, "cssrs_3": 1, "cssrs_4": 1, "cssrs_5": 1}


@pytest.mark.django_db(transaction=True)
def test_crisis_and_the_final_post_answer_quickly_while_the_mail_server_hangs(client, smtp):
    """The final POST of an EMERGENCY assessment and the share that writes the urgent notice only
    write rows (no SMTP in the request); while the worker is stuck on a hung mail server,
    /crisis/ answers at once."""
    from django.core.cache import cache

    from tests.support.wizard_walk import post_data, step_url, walk

    cache.clear()
    smtp.EMAIL_TIMEOUT = 5
    with HungSMTPServer() as hung:
        smtp.EMAIL_PORT = hung.port
        walk(client, EMERGENCY_ANSWERS, until="review")
        review = post_data(client, "review")
        started = time.monotonic()
        final = client.post(step_url("review"), review)
        final_seconds = time.monotonic() - started
        assert final.status_code == 302 and "/assessment/r/" in final["Location"]
        started = time.monotonic()
        shared = client.post(
            final["Location"].rstrip("/") + "/call-back/",
            {"contact_phone": "502-555-0142", "contact_consent": "on"},
        )
        share_seconds = time.monotonic() - started
        assert shared.status_code == 302, shared.content.decode()[:2000]
        assert not hung.accepted.is_set()  # no request talked to the mail server

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
    assert share_seconds < 2.5, f"sharing took {share_seconds:.2f} s"
    assert crisis_seconds < 1.0, f"/crisis/ took {crisis_seconds:.2f} s"
    email = OutboxEmail.objects.get()
    assert (email.status, email.attempts) == ("pending", 1)
    assert email.last_error in {"TimeoutError", "SMTPServerDisconnected"}
