"""The urgent notice: one email to the on-call admissions address when an urgent or EMERGENCY
submission arrives, through the outbox so it cannot be lost.

``on_submission_shared`` runs inside the transaction in which the person shares the run with
the admissions team (``assessment.signals.submission_shared``; a run never shared sends no
notice) and writes the notice as an outbox row (``iop_finder.outbox``): both are stored or
neither is. The worker (``manage.py db_worker``)
sends it outside any patient request, retries with backoff while the mail server is away, and
marks it sent only after the server accepted it; then ``on_email_sent`` stamps
``Case.urgent_notice_sent_at`` and writes the "Urgent notice emailed" audit row in the same
transaction. Exactly one row per submission (the outbox key), so a replayed submit never sends
a second notice.

The email holds no personal details (no name, phone, email, ZIP code, answers or result token):
only the level, the time and a link to the submission in the admin, where staff must sign in.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from admissions import audit
from iop_finder import outbox
from programs.levels import LevelOfCare

logger = logging.getLogger(__name__)

#: The outbox ``kind`` of the urgent notice.
KIND = "urgent_notice"


def needs_urgent_notice(submission) -> bool:
    return bool(submission.urgent) or submission.level == LevelOfCare.EMERGENCY


def notice_key(submission_id) -> str:
    """The outbox key: one urgent notice per submission, ever."""
    return f"urgent-notice:{submission_id}"


def submission_id_from_key(key: str) -> int | None:
    prefix = notice_key("")
    if not key or not key.startswith(prefix):
        return None
    try:
        return int(key[len(prefix) :])
    except ValueError:
        return None


def admin_link(submission) -> str:
    """The absolute admin URL of the submission (by primary key, never by token)."""
    path = reverse("admin:assessment_submission_change", args=[submission.pk])
    return f"{settings.SITE_URL}{path}"


def urgent_notice(submission) -> tuple[str, str]:
    """Subject and body of the notice. Only level, urgency, time and link: nothing personal."""
    is_emergency = submission.level == LevelOfCare.EMERGENCY
    kind = _("EMERGENCY") if is_emergency else _("Urgent")
    level = submission.get_level_display()
    arrived = timezone.localtime(submission.created_at).strftime("%Y-%m-%d %H:%M %Z")
    subject = _("[IOP Finder] %(kind)s self-assessment waiting") % {"kind": kind}
    lines = [
        _("An %(kind)s self-assessment has arrived and is waiting in the admissions queue.")
        % {"kind": kind.lower() if not is_emergency else kind},
        "",
        _("Recommended level: %(level)s") % {"level": level},
        _("Arrived: %(time)s") % {"time": arrived},
        "",
        _("Open it (staff sign-in required):"),
        admin_link(submission),
        "",
        _(
            "This message deliberately contains no personal details. Do not forward it outside "
            "the admissions team."
        ),
    ]
    return subject, "\n".join(lines)


def queue_urgent_notice(submission):
    """Write the notice to the outbox if this submission needs one; the outbox row, or None.

    Call inside the transaction that writes the submission. No network I/O: the worker sends it.
    """
    if not needs_urgent_notice(submission):
        return None
    recipient = settings.ADMISSIONS_ONCALL_EMAIL
    if not recipient:
        logger.warning(
            "Urgent submission %s arrived but ADMISSIONS_ONCALL_EMAIL is not set; no notice sent.",
            submission.pk,
        )
        return None
    with translation.override(settings.LANGUAGE_CODE):  # staff language, not the patient's
        subject, body = urgent_notice(submission)
    return outbox.enqueue_email(
        kind=KIND, key=notice_key(submission.pk), subject=subject, body=body, to=[recipient]
    )


def on_submission_shared(sender, submission, **kwargs):
    """Receiver for ``assessment.signals.submission_shared`` (inside the sharing transaction;
    the outbox key keeps it to one notice per submission)."""
    queue_urgent_notice(submission)


def on_email_sent(sender, email, **kwargs):
    """Receiver for ``iop_finder.outbox.signals.email_sent``: the notice reached the mail server.
    Runs in the transaction that marks the outbox row sent."""
    if email.kind != KIND:
        return
    from admissions.models import Case
    from assessment.models import Submission

    submission_id = submission_id_from_key(email.key or "")
    submission = Submission.objects.filter(pk=submission_id).only("pk", "token").first()
    if submission is None:
        return  # purged meanwhile
    # The case was opened by the share that wrote the notice.
    Case.objects.filter(pk=submission.pk).update(urgent_notice_sent_at=email.sent_at)
    audit.record(audit.Action.URGENT_NOTICE, submission=submission)


# ------------------------------------------------------------------------------------------------
# What staff see
# ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class NoticeState:
    """The urgent notice of one submission, in words for the staff page."""

    code: str  # "sent", "pending", "failing", "failed", "not_configured"
    label: str
    detail: str
    alarm: bool


NOT_NEEDED = None

STATE_LABELS = {
    "sent": gettext_lazy("Urgent notice sent"),
    "pending": gettext_lazy("Urgent notice waiting to be sent"),
    "failing": gettext_lazy("Urgent notice not sent yet: the mail server is failing"),
    "failed": gettext_lazy("Urgent notice could not be sent"),
    "missing": gettext_lazy("No urgent notice was written"),
}


def sent_at_of(submission):
    """When the mail server accepted the notice (``Case.urgent_notice_sent_at``), or None."""
    from admissions.models import Case

    try:
        return submission.case.urgent_notice_sent_at
    except (Case.DoesNotExist, AttributeError):
        return None


def notice_state(submission, now=None) -> NoticeState | None:
    """The notice's state for the submission page, or None for a routine submission."""
    if not needs_urgent_notice(submission):
        return NOT_NEEDED
    email = outbox.email_for_key(notice_key(submission.pk))
    sent_at = sent_at_of(submission)
    if email is None and sent_at:  # sent before the outbox existed
        when = timezone.localtime(sent_at).strftime("%Y-%m-%d %H:%M %Z")
        detail = _("Accepted by the mail server at %(time)s.") % {"time": when}
        return NoticeState("sent", str(STATE_LABELS["sent"]), detail, alarm=False)
    if email is None:
        detail = _(
            "The on-call address was not set when it arrived. Make sure someone has seen it."
        )
        return NoticeState("missing", str(STATE_LABELS["missing"]), detail, alarm=True)
    alarm = email.is_alarm(now)
    if email.status == email.Status.SENT:
        when = timezone.localtime(email.sent_at).strftime("%Y-%m-%d %H:%M %Z")
        detail = _("Accepted by the mail server at %(time)s.") % {"time": when}
        return NoticeState("sent", str(STATE_LABELS["sent"]), detail, alarm=False)
    tries = ngettext(
        "%(count)d try so far; last error: %(error)s.",
        "%(count)d tries so far; last error: %(error)s.",
        email.attempts,
    ) % {"count": email.attempts, "error": email.last_error or "—"}
    if email.status == email.Status.FAILED:
        return NoticeState("failed", str(STATE_LABELS["failed"]), tries, alarm=True)
    if email.is_failing:
        return NoticeState("failing", str(STATE_LABELS["failing"]), tries, alarm=alarm)
    detail = _("Written to the outbox; the background worker sends it.")
    return NoticeState("pending", str(STATE_LABELS["pending"]), detail, alarm=alarm)
