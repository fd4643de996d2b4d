"""``python manage.py seed_demo [--clear]``

Fills the directory with a clearly fictional demo directory around Louisville, Kentucky
(``programs.demo_data``, mapped by ``programs.importers.demo``). Safe to run on every start: rows
are keyed ``source="demo"`` and a stable id, and are written by the importers' one writer, so a
second run updates them and adds nothing. ``--clear`` removes every demo row.
"""

import datetime as dt

from django.core.management.base import BaseCommand
from django.db import transaction

from programs import demo
from programs.importers import writer
from programs.importers.common import ImportResult
from programs.importers.demo import SOURCE, demo_batch
from programs.models import Program, Provider


def seed(today: dt.date | None = None, progress=None) -> dict:
    """Write the demo directory; returns counts of rows created and updated."""
    batch = demo_batch(today or dt.date.today())
    result = writer.write(batch, ImportResult(source=SOURCE), progress=progress)
    demo.forget_demo_flag()
    return {"created": result.created, "updated": result.updated, "sessions": result.sessions}


def clear() -> int:
    """Delete every demo provider (with its locations, programs and sessions)."""
    with transaction.atomic():
        programs, _by_model = Program.objects.filter(source=SOURCE).delete()
        providers, _by_model = Provider.objects.filter(is_demo=True).delete()
        deleted = programs + providers
    demo.forget_demo_flag()
    return deleted


class Command(BaseCommand):
    help = "Add (or refresh) the fictional demo directory around Louisville, KY. Idempotent."

    def add_arguments(self, parser):
        parser.add_argument(
            "--clear", action="store_true", help="Remove every demo row instead of adding them."
        )

    def handle(self, *args, **options):
        if options["clear"]:
            deleted = clear()
            self.stdout.write(self.style.SUCCESS(f"Removed the demo directory ({deleted} rows)."))
            return
        counts = seed(progress=getattr(self.stdout, "_out", self.stdout))
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo directory: {counts['created']} programs created, {counts['updated']} "
                f"updated, {counts['sessions']} sessions. Every demo provider is fictional."
            )
        )
