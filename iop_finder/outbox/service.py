"""Write, send and re-schedule outbox e-mail.

Life of a row::

    enqueue_email()  ── in the caller's transaction ──>  PENDING (attempts 0)
        on commit: the task ``send_outbox_email`` is enqueued (Django Tasks API)
    deliver()        ── claims the row (conditional UPDATE, attempts + 1, a lease on
                        next_attempt_at so no second worker sends it at the same time)
        the mail server accepted it  ──>  SENT (sent_at; signal ``email_sent`` in the same
                                          transaction)
        any error                     ──>  PENDING, last_error = the error's class, next try
                                          after a backoff (30 s, 1, 2, 4, 8 min, then every
                                          10 min), the task re-enqueued to run then
                                          (or FAILED once ``max_attempts`` is reached)
    requeue_lost()   ── ``manage.py outbox_sweep``: a row still PENDING well after its next
                        try (its task was lost: process killed before commit hooks ran, worker
                        killed mid-send, queue wiped) is scheduled again; rows sent more than
                        ``OUTBOX_KEEP_SENT_DAYS`` ago are deleted (``prune_sent``).

Delivery is at least once: "sent" is written only after the server accepted the message, so a
database failure right after the send leaves the row PENDING and it is sent again later (a rare
duplicate, never a lost notice, and never "sent" when it was not).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Sequence

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from iop_finder.outbox.models import OutboxEmail
from iop_finder.outbox.signals import email_sent

logger = logging.getLogger(__name__)

Status = OutboxEmail.Status

#: Seconds to wait for the mail server when ``EMAIL_TIMEOUT`` is not set.
DEFAULT_TIMEOUT_SECONDS = 10


def enqueue_email(
    *,
    kind: str,
    subject: str,
    body: str,
    to: Sequence[str],
    key: str | None = None,
    from_email: str | None = None,
    max_attempts: int = 0,
    forget_when_sent: bool = False,
) -> OutboxEmail:
    """Write one e-mail to the outbox and schedule its sending when the transaction commits.

    Call it inside the transaction that writes the data the e-mail is about, so both are stored
    or neither is. With ``key``, at most one row is ever written for that key: a second call
    returns the first row (a replayed request never sends twice). ``max_attempts`` 0 means
    "retry until sent". With ``forget_when_sent``, the address and the body are blanked as
    soon as the mail server accepted the message, or when the row is given up (an address a
    person typed only to receive it: nobody will send it again, so nothing keeps it).
    No SMTP happens here.
    """
    # No read first: a new key (the usual case: the data it is about was just written) costs
    # one INSERT; a replayed key trips the unique index and finds the first row.
    try:
        with transaction.atomic():
            email = OutboxEmail.objects.create(
                kind=kind,
                key=key or None,
                subject=str(subject)[:300],
                body=str(body),
                to=[str(address) for address in to],
                from_email=from_email or settings.DEFAULT_FROM_EMAIL,
                max_attempts=max_attempts,
                forget_when_sent=forget_when_sent,
            )
            email_id = email.pk
            transaction.on_commit(lambda: schedule(email_id), robust=True)
    except IntegrityError:
        if not key:
            raise
        # A row for this key exists (a replay, or another request just wrote it).
        return OutboxEmail.objects.get(key=key)
    return email


def schedule(email_id: int, run_after: dt.datetime | None = None) -> str | None:
    """Enqueue the send task for one row; the task id, or None if it could not be enqueued
    (then ``outbox_sweep`` schedules it later). Never raises."""
    from iop_finder.outbox.tasks import send_outbox_email

    task = send_outbox_email
    try:
        if run_after is not None:
            if not task.get_backend().supports_defer:
                return None  # e.g. the immediate backend: the sweep retries it
            task = task.using(run_after=run_after)
        result = task.enqueue(email_id)
    except Exception as exc:
        logger.error(
            "Could not schedule outbox e-mail %s (%s); outbox_sweep will retry it",
            email_id,
            error_summary(exc),
        )
        return None
    task_id = str(result.id)[:64]
    OutboxEmail.objects.filter(pk=email_id).update(task_id=task_id)
    return task_id


def error_summary(exc: BaseException) -> str:
    """The error's class and SMTP code: never its text, which can quote addresses."""
    name = type(exc).__name__
    code = getattr(exc, "smtp_code", None)
    return f"{name} {code}"[:200] if isinstance(code, int) else name[:200]


def backoff(attempts: int) -> dt.timedelta:
    """Wait before the try after ``attempts`` failed ones: base × 2^(attempts-1), capped."""
    base = settings.OUTBOX_RETRY_BASE_SECONDS
    seconds = min(base * (2 ** max(attempts - 1, 0)), settings.OUTBOX_RETRY_MAX_SECONDS)
    return dt.timedelta(seconds=seconds)


def lease() -> dt.timedelta:
    """How long a claimed row is left alone: longer than any send can take (the SMTP timeout
    applies to each network step), so only a crashed attempt outlives it."""
    timeout = settings.EMAIL_TIMEOUT or DEFAULT_TIMEOUT_SECONDS
    return dt.timedelta(seconds=max(120, 6 * timeout))


def claim(email_id: int, now: dt.datetime) -> OutboxEmail | None:
    """The row, claimed for one attempt by this process, or None if it is not due (already sent,
    given up, being sent by another worker, or waiting for its next try)."""
    claimed = OutboxEmail.objects.filter(
        pk=email_id, status=Status.PENDING, next_attempt_at__lte=now
    ).update(next_attempt_at=now + lease(), attempts=F("attempts") + 1, last_attempt_at=now)
    if claimed != 1:
        return None
    return OutboxEmail.objects.get(pk=email_id)


def send_now(email: OutboxEmail) -> None:
    """Hand the message to the mail backend; raises unless the server accepted it."""
    connection = get_connection(timeout=settings.EMAIL_TIMEOUT or DEFAULT_TIMEOUT_SECONDS)
    message = EmailMessage(
        email.subject, email.body, email.from_email, list(email.to), connection=connection
    )
    if message.send() != 1:
        raise NotAcceptedError("the mail backend reported nothing sent")


class NotAcceptedError(Exception):
    pass


def mark_sent(email: OutboxEmail, now: dt.datetime) -> None:
    with transaction.atomic():
        forgotten = {"to": [], "body": ""} if email.forget_when_sent else {}
        updated = OutboxEmail.objects.filter(pk=email.pk, status=Status.PENDING).update(
            status=Status.SENT, sent_at=now, last_error="", **forgotten
        )
        if updated:
            email.status, email.sent_at, email.last_error = Status.SENT, now, ""
            email_sent.send(sender=OutboxEmail, email=email)


def record_failure(email: OutboxEmail, exc: BaseException, now: dt.datetime) -> str:
    summary = error_summary(exc)
    give_up = bool(email.max_attempts) and email.attempts >= email.max_attempts
    wait = backoff(email.attempts)
    forgotten = {"to": [], "body": ""} if give_up and email.forget_when_sent else {}
    OutboxEmail.objects.filter(pk=email.pk, status=Status.PENDING).update(
        status=Status.FAILED if give_up else Status.PENDING,
        last_error=summary,
        next_attempt_at=now + wait,
        **forgotten,
    )
    if give_up:
        logger.error(
            "Outbox e-mail %s (%s) given up after %d attempts: %s",
            email.pk,
            email.kind,
            email.attempts,
            summary,
        )
        return "failed"
    logger.warning(
        "Outbox e-mail %s (%s) attempt %d failed: %s; next try in %d s",
        email.pk,
        email.kind,
        email.attempts,
        summary,
        wait.total_seconds(),
    )
    schedule(email.pk, run_after=now + wait)
    return "retry"


def deliver(email_id: int) -> str:
    """One attempt at one row: "sent", "retry", "failed" (given up) or "skipped" (not due)."""
    now = timezone.now()
    email = claim(email_id, now)
    if email is None:
        return "skipped"
    try:
        send_now(email)
    except Exception as exc:
        return record_failure(email, exc, timezone.now())
    # Only now, after the server accepted it. If the database fails here the row stays
    # PENDING (its lease runs out, the sweep schedules it again): resent, never falsely "sent".
    mark_sent(email, timezone.now())
    logger.info("Outbox e-mail %s (%s) sent", email.pk, email.kind)
    return "sent"


def task_still_queued(task_id: str) -> bool:
    """True if the row's last task is still waiting in the queue (so scheduling another would
    only pile up copies while the worker is stopped)."""
    if not task_id:
        return False
    from iop_finder.outbox.tasks import send_outbox_email

    try:
        result = send_outbox_email.get_result(task_id)
    except Exception:  # not found, or a backend that keeps no results
        return False
    return str(result.status) == "READY"


def requeue_lost(now: dt.datetime | None = None) -> int:
    """Schedule again every PENDING row whose next try is more than
    ``OUTBOX_SWEEP_GRACE_SECONDS`` overdue and whose task is not waiting in the queue.
    Returns how many were scheduled. Safe to run any time, from any number of machines: a
    duplicate task finds the row claimed or sent and does nothing."""
    now = now or timezone.now()
    overdue = now - dt.timedelta(seconds=settings.OUTBOX_SWEEP_GRACE_SECONDS)
    rows = OutboxEmail.objects.filter(status=Status.PENDING, next_attempt_at__lte=overdue)
    scheduled = 0
    for email_id, task_id in rows.values_list("pk", "task_id").order_by("next_attempt_at"):
        if task_still_queued(task_id):
            continue
        if schedule(email_id) is not None:
            scheduled += 1
    return scheduled


def prune_sent(now: dt.datetime | None = None) -> int:
    """Delete rows sent more than ``OUTBOX_KEEP_SENT_DAYS`` ago (their bodies can hold links
    with tokens; the apps keep their own record of what was sent). Returns how many went."""
    now = now or timezone.now()
    cutoff = now - dt.timedelta(days=settings.OUTBOX_KEEP_SENT_DAYS)
    deleted, _ = OutboxEmail.objects.filter(status=Status.SENT, sent_at__lt=cutoff).delete()
    return deleted


def summary(now: dt.datetime | None = None) -> dict:
    """Counts for a dashboard: pending, failing (pending after a failed try), failed (given up)
    and alarm (not sent ``OUTBOX_ALARM_MINUTES`` after it was written)."""
    from iop_finder.outbox.models import alarm_after

    now = now or timezone.now()
    unsent = OutboxEmail.objects.exclude(status=Status.SENT)
    return {
        "pending": unsent.filter(status=Status.PENDING).count(),
        "failing": unsent.filter(status=Status.PENDING, attempts__gt=0)
        .exclude(last_error="")
        .count(),
        "failed": unsent.filter(status=Status.FAILED).count(),
        "alarm": unsent.filter(created_at__lte=now - alarm_after()).count(),
    }
