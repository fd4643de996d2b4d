"""``python manage.py import_programs PATH --format samhsa|hsds``

Imports a SAMHSA treatment locator JSON file or an Open Referral HSDS tabular data package
(a directory of CSV files, HSDS 1.x or 3.0) into the directory. One transaction per file or
package: a file that cannot be read changes nothing and the command exits with an error.
Re-running it updates the same rows instead of adding new ones.
"""

import datetime as dt
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from programs.importers import hsds, samhsa
from programs.importers.common import ImportFileError


class Command(BaseCommand):
    help = (
        "Import programs from a SAMHSA treatment locator JSON file (--format samhsa) or an "
        "Open Referral HSDS data package directory (--format hsds). Re-imports update rows."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "path",
            help="A locator .json file or wide .csv export (samhsa), or a folder of CSVs (hsds).",
        )
        parser.add_argument(
            "--format",
            choices=["samhsa", "hsds"],
            help="The input format; guessed from PATH when left out (directory: hsds).",
        )
        parser.add_argument(
            "--source",
            help='HSDS only: the source name to key rows on (default: "hsds:<package name>").',
        )
        parser.add_argument(
            "--source-date",
            type=dt.date.fromisoformat,
            help="The date of the data (YYYY-MM-DD), shown with each listing. Default: a date "
            "in the file or folder name, or datapackage.json's last_modified/created.",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Check and report everything, then roll back: nothing is saved.",
        )

    def handle(self, *args, **options):
        path = Path(options["path"])
        if not path.exists():
            raise CommandError(f"{path}: no such file or directory")
        kind = options["format"] or ("hsds" if path.is_dir() else "samhsa")
        # The progress display writes to the raw stream (a line rewritten in place on a terminal).
        progress = getattr(self.stdout, "_out", self.stdout)
        date = options.get("source_date")
        try:
            if kind == "samhsa":
                if path.is_dir():
                    raise CommandError(f"{path} is a directory; --format samhsa needs a JSON file")
                result = samhsa.import_file(
                    path, dry_run=options["dry_run"], progress=progress, date=date
                )
            else:
                if not path.is_dir():
                    raise CommandError(
                        f"{path} is not a directory; --format hsds needs a data package folder"
                    )
                result = hsds.import_package(
                    path,
                    source=options["source"],
                    dry_run=options["dry_run"],
                    progress=progress,
                    date=date,
                )
        except ImportFileError as error:
            raise CommandError(f"Nothing was imported. {error}") from error

        verbosity = options["verbosity"]
        for problem in result.problems:
            if problem.kind != "warning" or verbosity >= 2:
                self.stdout.write(str(problem))
        warnings = sum(1 for problem in result.problems if problem.kind == "warning")
        if warnings and verbosity < 2:
            self.stdout.write(f"{warnings} warnings (show them with --verbosity 2).")
        prefix = "DRY RUN, nothing saved. " if options["dry_run"] else ""
        self.stdout.write(self.style.SUCCESS(prefix + result.summary()))
        if result.analyze_note():
            self.stdout.write(result.analyze_note())
        return None
