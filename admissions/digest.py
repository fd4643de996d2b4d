"""The follow-up digest: one e-mail per owner with that day's follow-ups, through the outbox.

:func:`queue_digests` writes one outbox row per owner who has open follow-ups due today (or
overdue), keyed ``follow-up-digest:<owner id>:<date>`` so that running it twice on a day (the
command from cron, the task from the worker) never sends a second e-mail. The worker sends
them. The e-mail lists references, times and links only: no names, phone numbers or reasons
(the reason is free text and may hold personal details).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from admissions import pipeline
from admissions.models import Case
from iop_finder import outbox

KIND = "follow_up_digest"


def digest_key(owner_id: int, day: dt.date) -> str:
    return f"follow-up-digest:{owner_id}:{day.isoformat()}"


def due_today(now: dt.datetime) -> dict[int, list[Case]]:
    """Open cases with a follow-up before the end of today, by owner (one query)."""
    cases = (
        Case.objects.filter(
            owner__isnull=False,
            owner__is_active=True,
            open_follow_up_at__lt=pipeline.end_of_today(now),
        )
        .select_related("submission")
        .only("submission__token", "owner_id", "open_follow_up_at", "priority")
        .order_by("open_follow_up_at")
    )
    by_owner: dict[int, list[Case]] = defaultdict(list)
    for case in cases:
        by_owner[case.owner_id].append(case)
    return by_owner


def digest_text(cases: list[Case], now: dt.datetime) -> tuple[str, str]:
    day = timezone.localdate(now)
    subject = ngettext(
        "[IOP Finder] %(count)d follow-up for %(day)s",
        "[IOP Finder] %(count)d follow-ups for %(day)s",
        len(cases),
    ) % {"count": len(cases), "day": day.strftime("%b %d")}
    lines = [_("Your follow-ups for today (times in %(zone)s):") % {"zone": now.strftime("%Z")}]
    for case in cases:
        when = timezone.localtime(case.open_follow_up_at)
        late = _(" (overdue)") if case.open_follow_up_at < now else ""
        path = reverse("admin:assessment_submission_change", args=[case.pk])
        lines.append(
            f"- {when:%b %d %H:%M}{late} · {case.submission.token[:8]} · {settings.SITE_URL}{path}"
        )
    lines += ["", _("Staff sign-in required. Do not forward this e-mail.")]
    return subject, "\n".join(lines)


def queue_digests(now: dt.datetime | None = None) -> int:
    """Write today's digest for every owner who has follow-ups (idempotent per owner per day).
    Returns the number of owners with a digest."""
    now = timezone.localtime(now or timezone.now())
    by_owner = due_today(now)
    owners = get_user_model().objects.in_bulk(list(by_owner))
    with transaction.atomic(), translation.override(settings.LANGUAGE_CODE):
        for owner_id, cases in by_owner.items():
            owner = owners.get(owner_id)
            if owner is None or not owner.email:
                continue
            subject, body = digest_text(cases, now)
            outbox.enqueue_email(
                kind=KIND,
                key=digest_key(owner_id, timezone.localdate(now)),
                subject=subject,
                body=body,
                to=[owner.email],
            )
    return len(by_owner)
