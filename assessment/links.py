"""Signed, expiring links the person can e-mail to themselves (issue 10): "Email me a link".

Two purposes, each with its own salt, so a link made for one can never be used as the other:

* **resume** (``RESUME_LINK_HOURS``, 72 h): finish an unfinished run on any device. The wizard's
  state is saved in a :class:`~assessment.models.ResumeDraft` row; the link carries only the
  signed random key of that row (no answer ever travels in a URL).
* **result** (``settings.RESULT_LINK_DAYS``): open the result page again.

The e-mail is written to the outbox in the caller's transaction and sent by the task worker,
never in the request. The address is used to send it and kept nowhere else (the outbox row holds
it until the message is sent, as for every e-mail).

A resume link works once per device session: the first open copies the saved answers into that
browser's session, empties the saved row and remembers the row's key in the session. Opening the
same link again in the same browser session just continues there; any other browser (or the
same one after it was closed) is refused kindly (410), as is any link after 72 hours.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from assessment.models import ResumeDraft, Submission
from iop_finder.outbox import enqueue_email

RESUME_SALT = "assessment.links.resume"
RESULT_SALT = "assessment.links.result"
RESUME_LINK_HOURS = 72
#: Session key: the drafts this browser session has opened (it may open them again).
OPENED_KEY = "assessment_resumed"


def resume_link_hours() -> int:
    """How many hours a resume link works (``RESUME_LINK_HOURS``, 72 by default)."""
    return int(getattr(settings, "RESUME_LINK_HOURS", RESUME_LINK_HOURS))


def resume_max_age() -> timedelta:
    return timedelta(hours=resume_link_hours())


def result_max_age() -> timedelta:
    return timedelta(days=settings.RESULT_LINK_DAYS)


def sign(value: str, salt: str) -> str:
    return signing.dumps(value, salt=salt, compress=False)


def unsign(signed: str, salt: str, max_age: timedelta) -> str | None:
    """The value inside ``signed``, or None if it was altered, made for another purpose or is
    older than ``max_age``."""
    try:
        value = signing.loads(signed, salt=salt, max_age=max_age)
    except signing.BadSignature:  # SignatureExpired is a BadSignature
        return None
    return value if isinstance(value, str) else None


# -- resume ----------------------------------------------------------------------------------


def save_draft(state: dict, step_id: str) -> ResumeDraft:
    return ResumeDraft.objects.create(state=state, step=step_id)


def resume_url(draft: ResumeDraft) -> str:
    return reverse("assessment:resume", args=[sign(draft.key, RESUME_SALT)])


class DraftRefused(Exception):
    """The link is altered, expired, or was already opened in another browser session."""


def may_open(signed: str, session) -> bool:
    """Whether :func:`open_draft` would accept this link now (reads, changes nothing)."""
    key = unsign(signed, RESUME_SALT, resume_max_age())
    if key is None:
        return False
    if key in (session.get(OPENED_KEY) or []):
        return True
    return ResumeDraft.objects.filter(
        key=key, used_at__isnull=True, created_at__gt=timezone.now() - resume_max_age()
    ).exists()


def open_draft(signed: str, session) -> ResumeDraft | None:
    """The draft a resume link points at, claimed for this browser session.

    Returns the draft with its saved state the first time (the row is emptied and marked used
    in the same transaction), None when this session already opened it (continue where it is),
    and raises :class:`DraftRefused` otherwise.
    """
    key = unsign(signed, RESUME_SALT, resume_max_age())
    if key is None:
        raise DraftRefused
    if key in (session.get(OPENED_KEY) or []):
        return None
    with transaction.atomic():
        draft = ResumeDraft.objects.select_for_update().filter(key=key).first()
        if draft is None or draft.used_at is not None:
            raise DraftRefused
        if timezone.now() >= draft.created_at + resume_max_age():
            raise DraftRefused
        claimed = ResumeDraft(pk=draft.pk, key=draft.key, state=draft.state, step=draft.step)
        draft.used_at = timezone.now()
        draft.state = {}
        draft.save(update_fields=["used_at", "state"])
    session[OPENED_KEY] = [*(session.get(OPENED_KEY) or []), key][-10:]
    return claimed


def expired_drafts():
    """Drafts past their lifetime (opened or not): ``purge_resume_drafts`` deletes them."""
    return ResumeDraft.objects.filter(created_at__lt=timezone.now() - resume_max_age())


# -- result ----------------------------------------------------------------------------------


def result_link_url(submission: Submission) -> str:
    return reverse("assessment:result_link", args=[sign(submission.token, RESULT_SALT)])


def submission_for_link(signed: str) -> Submission | None:
    token = unsign(signed, RESULT_SALT, result_max_age())
    if token is None:
        return None
    return Submission.objects.filter(token=token).first()


# -- the e-mails -----------------------------------------------------------------------------


def _body(intro: str, url: str, lifetime: str) -> str:
    return "\n\n".join(
        [
            intro,
            url,
            lifetime,
            _(
                "Anyone who has this link can open it, so keep this e-mail private. "
                "If you did not ask for it, you can delete it."
            ),
            _("If you need help right now, call or text 988. If you are in danger, call 911."),
        ]
    )


def _email_link(kind: str, subject, address: str, intro, absolute_url: str, lifetime) -> None:
    """One "Email me a link" message to the outbox; the address is used to send and not kept
    (the page says so): the outbox blanks it once the mail server has accepted the message."""
    enqueue_email(
        kind=kind,
        subject=subject,
        body=_body(intro, absolute_url, lifetime),
        to=[address],
        forget_when_sent=True,
    )


def email_resume_link(address: str, absolute_url: str) -> None:
    """Write the resume e-mail to the outbox (call inside the transaction that saved the
    draft)."""
    _email_link(
        "assessment_resume_link",
        _("Your link to finish the self-assessment"),
        address,
        _("Here is your link to finish the self-assessment where you left off:"),
        absolute_url,
        _("The link works once, for %(hours)d hours.") % {"hours": resume_link_hours()},
    )


def email_result_link(address: str, absolute_url: str) -> None:
    _email_link(
        "assessment_result_link",
        _("Your self-assessment result"),
        address,
        _("Here is your link to see your self-assessment result again:"),
        absolute_url,
        _("The link works for %(days)d days.") % {"days": settings.RESULT_LINK_DAYS},
    )
