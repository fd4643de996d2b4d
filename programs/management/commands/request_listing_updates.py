"""``python manage.py request_listing_updates --older-than DAYS [--dry-run]``

E-mails every active program whose listing was last confirmed more than DAYS days ago (or never)
a private link to confirm or update it, through the outbox (the task worker sends them). A
program is sent at most one link a week, and only when it has a listing contact e-mail. With
``--dry-run`` nothing is written: the command only says which programs would get a link.
"""

from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q
from django.utils import timezone

from programs import freshness, listing
from programs.models import Program


def due_programs(older_than_days: int, now: dt.datetime):
    """Active programs with a contact, not confirmed for ``older_than_days``, and not sent a
    link (that was not revoked) in the last week."""
    cutoff = timezone.localdate(now) - dt.timedelta(days=older_than_days)
    week_ago = now - dt.timedelta(days=freshness.REQUEST_INTERVAL_DAYS)
    return (
        Program.objects.filter(is_active=True)
        .exclude(listing_email="")
        .filter(Q(last_verified__isnull=True) | Q(last_verified__lt=cutoff))
        .exclude(
            pk__in=Program.objects.filter(
                listing_links__created_at__gte=week_ago,
                listing_links__revoked_at__isnull=True,
            ).values("pk")
        )
        .order_by("pk")
    )


class Command(BaseCommand):
    help = "Send listing contacts a link to confirm listings older than DAYS (once a week at most)."

    def add_arguments(self, parser):
        parser.add_argument("--older-than", type=int, required=True, metavar="DAYS")
        parser.add_argument("--dry-run", action="store_true")

    def handle(self, *args, older_than, dry_run, **options):
        if older_than < 0:
            raise CommandError("--older-than takes a number of days, 0 or more.")
        now = timezone.now()
        due = list(due_programs(older_than, now))
        sent = 0
        for program in due:
            if dry_run:
                self.stdout.write(f"would send: {program.pk} {program.name}")
                continue
            try:
                listing.send_link(program, by="request_listing_updates", now=now)
            except listing.CannotSend as reason:  # a link went out since the query
                self.stdout.write(f"skipped: {program.pk} {reason}")
            else:
                sent += 1
        if dry_run:
            self.stdout.write(f"{len(due)} program(s) would be sent a link (dry run).")
        else:
            self.stdout.write(f"{sent} link(s) written to the outbox.")
