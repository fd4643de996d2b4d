"""The urgent notice: one email to the on-call admissions address when an urgent or EMERGENCY
submission arrives.

The email holds no personal details (no name, phone, email, ZIP code, answers or result token):
only the level, the time and a link to the submission in the admin, where staff must sign in.
Exactly one email per submission: the receiver first claims the submission with an atomic
conditional UPDATE on ``urgent_notice_sent_at``; only the call that wins the claim sends, so a
repeated request, a second signal or two app servers never send twice.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import get_connection, send_mail
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from admissions import audit
from programs.levels import LevelOfCare

logger = logging.getLogger(__name__)

#: Seconds to wait for the mail server when ``EMAIL_TIMEOUT`` is not set. The notice is sent in
#: the person's own request (after commit): a mail server that hangs must not hold their result
#: page, the crisis help on it, or the app server worker, for long.
NOTICE_TIMEOUT_SECONDS = 10


def needs_urgent_notice(submission) -> bool:
    return bool(submission.urgent) or submission.level == LevelOfCare.EMERGENCY


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


def send_urgent_notice(submission) -> bool:
    """Send the notice if this submission needs one and none was sent; True if sent now."""
    if not needs_urgent_notice(submission):
        return False
    recipient = settings.ADMISSIONS_ONCALL_EMAIL
    if not recipient:
        logger.warning(
            "Urgent submission %s arrived but ADMISSIONS_ONCALL_EMAIL is not set; no notice sent.",
            submission.pk,
        )
        return False

    from assessment.models import Submission

    now = timezone.now()
    claimed = Submission.objects.filter(
        pk=submission.pk, urgent_notice_sent_at__isnull=True
    ).update(urgent_notice_sent_at=now)
    if claimed != 1:
        return False  # another request or process already sent it
    with translation.override(settings.LANGUAGE_CODE):  # staff language, not the patient's
        subject, body = urgent_notice(submission)
    try:
        connection = get_connection(timeout=settings.EMAIL_TIMEOUT or NOTICE_TIMEOUT_SECONDS)
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [recipient], connection=connection)
    except Exception:
        # Release the claim so a retry can send it; never break the person's submission.
        Submission.objects.filter(pk=submission.pk, urgent_notice_sent_at=now).update(
            urgent_notice_sent_at=None
        )
        logger.exception("Could not send the urgent notice for submission %s", submission.pk)
        return False
    submission.urgent_notice_sent_at = now
    audit.record(audit.Action.URGENT_NOTICE, submission=submission)
    logger.info("Urgent notice sent for submission %s", submission.pk)
    return True


def on_submission_created(sender, submission, **kwargs):
    """Receiver for ``assessment.signals.submission_created`` (sent after commit, new rows only)."""
    send_urgent_notice(submission)
