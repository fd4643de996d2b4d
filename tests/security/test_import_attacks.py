"""Hostile directory files (issue 11 items 7 and 9): a package that points outside its folder,
JSON nested to exhaust the parser, a wrong type where a list belongs, NUL characters, ids too
long to store and repeated ids. Each is refused (or its row rejected) with a message that names
the file and the line, and nothing is written."""

import csv
import json
import os
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from programs.models import Location, Program, Provider, Session

pytestmark = pytest.mark.django_db

SECRET = "Outside File Intensive Outpatient Program"

HEADERS = {
    "organizations.csv": ["id", "name"],
    "services.csv": ["id", "organization_id", "name", "description"],
    "locations.csv": ["id", "organization_id", "name", "latitude", "longitude"],
    "addresses.csv": ["id", "location_id", "address_1", "city", "state_province", "postal_code"],
    "service_at_location.csv": ["id", "service_id", "location_id"],
}
ROWS = {
    "organizations.csv": [["org1", "Example Recovery Center"]],
    "services.csv": [["svc1", "org1", "Evening Intensive Outpatient Program", "Group therapy."]],
    "locations.csv": [["loc1", "org1", "Main clinic", "38.25", "-85.75"]],
    "addresses.csv": [["a1", "loc1", "100 Example Street", "Louisville", "KY", "40202"]],
    "service_at_location.csv": [["sal1", "svc1", "loc1"]],
}


def write_csv(path, file, extra=()):
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADERS[file])
        writer.writerows([*ROWS[file], *extra])


def package(tmp_path, name="pkg", skip=(), **extra):
    folder = tmp_path / name
    folder.mkdir()
    for file in HEADERS:
        if file not in skip:
            write_csv(folder / file, file, extra.get(file.replace(".csv", ""), ()))
    return folder


def datapackage(folder, resources):
    (folder / "datapackage.json").write_text(json.dumps({"name": "attack", "resources": resources}))


def outside_services(tmp_path):
    """A services file outside the package, with a program nobody published."""
    other = tmp_path / "elsewhere"
    other.mkdir()
    target = other / "services.csv"
    with target.open("w", newline="") as handle:
        csv.writer(handle).writerows([HEADERS["services.csv"], ["svc9", "org1", SECRET, "x"]])
    return target


def nothing_written():
    counts = (
        Provider.objects.count(),
        Location.objects.count(),
        Program.objects.count(),
        Session.objects.count(),
    )
    return counts == (0, 0, 0, 0)


def run(path, *args):
    out = StringIO()
    call_command("import_programs", str(path), *args, stdout=out)
    return out.getvalue()


# ---- item 7: resource paths outside the package folder -------------------------------------


def test_a_resource_path_climbing_out_of_the_package_is_refused(tmp_path):
    target = outside_services(tmp_path)
    folder = package(tmp_path, skip={"services.csv"})
    datapackage(folder, [{"name": "services", "path": "../elsewhere/services.csv"}])
    with pytest.raises(CommandError) as error:
        run(folder)
    message = str(error.value)
    assert "datapackage.json resource 'services' (path '../elsewhere/services.csv')" in message
    assert f"outside the package folder ({target})" in message
    assert nothing_written()


def test_an_absolute_resource_path_is_refused(tmp_path):
    target = outside_services(tmp_path)
    folder = package(tmp_path, skip={"services.csv"})
    datapackage(folder, [{"name": "services", "path": str(target)}])
    with pytest.raises(CommandError, match=r"resource 'services' .*: an absolute path: refused"):
        run(folder)
    assert nothing_written()


@pytest.mark.parametrize("where", ["root", "data"])
def test_a_symbolic_link_out_of_the_package_is_refused(tmp_path, where):
    target = outside_services(tmp_path)
    folder = package(tmp_path, skip={"services.csv"})
    link_folder = folder if where == "root" else folder / "data"
    link_folder.mkdir(exist_ok=True)
    os.symlink(target, link_folder / "services.csv")
    with pytest.raises(CommandError, match=r"services.csv: the file is outside the package"):
        run(folder)
    assert nothing_written()


def test_an_unused_csv_linked_from_outside_is_refused_too(tmp_path):
    folder = package(tmp_path)
    secret = tmp_path / "passwords.csv"
    secret.write_text("user,password\nroot,hunter2\n")
    os.symlink(secret, folder / "contacts.csv")
    with pytest.raises(CommandError, match=r"contacts.csv: the file is outside the package"):
        run(folder)
    assert nothing_written()


def test_a_resource_path_inside_the_package_still_works(tmp_path):
    folder = package(tmp_path, skip={"services.csv"})
    (folder / "tables").mkdir()
    write_csv(folder / "tables" / "svc.csv", "services.csv")
    datapackage(folder, [{"name": "services", "path": "tables/svc.csv"}])
    assert "attack: 1 programs created" in run(folder)


# ---- item 9: errors that named no file or line ---------------------------------------------


def test_json_nested_too_deeply_names_the_file_and_line(tmp_path):
    path = tmp_path / "deep.json"
    path.write_text('{"rows": [\n' + "[" * 200_000 + "]" * 200_000 + "\n]}")
    with pytest.raises(CommandError, match=r"deep.json line 2: JSON nested more than 100 levels"):
        run(path, "--format", "samhsa")
    assert nothing_written()


def test_a_deeply_nested_datapackage_json_is_refused(tmp_path):
    folder = package(tmp_path)
    (folder / "datapackage.json").write_text("[" * 200_000 + "]" * 200_000)
    with pytest.raises(CommandError, match=r"datapackage.json line 1: JSON nested"):
        run(folder)
    assert nothing_written()


def locator_row(**fields):
    row = {
        "frid": "f" * 64,
        "name1": "Example Recovery",
        "street1": "1 Example Road",
        "city": "Louisville",
        "state": "KY",
        "zip": "40202",
        "latitude": "38.25",
        "longitude": "-85.75",
        "services": [{"f1": "Settings", "f2": "SET", "f3": "Intensive outpatient treatment"}],
    }
    row.update(fields)
    return row


@pytest.mark.parametrize(
    ("services", "message"),
    [
        (5, r'rows\[1\]: "services" is int, not a list of categories'),
        ("SET", r'rows\[1\]: "services" is str, not a list'),
        ([5], r'rows\[1\]: an entry of "services" is not an object'),
    ],
)
def test_services_of_the_wrong_type_name_the_row(tmp_path, services, message):
    path = tmp_path / "locator.json"
    rows = [locator_row(), locator_row(frid="e" * 64, services=services)]
    path.write_text(json.dumps({"rows": rows}))
    with pytest.raises(CommandError, match=message):
        run(path)
    assert nothing_written()


def test_a_nul_character_in_a_locator_name_names_the_row(tmp_path):
    path = tmp_path / "locator.json"
    rows = [locator_row(), locator_row(frid="e" * 64, name1="Evil\x00Name")]
    path.write_text(json.dumps({"rows": rows}))
    with pytest.raises(CommandError, match=r"locator.json rows\[1\]: a NUL character in 'name1'"):
        run(path)
    assert nothing_written()


def test_a_nul_character_in_an_hsds_name_names_the_line(tmp_path):
    folder = package(tmp_path, services=[["svc2", "org1", "Bad\x00 Outpatient Program", ""]])
    with pytest.raises(CommandError, match=r"services.csv line 3: a NUL character in 'name'"):
        run(folder)
    assert nothing_written()


def test_an_hsds_id_too_long_to_store_names_the_line(tmp_path):
    long_id = "x" * 250
    folder = package(
        tmp_path,
        services=[[long_id, "org1", "Partial Hospitalization Program", ""]],
        service_at_location=[["sal2", long_id, "loc1"]],
    )
    with pytest.raises(
        CommandError, match=r"services.csv line 3: the id is 250 characters long; at most 99"
    ):
        run(folder)
    assert nothing_written()


def test_duplicate_organization_and_location_ids_are_rejected_with_their_lines(tmp_path):
    """The first row wins: a later row with the same id can no longer move a site elsewhere or
    rename the organisation."""
    folder = package(
        tmp_path,
        organizations=[["org1", "Someone Else Entirely"]],
        locations=[["loc1", "org1", "Moved clinic", "25.77", "-80.19"]],
    )
    output = run(folder)
    assert (
        "REJECTED organizations.csv line 3 (id org1): duplicate id (first at line 2): "
        "this row is not used" in output
    )
    assert (
        "REJECTED locations.csv line 3 (id loc1): duplicate id (first at line 2): "
        "this row is not used" in output
    )
    program = Program.objects.select_related("provider", "location").get()
    assert program.provider.name == "Example Recovery Center"
    assert program.location.name == "Main clinic"
    assert program.location.latitude == pytest.approx(38.25)
