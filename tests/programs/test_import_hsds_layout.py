"""An HSDS package as Open Referral publishes it (datapackage.json at the root, the CSV files in
``data/``) and as a flat folder, imported end to end through ``import_programs``; and the parts of
the importer that keep a national package's memory down (services read from their file as they
are mapped, grouped rows) without changing what is imported or refused."""

import csv
import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from programs.importers import hsds
from programs.models import Location, Program, Provider, Session

TABLES = {
    "organizations.csv": [["id", "name"], ["o1", "RIVER CITY COUNSELING, INC."]],
    "services.csv": [
        ["id", "organization_id", "name", "description"],
        ["s1", "o1", "Intensive Outpatient Program", "Evening groups for adults."],
        ["s2", "o1", "Partial Hospitalization Program", "Day treatment, five days a week."],
        ["s3", "o1", "Tax Help", "Free tax preparation."],
    ],
    "locations.csv": [["id", "organization_id", "name"], ["l1", "o1", "MAIN OFFICE"]],
    "physical_addresses.csv": [
        ["id", "location_id", "address_1", "city", "state_province", "postal_code"],
        ["a1", "l1", "12 Example Road", "Louisville", "KY", "40202"],
    ],
    "services_at_location.csv": [
        ["id", "service_id", "location_id"],
        ["sl1", "s1", "l1"], ["sl2", "s2", "l1"], ["sl3", "s3", "l1"],
    ],
    "phones.csv": [
        ["id", "service_id", "location_id", "number"],
        ["p1", "", "l1", "(502) 555-0100"],
        ["p2", "s1", "", ""],
        ["p3", "s1", "", "(502) 555-0142"],
        ["p4", "s1", "", "(502) 555-0199"],
    ],
    "languages.csv": [["id", "service_id", "language"], ["g1", "s1", "Spanish"]],
    "regular_schedules.csv": [
        ["id", "service_id", "weekday", "opens_at", "closes_at"],
        ["r1", "s1", "Monday", "6:00pm", "9:00pm"],
        ["r2", "s1", "Wednesday", "6:00pm", "9:00pm"],
        ["r3", "s2", "Monday", "9:00am", "3:00pm"],
    ],
}  # fmt: skip


def write_tables(folder: Path, tables=TABLES, names=None) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for file, rows in tables.items():
        with (folder / (names or {}).get(file, file)).open("w", newline="") as handle:
            csv.writer(handle).writerows(rows)
    return folder


def published(root: Path, tables=TABLES, resources=True, names=None) -> Path:
    """datapackage.json at ``root``, the CSV files in ``root/data``."""
    write_tables(root / "data", tables, names)
    meta = {"name": "river-city-211", "last_modified": "2026-11-02"}
    if resources:
        meta["resources"] = [
            {"name": file[:-4], "path": f"data/{(names or {}).get(file, file)}"} for file in tables
        ]
    (root / "datapackage.json").write_text(json.dumps(meta))
    return root


def run(path, *args) -> str:
    out = StringIO()
    call_command("import_programs", str(path), "--format", "hsds", *args, stdout=out)
    return out.getvalue()


def table_counts():
    return (
        Provider.objects.count(),
        Location.objects.count(),
        Program.objects.count(),
        Session.objects.count(),
    )


@pytest.mark.django_db
@pytest.mark.parametrize("resources", [True, False], ids=["with-resources", "without-resources"])
def test_a_published_package_imports_and_imports_again_without_changes(tmp_path, resources):
    folder = published(tmp_path / "river-city", resources=resources)
    run(folder)
    programs = {p.source_id: p for p in Program.objects.filter(source="hsds:river-city-211")}
    assert sorted(programs) == ["s1", "s2"]  # tax help is not treatment
    iop = programs["s1"]
    assert (iop.level, iop.intake_phone) == ("IOP", "(502) 555-0142")  # first with a number
    assert iop.languages == ["en", "es"]
    assert iop.location.zip_code == "40202"
    assert iop.source_date.isoformat() == "2026-11-02"
    assert sorted(iop.sessions.values_list("weekday", flat=True)) == [0, 2]
    assert programs["s2"].intake_phone == "(502) 555-0100"  # the location's phone
    before = table_counts()
    assert before == (1, 1, 2, 3)
    stamps = sorted(Program.objects.values_list("pk", "updated_at"))
    again = run(folder)
    assert table_counts() == before
    assert "0 programs created" in again
    assert sorted(Program.objects.values_list("pk", "updated_at")) == stamps  # nothing rewritten


@pytest.mark.django_db
def test_the_flat_layout_imports_the_same_programs(tmp_path):
    run(published(tmp_path / "published"))
    from_data = sorted(Program.objects.values_list("source_id", "name", "level", "intake_phone"))
    Program.objects.all().delete()
    flat = write_tables(tmp_path / "flat")
    run(flat, "--source", "hsds:river-city-211")
    assert sorted(Program.objects.values_list("source_id", "name", "level", "intake_phone")) == (
        from_data
    )


@pytest.mark.django_db
def test_resources_name_the_files_when_they_have_other_names(tmp_path):
    names = {"services.csv": "svc_export.csv", "locations.csv": "sites.csv"}
    folder = published(tmp_path / "renamed", names=names)
    run(folder)
    assert sorted(Program.objects.values_list("source_id", flat=True)) == ["s1", "s2"]


@pytest.mark.django_db
def test_a_bad_row_late_in_the_services_file_refuses_the_package_before_any_write(tmp_path):
    """Services are read from their file while they are mapped, but the file is read through
    first: a broken row near its end still stops the import before anything is written."""
    services = [*TABLES["services.csv"], ["s9", "o1", "IOP", "x", "a value too many"]]
    folder = published(tmp_path / "broken", {**TABLES, "services.csv": services})
    with pytest.raises(CommandError, match=r"services.csv line 5: more values than columns"):
        run(folder)
    assert table_counts() == (0, 0, 0, 0)


@pytest.mark.django_db
def test_a_too_long_service_id_late_in_the_file_is_refused_with_its_line(tmp_path):
    services = [*TABLES["services.csv"], ["s" * 120, "o1", "Intensive Outpatient", "x"]]
    folder = write_tables(tmp_path / "long-id", {**TABLES, "services.csv": services})
    with pytest.raises(CommandError, match=r"services.csv line 5: the id is 120 characters"):
        run(folder)
    assert table_counts() == (0, 0, 0, 0)


def test_a_streamed_table_is_counted_and_read_again_in_file_order(tmp_path):
    package, _notes = hsds.read_package(published(tmp_path / "pkg"))
    assert package.tables["services"].rows == []  # not held
    assert package.count("services") == 3
    assert [row["id"] for _line, row in package.each("services")] == ["s1", "s2", "s3"]
    assert [line for line, _row in package.rows("services")] == [2, 3, 4]


def test_grouped_rows_read_like_a_dict_of_lists():
    grouped = hsds.Grouped()
    one, two, three = (2, {"id": "a"}), (3, {"id": "b"}), (4, {"id": "c"})
    grouped.add("x", one)
    grouped.add("y", two)
    grouped.add("y", three)
    assert grouped.get("x") == [one]
    assert grouped.get("y") == [two, three]
    assert grouped.get("z", []) == []
    assert "y" in grouped and "z" not in grouped and len(grouped) == 2
