"""``manage.py send_follow_up_digest``: queue today's follow-up e-mail for every owner.

Run it each morning (cron or a systemd timer) or enqueue ``admissions.tasks.send_follow_up_digest``;
running it again the same day sends nothing new (one outbox key per owner per day)."""

from django.core.management.base import BaseCommand

from admissions.digest import queue_digests


class Command(BaseCommand):
    help = "Queue one e-mail per owner listing today's follow-ups (sent by the task worker)."

    def handle(self, *args, **options):
        owners = queue_digests()
        self.stdout.write(f"Follow-up digests queued for {owners} owner(s).")
