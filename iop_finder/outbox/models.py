"""One row per e-mail that must be sent reliably (see the package docstring)."""

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class OutboxEmail(models.Model):
    class Status(models.TextChoices):
        #: Written; waiting for the worker, being sent, or waiting for its next try.
        PENDING = "pending", _("Pending")
        #: The mail server accepted it.
        SENT = "sent", _("Sent")
        #: Given up after ``max_attempts`` tries (only rows written with a limit).
        FAILED = "failed", _("Failed")

    #: What the e-mail is for, e.g. "urgent_notice"; apps find their rows by it and by ``key``.
    kind = models.CharField(_("kind"), max_length=50, db_index=True)
    #: Optional idempotency key: at most one row per key, so a replayed request never adds a
    #: second e-mail (e.g. "urgent-notice:42").
    key = models.CharField(_("key"), max_length=200, unique=True, null=True, blank=True)
    subject = models.CharField(_("subject"), max_length=300)
    body = models.TextField(_("body"))
    to = models.JSONField(_("to"), default=list)
    #: A message to a member of the public who asked not to be kept (a link they e-mailed to
    #: themselves): once the server accepted it, its address and body are blanked.
    forget_when_sent = models.BooleanField(_("forget address once sent"), default=False)
    from_email = models.CharField(_("from"), max_length=254)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    #: Send attempts so far (an attempt counts when it starts, so a crash mid-send counts too).
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    #: 0: try until sent. Otherwise give up (status FAILED) after this many attempts.
    max_attempts = models.PositiveIntegerField(_("maximum attempts"), default=0)
    #: The last error's class and SMTP code only (e.g. "SMTPRecipientsRefused"), never its
    #: message: messages can quote addresses.
    last_error = models.CharField(_("last error"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("written"), default=timezone.now, db_index=True)
    #: When the row may next be tried; moved forward while an attempt is under way (a lease).
    next_attempt_at = models.DateTimeField(_("next attempt"), default=timezone.now, db_index=True)
    last_attempt_at = models.DateTimeField(_("last attempt"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    #: Id of the last task scheduled for this row (so the sweep can tell a lost task).
    task_id = models.CharField(_("task id"), max_length=64, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("outgoing e-mail")
        verbose_name_plural = _("outgoing e-mail")
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="outbox_due_idx")]

    def __str__(self):
        return f"{self.kind} #{self.pk} ({self.status})"

    @property
    def is_failing(self) -> bool:
        """Pending after at least one failed try."""
        return self.status == self.Status.PENDING and self.attempts > 0 and bool(self.last_error)

    def is_alarm(self, now: dt.datetime | None = None) -> bool:
        """Not sent ``OUTBOX_ALARM_MINUTES`` after it was written (worker down, mail server
        refusing, or given up): staff must be told."""
        if self.status == self.Status.SENT:
            return False
        now = now or timezone.now()
        return self.created_at <= now - alarm_after()


def alarm_after() -> dt.timedelta:
    return dt.timedelta(minutes=settings.OUTBOX_ALARM_MINUTES)
