"""Delete submissions older than the retention period (minimum necessary; design.md privacy).

    python manage.py purge_submissions                  # older than SUBMISSION_RETENTION_DAYS
    python manage.py purge_submissions --older-than 90  # older than 90 days
    python manage.py purge_submissions --dry-run        # only say how many would go

Runs nobody shared with the admissions team go sooner: once their result link has expired
(``RESULT_LINK_DAYS``) nothing of them is needed (issue 10; the README's "Your result, sharing
and links" says so to the person). Notes and pipeline history go with their submission. The
audit trail stays (it holds ids and token prefixes, no personal data), and the purge itself is
recorded in it. Run it daily (cron).
"""

from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from admissions import audit
from assessment.models import Submission

BATCH_SIZE = 500


class Command(BaseCommand):
    help = "Delete submissions older than DAYS days (default: SUBMISSION_RETENTION_DAYS)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--older-than",
            type=int,
            default=None,
            metavar="DAYS",
            help="Delete submissions that arrived more than DAYS days ago "
            f"(default: SUBMISSION_RETENTION_DAYS, now {settings.SUBMISSION_RETENTION_DAYS}).",
        )
        parser.add_argument("--dry-run", action="store_true", help="Only count; delete nothing.")

    def handle(self, *args, older_than=None, dry_run=False, **options):
        days = settings.SUBMISSION_RETENTION_DAYS if older_than is None else older_than
        if days < 1:
            raise CommandError("--older-than must be at least 1 day.")
        cutoff = timezone.now() - timedelta(days=days)
        unshared = Submission.objects.unshared_past_result_life()
        old = Submission.objects.filter(Q(created_at__lt=cutoff) | Q(pk__in=unshared.values("pk")))
        if dry_run:
            count = old.count()
            self.stdout.write(
                f"Dry run: {count} submission(s) would be deleted: older than {days} days "
                f"(arrived before {cutoff:%Y-%m-%d %H:%M %Z}), or never shared and past their "
                f"result link ({settings.RESULT_LINK_DAYS} days)."
            )
            return
        deleted = 0
        while True:
            ids = list(old.order_by("pk").values_list("pk", flat=True)[:BATCH_SIZE])
            if not ids:
                break
            with transaction.atomic():
                Submission.objects.filter(pk__in=ids).delete()
            deleted += len(ids)
        audit.record(
            audit.Action.PURGED,
            changes={"deleted": deleted, "older_than_days": days, "cutoff": cutoff.isoformat()},
        )
        self.stdout.write(
            self.style.SUCCESS(
                f"Deleted {deleted} submission(s): older than {days} days "
                f"(arrived before {cutoff:%Y-%m-%d %H:%M %Z}), or never shared and past their "
                f"result link ({settings.RESULT_LINK_DAYS} days)."
            )
        )
