"""Schedule again outbox e-mail whose task was lost, and delete e-mail sent long ago; with
``--every`` keep doing it.

Run it once a minute next to the worker (``scripts/run`` starts it; docs/deployment.md has a
systemd timer). It sends nothing itself: it only enqueues the send task for rows that are
overdue, so the worker does the sending with its usual retries.
"""

import time

from django.core.management.base import BaseCommand
from django.db import close_old_connections

from iop_finder.outbox.service import prune_sent, requeue_lost


class Command(BaseCommand):
    help = "Re-schedule outgoing e-mail whose send task was lost (once, or every N seconds)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--every",
            type=float,
            default=0,
            help="Repeat every this many seconds (default: run once and exit).",
        )

    def handle(self, *args, every=0, **options):
        while True:
            if every:  # a long-running loop: drop a connection the database has closed
                close_old_connections()
            try:
                scheduled = requeue_lost()
                pruned = prune_sent()
            except Exception as exc:  # database down: try again next round
                if not every:
                    raise
                self.stderr.write(f"outbox sweep failed: {type(exc).__name__}")
            else:
                if scheduled or pruned or options["verbosity"] > 1:
                    self.stdout.write(
                        f"outbox sweep: {scheduled} e-mail(s) scheduled again, "
                        f"{pruned} old sent e-mail(s) deleted"
                    )
            if not every:
                return
            time.sleep(every)
