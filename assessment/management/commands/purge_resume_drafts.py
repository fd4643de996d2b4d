"""Delete saved unfinished runs ("Email me a link to finish later") older than their 72 hours.

    python manage.py purge_resume_drafts

Run it with the daily purge (cron). Opened drafts hold no answers already; this removes the
rows themselves.
"""

from django.core.management.base import BaseCommand

from assessment import links


class Command(BaseCommand):
    help = "Delete saved unfinished self-assessments whose resume link has expired."

    def handle(self, *args, **options):
        deleted, _by_model = links.expired_drafts().delete()
        if options.get("verbosity", 1):
            self.stdout.write(self.style.SUCCESS(f"Deleted {deleted} expired saved run(s)."))
