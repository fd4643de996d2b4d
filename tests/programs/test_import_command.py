"""The ``import_programs`` command: format detection, dry runs and clear errors."""

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from programs.models import Location, Program, Provider

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "samhsa_locator_sample.json"


def call(*args):
    out = StringIO()
    call_command("import_programs", *map(str, args), stdout=out)
    return out.getvalue()


SUMMARY = (
    "samhsa: 36 programs created, 0 updated, 0 records skipped, 0 rows rejected, "
    "0 programs deactivated (18 providers, 25 locations, 0 sessions written)."
)
ANALYZED = (
    "Planner statistics refreshed (ANALYZE): programs_provider, programs_location, "
    "programs_program, programs_session."
)


@pytest.mark.django_db
def test_format_is_guessed_from_the_path():
    output = call(FIXTURE)
    expected = [SUMMARY, ANALYZED] if connection.vendor == "postgresql" else [SUMMARY]
    assert output.splitlines() == expected
    assert Program.objects.filter(source="samhsa").count() == 36


@pytest.mark.django_db
def test_postgresql_gets_planner_statistics_after_an_import(monkeypatch):
    """Issue 11 item 10: ANALYZE the tables the import wrote, and say so. Run for real on
    PostgreSQL; on SQLite the vendor is faked (SQLite accepts the same ANALYZE statements)."""
    if connection.vendor != "postgresql":
        monkeypatch.setattr(connection, "vendor", "postgresql")
    with CaptureQueriesContext(connection) as queries:
        output = call(FIXTURE)
    assert output.splitlines()[-1] == ANALYZED
    analyzed = [query["sql"] for query in queries if query["sql"].startswith("ANALYZE")]
    assert analyzed == [
        f'ANALYZE "{table}"'
        for table in (
            "programs_provider",
            "programs_location",
            "programs_program",
            "programs_session",
        )
    ]
    with CaptureQueriesContext(connection) as queries:
        output = call(FIXTURE, "--dry-run")  # nothing written: nothing to analyze
    assert "ANALYZE" not in output
    assert not [query for query in queries if query["sql"].startswith("ANALYZE")]


@pytest.mark.django_db
def test_dry_run_saves_nothing():
    output = call(FIXTURE, "--dry-run")
    assert output.startswith("DRY RUN, nothing saved. samhsa: 36 programs created")
    assert (Provider.objects.count(), Location.objects.count(), Program.objects.count()) == (
        0,
        0,
        0,
    )


@pytest.mark.django_db
def test_warnings_are_listed_at_verbosity_2(tmp_path):
    path = tmp_path / "one.json"
    text = FIXTURE.read_text().replace('"latitude": "38.0745616"', '"latitude": ""', 1)
    path.write_text(text)
    quiet = call(path, "--dry-run")
    assert "1 warnings (show them with --verbosity 2)." in quiet
    loud = call(path, "--dry-run", "--verbosity", "2")
    assert "WARNING one.json rows[0]" in loud and "ZIP centroid" in loud


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["/no/such/file.json"], "no such file or directory"),
        ([FIXTURE.parent, "--format", "samhsa"], "is a directory"),
        ([FIXTURE, "--format", "hsds"], "is not a directory"),
        ([FIXTURE.parent], "no services.csv"),
    ],
)
def test_bad_paths_are_clear_errors(args, message):
    with pytest.raises(CommandError, match=message):
        call(*args)
    assert Program.objects.count() == 0


def test_help_names_both_formats():
    from programs.management.commands.import_programs import Command

    parser = Command().create_parser("manage.py", "import_programs")
    assert "samhsa" in parser.format_help() and "hsds" in parser.format_help()
