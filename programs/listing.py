"""Keeping listings current: update links for listing contacts, their changes, the editors'
review, and problem reports from the public. The one writer of these rows.

A link is a signed token (``django.core.signing``, salt :data:`SALT`) naming one
:class:`~programs.models.ListingLink` row, its program and a random nonce. It works for that
program only, until it is used once, revoked or ``LISTING_LINK_DAYS`` old. It is e-mailed
through the outbox in the transaction that makes the row, never sent inside the request.
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.db.models import Count
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from iop_finder.outbox import enqueue_email
from programs import freshness
from programs.models import ListingChange, ListingLink, ListingReport, Program, Session

SALT = "programs.listing-link"
#: Applied at once when a listing contact changes them.
AVAILABILITY_FIELDS = ("accepting_new_patients", "next_intake", "wait_days")
#: Applied only when a directory editor approves them.
REVIEWED_FIELDS = ("sessions", "payment", "insurers", "intake_phone")


# ---- links ------------------------------------------------------------------------------------


def link_token(link: ListingLink) -> str:
    return signing.dumps({"l": link.pk, "p": link.program_id, "n": link.nonce}, salt=SALT)


def link_path(link: ListingLink) -> str:
    return reverse("programs:listing_update", args=[link.program.slug, link_token(link)])


def last_request(program: Program) -> ListingLink | None:
    return program.listing_links.order_by("-created_at").first()


def requested_lately(program: Program, now: dt.datetime) -> bool:
    """A link (not revoked) went to this program within :data:`REQUEST_INTERVAL_DAYS`."""
    since = now - dt.timedelta(days=freshness.REQUEST_INTERVAL_DAYS)
    return program.listing_links.filter(created_at__gte=since, revoked_at__isnull=True).exists()


class CannotSend(Exception):
    """Why no link was sent (the message is for the editor)."""


def send_link(program: Program, by: str, now=None) -> ListingLink:
    """Make a link for ``program`` and e-mail it to its listing contact, in one transaction.
    The link starts with ``SITE_URL`` (never the request's Host header).

    Raises :class:`CannotSend` without a contact e-mail or when one was sent this week."""
    now = now or timezone.now()
    if not program.listing_email:
        raise CannotSend(_("%(program)s has no listing contact e-mail.") % {"program": program})
    if requested_lately(program, now):
        raise CannotSend(
            _("%(program)s was sent a link in the last %(days)s days.")
            % {"program": program, "days": freshness.REQUEST_INTERVAL_DAYS}
        )
    with transaction.atomic():
        link = ListingLink.objects.create(
            program=program,
            sent_to=program.listing_email,
            nonce=secrets.token_hex(16),
            created_at=now,
            created_by=by[:150],
            expires_at=now + dt.timedelta(days=freshness.link_days()),
        )
        context = {
            "program": program,
            "url": settings.SITE_URL.rstrip("/") + link_path(link),
            "days": freshness.link_days(),
        }
        enqueue_email(
            kind="listing_update_link",
            key=f"listing-link:{link.pk}",
            subject=_("Please check your listing: %(program)s") % {"program": program.name},
            body=render_to_string("programs/email/listing_link.txt", context),
            to=[link.sent_to],
        )
    return link


def revoke(links) -> int:
    """Revoke unused links; returns how many."""
    return links.filter(used_at__isnull=True, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )


class LinkUsed(Exception):
    """The link was used (or revoked) while the form was open."""


@dataclass
class LinkCheck:
    link: ListingLink | None
    problem: str = ""  # "", "invalid", "expired", "used", "revoked"


def check_link(program: Program, token: str, now=None) -> LinkCheck:
    """Whether ``token`` opens ``program``'s update page now."""
    now = now or timezone.now()
    try:
        data = signing.loads(token, salt=SALT, max_age=dt.timedelta(days=freshness.link_days()))
    except signing.SignatureExpired:
        return LinkCheck(None, "expired")
    except signing.BadSignature:
        return LinkCheck(None, "invalid")
    if not isinstance(data, dict):
        return LinkCheck(None, "invalid")
    link = ListingLink.objects.filter(pk=data.get("l"), program=program).first()
    if link is None or data.get("p") != program.pk or data.get("n") != link.nonce:
        return LinkCheck(None, "invalid")
    if link.revoked_at is not None:
        return LinkCheck(link, "revoked")
    if link.used_at is not None:
        return LinkCheck(link, "used")
    if link.expires_at <= now:
        return LinkCheck(link, "expired")
    return LinkCheck(link)


# ---- what the listing contact sends ----------------------------------------------------------


def session_lines(program: Program) -> list[freshness.SessionLine]:
    return [
        freshness.SessionLine(s.weekday, s.start, s.end, s.track)
        for s in program.sessions.order_by("weekday", "start")
    ]


def current_values(program: Program) -> dict:
    """The fields a listing contact can change, as plain JSON-friendly values."""
    return {
        "accepting_new_patients": program.accepting_new_patients,
        "next_intake": program.next_intake.isoformat() if program.next_intake else None,
        "wait_days": program.wait_days,
        "sessions": freshness.schedule_text(session_lines(program)),
        "payment": list(program.payment),
        "insurers": program.insurers,
        "intake_phone": program.intake_phone,
    }


def submit_update(link: ListingLink, values: dict, now=None) -> tuple[dict, dict]:
    """Apply what a listing contact sent through ``link``: availability at once, the rest to
    the review list; stamp "last verified"; use up the link. Returns (applied, pending)."""
    now = now or timezone.now()
    who = _("listing contact %(email)s") % {"email": link.sent_to}
    with transaction.atomic():
        # Use the link up first: of two posts racing on one link, only one gets past here.
        if not ListingLink.objects.filter(
            pk=link.pk, used_at__isnull=True, revoked_at__isnull=True
        ).update(used_at=now):
            raise LinkUsed
        program = Program.objects.select_for_update().get(pk=link.program_id)
        changed = freshness.diff(current_values(program), values)
        applied = {k: v for k, v in changed.items() if k in AVAILABILITY_FIELDS}
        pending = {k: v for k, v in changed.items() if k in REVIEWED_FIELDS}
        for name, (_old, new) in applied.items():
            setattr(program, name, _from_json(name, new))
        program.last_verified = timezone.localdate(now)
        program.last_verified_by = who[:254]
        program.save()
        status = ListingChange.Status.APPLIED if applied else ListingChange.Status.CONFIRMED
        ListingChange.objects.create(
            program=program, link=link, submitted_by=who, changes=applied, status=status
        )
        if pending:
            ListingChange.objects.create(
                program=program,
                link=link,
                submitted_by=who,
                changes=pending,
                status=ListingChange.Status.PENDING,
            )
    link.used_at = now
    return applied, pending


def _from_json(name: str, value):
    if name == "next_intake" and value:
        return dt.date.fromisoformat(value)
    return value


# ---- the editors' review ---------------------------------------------------------------------


def decide(change: ListingChange, approve: bool, user, now=None) -> bool:
    """Approve (apply) or refuse a pending change, recording who and when. False when the
    change was not pending."""
    now = now or timezone.now()
    with transaction.atomic():
        updated = ListingChange.objects.filter(
            pk=change.pk, status=ListingChange.Status.PENDING
        ).update(
            status=ListingChange.Status.APPROVED if approve else ListingChange.Status.REFUSED,
            decided_by=user,
            decided_at=now,
        )
        if updated and approve:
            _apply(Program.objects.select_for_update().get(pk=change.program_id), change.changes)
    return bool(updated)


def _apply(program: Program, changes: dict) -> None:
    for name, (_old, new) in changes.items():
        if name == "sessions":
            lines, _errors = freshness.parse_schedule(new or "")
            program.sessions.all().delete()
            Session.objects.bulk_create(
                Session(program=program, weekday=s.weekday, start=s.start, end=s.end, track=s.track)
                for s in lines
            )
        elif name in REVIEWED_FIELDS:
            setattr(program, name, new)
    program.save()


# ---- problem reports -------------------------------------------------------------------------


def report_problem(program: Program, kind: str, details: str = "", email: str = ""):
    """Store a report and mark the listing when enough open reports agree."""
    with transaction.atomic():
        report = ListingReport.objects.create(
            program=program, kind=kind, details=details[:1000], email=email
        )
        refresh_reported(program)
    return report


def decide_reports(reports, status: str, user, now=None) -> int:
    """Mark open reports fixed or not a problem; their programs' marks are worked out again."""
    now = now or timezone.now()
    with transaction.atomic():
        program_ids = set(reports.values_list("program_id", flat=True))
        count = reports.filter(status=ListingReport.Status.NEW).update(
            status=status, decided_by=user, decided_at=now
        )
        for program in Program.objects.filter(pk__in=program_ids):
            refresh_reported(program)
    return count


def refresh_reported(program: Program) -> None:
    """Set or clear "reported: may be out of date" from the program's open reports."""
    counts = dict(
        program.reports.filter(status=ListingReport.Status.NEW)
        .values_list("kind")
        .annotate(n=Count("pk"))
        .values_list("kind", "n")
    )
    kind = freshness.flagged_kind(counts)
    if kind != program.reported_kind:
        # updated_at too: the mark shows on cards and the program page (programs.snapshot).
        Program.objects.filter(pk=program.pk).update(reported_kind=kind, updated_at=timezone.now())
        program.reported_kind = kind
