"""The ``import_programs`` command: format detection, dry runs and clear errors."""

import datetime as dt
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


@pytest.mark.django_db
def test_imported_listings_carry_their_source_and_its_date(tmp_path):
    """Issue 13: the source's date comes from the file name, or --source-date."""
    dated = tmp_path / "locator_listing_sa_2019-05-23.json"
    dated.write_text(FIXTURE.read_text())
    call(dated)
    program = Program.objects.filter(source="samhsa").first()
    assert program.source_date == dt.date(2019, 5, 23)
    assert program.source_label == "SAMHSA treatment locator (FindTreatment.gov)"
    assert "0 programs created, 36 updated" in call(dated, "--source-date", "2026-11-30")
    assert set(Program.objects.values_list("source_date", flat=True)) == {dt.date(2026, 11, 30)}


@pytest.mark.django_db
def test_an_hsds_package_date_comes_from_its_datapackage_json(tmp_path):
    package = tmp_path / "pkg"
    package.mkdir()
    files = {
        "services.csv": "id,name,description\ns1,Intensive Outpatient Program,Evening groups.\n",
        "locations.csv": "id,name\nl1,Main\n",
        "physical_addresses.csv": "id,location_id,address_1,city,state_province,postal_code\n"
        "a1,l1,1 Example Road,Louisville,KY,40202\n",
        "services_at_location.csv": "id,service_id,location_id\nx,s1,l1\n",
        "datapackage.json": '{"name": "louisville", "last_modified": "2019-08-19T10:00:00Z"}',
    }
    for name, text in files.items():
        (package / name).write_text(text)
    call(package)
    program = Program.objects.get()
    assert program.source_date == dt.date(2019, 8, 19)
    assert program.source_label == "Open Referral directory louisville"


@pytest.mark.django_db
def test_a_reimport_of_the_same_file_writes_no_row():
    """The set-based writer compares fingerprints: an unchanged file costs reads only."""
    call(FIXTURE)
    with CaptureQueriesContext(connection) as queries:
        output = call(FIXTURE)
    assert "0 programs created, 36 updated" in output
    writes = [
        query["sql"]
        for query in queries
        if query["sql"].split(" ", 1)[0] in ("INSERT", "UPDATE", "DELETE")
    ]
    assert writes == []
    selects = [query for query in queries if query["sql"].startswith("SELECT")]
    assert len(selects) <= 8  # one per table (and the ids), not one per row
