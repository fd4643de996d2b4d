"""The Open Referral HSDS importer: time and weekday parsing, the keyword rules, the real 211
Miami HSDS 1.x package, the HSDS 3.0 spec example and small synthetic 3.0 packages.

The Miami data has an unclear licence, so it is never copied into the repository: it is read
from the shared data folder beside the repository (``../shared/data``), and those tests skip,
saying why, only when that folder is absent.
"""

import csv
import datetime as dt
import shutil
from collections import Counter
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from programs.importers import common, hsds
from programs.levels import LevelOfCare
from programs.models import Location, Program, Provider, Session

REPO = Path(__file__).resolve().parents[2]
SHARED_DATA = (REPO.parent / "shared" / "data").resolve()
MIAMI = SHARED_DATA / "hsds-miami-behavioral-health"
HSDS3_EXAMPLE = SHARED_DATA / "hsds-schema" / "examples" / "csv"
SERVICE_ID = "ac148810-d857-441c-9679-408f346de14b"  # the HSDS 3.0 example's one service
MIAMI_SOURCE = "hsds:hsds-miami-behavioral-health"
SAMHSA_FIXTURE = REPO / "tests" / "fixtures" / "samhsa_locator_sample.json"

needs_miami = pytest.mark.skipif(
    not MIAMI.is_dir(),
    reason=f"the 211 Miami HSDS sample is not at {MIAMI} (it is never committed: unclear licence)",
)
needs_example = pytest.mark.skipif(
    not HSDS3_EXAMPLE.is_dir(), reason=f"the HSDS 3.0 example CSVs are not at {HSDS3_EXAMPLE}"
)


def counts(source=None):
    programs = Program.objects.filter(source=source) if source else Program.objects.all()
    return (
        Provider.objects.count(),
        Location.objects.count(),
        programs.count(),
        Session.objects.count(),
    )


def run(path, *args):
    out = StringIO()
    call_command("import_programs", str(path), "--format", "hsds", *args, stdout=out)
    return out.getvalue()


# ---- times and weekdays --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("8:30am", dt.time(8, 30)),
        ("5:00 PM", dt.time(17, 0)),
        ("7:30 am ", dt.time(7, 30)),
        ("6:00 pm", dt.time(18, 0)),
        ("noon", dt.time(12, 0)),
        ("Midnight", dt.time(0, 0)),
        ("12:00pm (dispensing)", dt.time(12, 0)),
        ("12:00am", dt.time(0, 0)),
        ("9 a.m.", dt.time(9, 0)),
        ("17:00", dt.time(17, 0)),
        ("09:00Z", dt.time(9, 0)),
        ("18:00-05:00", dt.time(18, 0)),
        ("10:00:00", dt.time(10, 0)),
        ("24:00", dt.time(23, 59)),
    ],
)
def test_parse_time_reads_free_text_hours(text, expected):
    assert common.parse_time(text) == expected


@pytest.mark.parametrize("text", ["", "soon", "25:00", "13:00pm", "9", "8:75am", "call first"])
def test_parse_time_rejects_text_that_is_not_a_time(text):
    with pytest.raises(ValueError):
        common.parse_time(text)


def test_time_ranges():
    assert common.parse_time_range("6:00pm", "12:00am") == (dt.time(18), dt.time(23, 59))
    with pytest.raises(ValueError, match="before it opens"):
        common.parse_time_range("5:00pm", "9:00am")


@pytest.mark.parametrize(
    ("text", "expected"),
    [("Monday", 0), ("tue", 1), ("WE", 2), ("Thurs", 3), ("FR", 4), ("6", 5), ("7", 6),
     ("0", 6), ("1", 0), ("Sunday", 6)],
)  # fmt: skip
def test_parse_weekday(text, expected):
    assert common.parse_weekday(text) == expected


@pytest.mark.parametrize("text", ["", "8", "Funday", "1SA"])
def test_parse_weekday_rejects(text):
    with pytest.raises(ValueError):
        common.parse_weekday(text)


# ---- keyword rules -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "description", "taxonomy", "level"),
    [
        ("Intensive Outpatient Program", "Groups three evenings a week.", [], LevelOfCare.IOP),
        ("Partial Hospitalization Program", "", [], LevelOfCare.PHP),
        ("Adult Services", "Mental health day treatment for adults.", [], LevelOfCare.PHP),
        ("Crisis Stabilization Unit", "A Baker Act receiving facility.", [], LevelOfCare.INPATIENT),
        ("Detox Unit", "Inpatient substance abuse detoxification.", [], LevelOfCare.INPATIENT),
        (
            "Residential Treatment",
            "For adolescents with drug problems.",
            [],
            LevelOfCare.RESIDENTIAL,
        ),
        (
            "Adult Outpatient",
            "Individual and group counseling.",
            [common.TaxonomyTerm("RM-6500", "Outpatient Mental Health Facilities")],
            LevelOfCare.OP,
        ),
        (
            "Behavioral Health",
            "Services for adults.",
            ["Psychiatric Day Treatment"],
            LevelOfCare.PHP,
        ),
        ("Counselling", "Counselling for anxiety and depression.", [], LevelOfCare.OP),
    ],
)
def test_treatment_services_get_a_level(name, description, taxonomy, level):
    assert common.classify_service(name, description, taxonomy).level == level


@pytest.mark.parametrize(
    ("name", "description", "taxonomy", "reason"),
    [
        ("Food Pantry", "Free groceries for families in need.", [], "not a mental-health"),
        ("Suicide Prevention Hotline", "Call any time to talk about mental health.", [],
         "hotline"),
        ("NA Support Groups", "Peer support for people in recovery from drug use.", [],
         "support group"),
        ("Adult Case Management", "Linkage for adults with mental illness.", [],
         "case management"),
        ("Red Ribbon Campaign", "Prevents drug and alcohol use among teens.", [], "prevention"),
        ("Mobile Crisis Team", "Goes to people in a mental-health crisis.", [], "988"),
        ("Helping Hands", "Mental health resources.", ["Mental Health Hotlines"], "taxonomy"),
        ("Wellness", "We talk about mental health at schools.", [], "no specific treatment"),
    ],
)  # fmt: skip
def test_non_treatment_services_are_skipped_with_a_reason(name, description, taxonomy, reason):
    verdict = common.classify_service(name, description, taxonomy)
    assert verdict.level is None
    assert reason in verdict.reason


def test_text_rules_for_ages_payment_and_therapies():
    text = "Serves children and adolescents. Accepts Medicaid and offers a sliding scale."
    assert common.codes_from_text(common.AGE_RULES, text) == ["child", "teen"]
    assert common.codes_from_text(common.PAYMENT_RULES, text) == ["medicaid", "sliding_scale"]
    assert common.codes_from_text(common.AGE_RULES, "single mothers with children") == []
    therapies = common.codes_from_text(
        common.THERAPY_RULES, "Cognitive behavioral therapy, DBT skills and Suboxone treatment"
    )
    assert therapies == ["cbt", "dbt", "mat"]
    assert common.age_groups_from_range("12", "100") == ["child", "teen", "adult", "older"]
    assert common.age_groups_from_range("13", "17") == ["teen"]


# ---- the real 211 Miami HSDS 1.x package ---------------------------------------------------


@needs_miami
@pytest.mark.django_db
def test_import_miami_counts_known_records_and_reimport():
    output = run(MIAMI)
    # Issue 13: only treatment services become programs (it was 430 created, 143 skipped).
    assert f"{MIAMI_SOURCE}: 422 programs created, 0 updated, 151 records skipped, " in output
    assert "10 rows rejected" in output
    assert counts(MIAMI_SOURCE) == (220, 422, 422, 847)

    detox = Program.objects.get(source=MIAMI_SOURCE, source_id="210")
    assert detox.level == "INPATIENT"
    assert detox.name == "Jackson Community Mental Health Center — Detox Unit"
    assert detox.provider.name == "Jackson Community Mental Health Center"
    assert detox.location.street == "5055 NW 27th Avenue"
    assert detox.languages == ["en", "es", "ht"]
    assert detox.conditions == ["substance_use"]

    outpatient = Program.objects.get(source=MIAMI_SOURCE, source_id="211")
    assert outpatient.level == "OP"
    assert {"group", "individual"} <= set(outpatient.therapies)
    sessions = list(outpatient.sessions.values_list("weekday", "start", "end", "track"))
    assert sessions == [(day, dt.time(8, 0), dt.time(16, 30), "Opening hours") for day in range(5)]

    iop = Program.objects.get(source=MIAMI_SOURCE, source_id="7993")
    assert iop.level == "IOP"
    assert iop.name == "David Lawrence Mental Health Center, Inc. — Intensive Outpatient Program"
    crisis_unit = Program.objects.get(source=MIAMI_SOURCE, source_id="215")
    assert crisis_unit.level == "INPATIENT"
    php = Program.objects.filter(source=MIAMI_SOURCE, level="PHP")
    assert php.filter(name__icontains="Partial Hospitalization").count() >= 4

    # Every location is on the map: its own coordinates or its ZIP centroid.
    assert not Location.objects.filter(source=MIAMI_SOURCE, latitude__isnull=True).exists()
    # Skipped and rejected rows are listed with their line and reason.
    assert "SKIPPED services.csv line 574 (id 8926): no level of care named" in output
    assert (
        "REJECTED regular_schedules.csv line 166 (id 871): schedule row not used: "
        "no opening or closing time" in output
    )
    assert "a hotline or helpline only" in output

    # Importing it again updates the same rows and adds none.
    before = counts()
    slugs = set(Program.objects.values_list("slug", flat=True))
    output = run(MIAMI)
    assert "0 programs created, 422 updated, 151 records skipped" in output
    assert "0 programs deactivated" in output
    assert counts() == before
    assert set(Program.objects.values_list("slug", flat=True)) == slugs


@needs_miami
@pytest.mark.django_db
@pytest.mark.parametrize(
    ("file", "breakage"),
    [
        ("phones.csv", "drop a required column"),
        ("regular_schedules.csv", "invalid UTF-8"),
        ("languages.csv", "more values than columns"),
        ("services.csv", "unterminated quote"),
        ("contacts.csv", "invalid UTF-8"),  # a file the importer does not otherwise use
    ],
)
def test_a_package_with_one_broken_file_changes_nothing(tmp_path, file, breakage):
    call_command("import_programs", str(SAMHSA_FIXTURE), stdout=StringIO())  # rows to keep
    before = counts()
    package = tmp_path / "hsds-miami-behavioral-health"
    shutil.copytree(MIAMI, package)
    target = package / file
    target.chmod(0o644)
    if breakage == "drop a required column":
        text = target.read_text().replace("number", "numero", 1)
        target.write_text(text)
    elif breakage == "invalid UTF-8":
        target.write_bytes(target.read_bytes() + b'\n,149,,,Monday,\xff9:00am,5:00pm,"x"\n')
    elif breakage == "more values than columns":
        target.write_text(target.read_text() + "1,149,149,English,extra,values\n")
    else:
        target.write_text(target.read_text() + '99999,149,,"Unfinished, name\n')
    with pytest.raises(CommandError, match=f"Nothing was imported. {file}"):
        run(package)
    assert counts() == before


# ---- HSDS 3.0 ------------------------------------------------------------------------------


@needs_example
@pytest.mark.django_db
def test_the_hsds_3_example_as_published_is_not_a_treatment_program():
    """Its one service, "Community Counselling", has no taxonomy term (the example's attribute
    links elsewhere) and a description with bare "counselling": no specific treatment phrase."""
    output = run(HSDS3_EXAMPLE)
    assert "hsds:examples-csv: 0 programs created, 0 updated, 1 records skipped" in output
    assert (
        "SKIPPED services.csv line 2 (id ac148810-d857-441c-9679-408f346de14b): no taxonomy and "
        "no specific treatment phrase" in output
    )


@needs_example
@pytest.mark.django_db
def test_import_the_hsds_3_example(tmp_path):
    """The spec example with its placeholder taxonomy term named as a mental-health one and its
    attribute linked to the service: taxonomy first makes it a program."""
    package = tmp_path / "examples" / "csv"
    shutil.copytree(HSDS3_EXAMPLE, package)
    for file, old, new in [
        ("taxonomy_terms.csv", "b2,code,name,", "b2,code,Mental Health Counselling,"),
        ("attributes.csv", "f28dd44b-0c4d-479f-8e90-4c52219a8b3c", SERVICE_ID),
    ]:
        (package / file).chmod(0o644)
        (package / file).write_text((package / file).read_text().replace(old, new))
    output = run(package)
    assert "hsds:examples-csv: 1 programs created, 0 updated, 0 records skipped" in output
    program = Program.objects.get(source="hsds:examples-csv")
    assert program.source_id == "ac148810-d857-441c-9679-408f346de14b"
    assert program.level == "OP"
    assert program.name == "Example Organization Inc. — Community Counselling"
    assert program.age_groups == ["child", "teen", "adult", "older"]  # ages 12 to 100
    assert program.modality == "both"  # "in-person or remotely via video conferencing"
    assert program.last_verified == dt.date(2005, 1, 1)
    assert program.intake_phone == "+44 1234 234567 x100"
    assert list(program.sessions.values_list("weekday", "start", "end")) == [
        (3, dt.time(10), dt.time(18)),
        (4, dt.time(10), dt.time(18)),
    ]
    # Latitude 100 is out of range and "ABC 1234" is no US ZIP: kept, but not on the map.
    assert program.location.latitude is None
    assert program.location.street == "1-30 Main Street"


HEADERS = {
    "organizations.csv": "id,name,description,website",
    "services.csv": "id,organization_id,name,description,status,minimum_age,maximum_age,"
    "fees_description,url,assured_date",
    "locations.csv": "id,organization_id,location_type,name,latitude,longitude",
    "addresses.csv": "id,location_id,address_1,address_2,city,state_province,postal_code,"
    "country,address_type",
    "service_at_location.csv": "id,service_id,location_id,description",
    "phones.csv": "id,service_id,location_id,organization_id,number,extension,type",
    "schedules.csv": "id,service_id,location_id,service_at_location_id,freq,byday,opens_at,"
    "closes_at,description,attending_type",
}


def make_package(tmp_path, name="louisville-211", **extra_rows):
    """A small HSDS 3.0 package: one clinic with an evening IOP, plus ``extra_rows``."""
    rows = {
        "organizations.csv": [["org1", "Example Recovery Center", "A fictional clinic.",
                               "example.org"]],
        "services.csv": [["svc1", "org1", "Evening Intensive Outpatient Program",
                          "Group therapy and DBT skills for adults. Accepts Medicaid.",
                          "active", "18", "", "Sliding scale available", "", "2026-01-15"]],
        "locations.csv": [["loc1", "org1", "physical", "Main clinic", "", ""]],
        "addresses.csv": [["a1", "loc1", "100 Example Street", "", "Louisville", "KY", "40202",
                           "US", "physical"]],
        "service_at_location.csv": [["sal1", "svc1", "loc1", ""]],
        "phones.csv": [["p1", "svc1", "", "", "(502) 555-0142", "", "voice"]],
        "schedules.csv": [["sch1", "svc1", "", "sal1", "WEEKLY", "MO,WE,TH", "18:00", "21:00",
                           "Evening track", "in person"]],
    }  # fmt: skip
    for file, more in extra_rows.items():
        rows.setdefault(file, []).extend(more)
    package = tmp_path / name
    package.mkdir()
    for file, header in HEADERS.items():
        with (package / file).open("w", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(header.split(","))
            writer.writerows(rows.get(file, []))
    return package


@pytest.mark.django_db
def test_hsds_3_package_with_weekly_schedule(tmp_path):
    output = run(make_package(tmp_path))
    assert "hsds:louisville-211: 1 programs created" in output
    program = Program.objects.get()
    assert program.level == "IOP"
    assert program.source == "hsds:louisville-211"
    assert program.source_id == "svc1"
    assert program.payment == ["medicaid", "sliding_scale"]
    assert program.therapies == ["dbt", "group"]
    assert program.age_groups == ["adult", "older"]
    assert program.intake_phone == "(502) 555-0142"
    assert program.last_verified == dt.date(2026, 1, 15)
    assert program.location.zip_code == "40202"
    assert program.location.latitude == pytest.approx(38.25, abs=0.05)  # ZIP centroid
    assert list(program.sessions.values_list("weekday", "start", "end", "track")) == [
        (0, dt.time(18), dt.time(21), "Evening track"),
        (2, dt.time(18), dt.time(21), "Evening track"),
        (3, dt.time(18), dt.time(21), "Evening track"),
    ]
    assert program.provider.website == "http://example.org"


@pytest.mark.django_db
def test_hsds_3_rejected_and_skipped_rows_are_listed(tmp_path):
    package = make_package(
        tmp_path,
        **{
            "services.csv": [
                ["svc2", "org1", "Community Food Pantry", "Free groceries every Friday.", "active",
                 "", "", "", "", ""],
                ["svc3", "org1", "Outpatient Counseling", "Therapy for depression.", "active",
                 "", "", "", "", ""],
                ["svc4", "org1", "Old Counseling Program", "Therapy.", "defunct", "", "", "", "",
                 ""],
            ],
            "service_at_location.csv": [["sal3", "svc3", "loc3", ""]],
            "locations.csv": [["loc3", "org1", "physical", "Nowhere", "", ""]],
            "schedules.csv": [
                ["sch2", "svc1", "", "sal1", "WEEKLY", "SA", "soon", "1:00pm", "", ""],
                ["sch3", "svc1", "", "sal1", "MONTHLY", "1SA", "09:00", "12:00", "", ""],
                ["sch4", "svc1", "", "sal1", "WEEKLY", "TU", "5:00pm", "9:00am", "", ""],
            ],
        },
    )  # fmt: skip
    output = run(package)
    assert "1 programs created, 0 updated, 3 records skipped, 3 rows rejected" in output
    assert (
        "SKIPPED services.csv line 3 (id svc2): not a mental-health or substance-use service"
        in output
    )
    assert "SKIPPED services.csv line 4 (id svc3): no address for any of its locations" in output
    assert "SKIPPED services.csv line 5 (id svc4): the service's status is 'defunct'" in output
    assert "REJECTED schedules.csv line 3 (id sch2): schedule row not used: not a time" in output
    assert "REJECTED schedules.csv line 4 (id sch3): schedule row not used: freq MONTHLY" in output
    assert "REJECTED schedules.csv line 5 (id sch4)" in output and "before it opens" in output
    assert Program.objects.get().sessions.count() == 3  # the good evening track still imports


@pytest.mark.django_db
def test_hsds_reimport_and_package_dropping_a_service(tmp_path):
    first = make_package(
        tmp_path,
        **{
            "services.csv": [["svc3", "org1", "Outpatient Mental Health Counseling", "Therapy.",
                              "active", "", "", "", "", ""]],
            "service_at_location.csv": [["sal3", "svc3", "loc1", ""]],
        },
    )  # fmt: skip
    run(first)
    assert Program.objects.filter(is_active=True).count() == 2
    output = run(first)
    assert "0 programs created, 2 updated" in output
    assert Session.objects.count() == 3
    second = make_package(tmp_path, name="v2")  # the same clinic, without svc3
    output = run(second, "--source", "hsds:louisville-211")
    assert "1 programs deactivated" in output
    assert not Program.objects.get(source_id="svc3").is_active
    assert Program.objects.count() == 2


@pytest.mark.django_db
def test_missing_services_file_or_required_column(tmp_path):
    package = make_package(tmp_path)
    (package / "schedules.csv").write_text("id,service_id,opens_at\nx,svc1,9:00\n")
    with pytest.raises(CommandError, match="schedules.csv: missing required column"):
        run(package)
    (package / "services.csv").unlink()
    with pytest.raises(CommandError, match="no services.csv"):
        run(package)
    assert counts() == (0, 0, 0, 0)


def test_tidy_name():
    assert hsds.tidy_name("JACKSON COMMUNITY MENTAL HEALTH CENTER") == (
        "Jackson Community Mental Health Center"
    )
    assert hsds.tidy_name("HERE'S HOPE") == "Here's Hope"
    assert hsds.tidy_name("CHILDHOOD ANXIETY PHOBIA PROGRAM (CAPP)") == (
        "Childhood Anxiety Phobia Program (CAPP)"
    )
    assert hsds.tidy_name("Riverbend IOP") == "Riverbend IOP"


@pytest.mark.django_db
def test_hsds_1x_free_text_hours(tmp_path):
    """HSDS 1.x: regular_schedules with weekday names or numbers and free-text times."""
    package = tmp_path / "hsds1"
    package.mkdir()
    files = {
        "organizations.csv": [["id", "name"], ["o1", "RIVER CITY COUNSELING, INC."]],
        "services.csv": [
            ["id", "organization_id", "name", "description"],
            ["s1", "o1", "ADULT OUTPATIENT THERAPY",
             "Outpatient mental health counseling for adults."],
        ],
        "locations.csv": [["id", "organization_id", "name", "latitude", "longitude"],
                          ["l1", "o1", "MAIN OFFICE", "", ""]],
        "physical_addresses.csv": [
            ["id", "location_id", "address_1", "city", "state_province", "postal_code"],
            ["a1", "l1", "12 Example Road", "Louisville", "KY ", "40202"],
        ],
        "services_at_location.csv": [["id", "service_id", "location_id"], ["sl1", "s1", "l1"]],
        "regular_schedules.csv": [
            ["id", "service_id", "weekday", "opens_at", "closes_at", "original_text"],
            ["", "s1", "Monday", "8:30am", "5:00 PM", ""],
            ["", "s1", "3", "noon", "7:30 pm ", ""],
            ["", "s1", "Friday", "whenever", "5:00pm", ""],
            ["", "s1", "Caturday", "9:00am", "5:00pm", ""],
        ],
    }  # fmt: skip
    for name, rows in files.items():
        with (package / name).open("w", newline="") as handle:
            csv.writer(handle).writerows(rows)
    output = run(package)
    assert "1 programs created, 0 updated, 0 records skipped, 2 rows rejected" in output
    assert (
        "REJECTED regular_schedules.csv line 4 (id s1): schedule row not used: not a time" in output
    )
    assert "REJECTED regular_schedules.csv line 5 (id s1)" in output and "not a weekday" in output
    program = Program.objects.get()
    assert program.name == "River City Counseling, Inc. — Adult Outpatient Therapy"
    assert program.level == "OP"
    assert list(program.sessions.values_list("weekday", "start", "end")) == [
        (0, dt.time(8, 30), dt.time(17)),
        (2, dt.time(12), dt.time(19, 30)),
    ]
    assert program.location.state == "KY"
    assert program.location.latitude == pytest.approx(38.25, abs=0.05)


@pytest.mark.django_db
def test_a_virtual_location_makes_a_telehealth_program(tmp_path):
    package = make_package(
        tmp_path,
        **{
            "services.csv": [["svc5", "org1", "Virtual Intensive Outpatient Program",
                              "Video groups for adults with depression.", "active", "18", "64",
                              "", "", ""]],
            "locations.csv": [["loc5", "org1", "virtual", "Online", "", ""]],
            "service_at_location.csv": [["sal5", "svc5", "loc5", ""]],
        },
    )  # fmt: skip
    output = run(package)
    assert "2 programs created" in output
    online = Program.objects.get(source_id="svc5")
    assert online.location is None
    assert online.modality == "telehealth"
    assert online.level == "IOP"
    assert online.age_groups == ["adult"]


def miami_expected():
    """Counted from the raw Miami CSV files with the csv module (not the importer): the services
    the written treatment rule (``common.classify_service``: taxonomy first, then specific
    treatment phrases) accepts, and of those the ones with a street address or a ZIP code at one
    of their locations. Returns (programs, Counter of skip reasons)."""

    def table(name):
        with (MIAMI / name).open(encoding="utf-8-sig", newline="") as handle:
            return list(csv.DictReader(handle))

    names = {row["id"]: row["name"] for row in table("taxonomy.csv")}
    terms: dict[str, list] = {}
    for row in table("services_taxonomy.csv"):
        code = row["taxonomy_id"].strip()
        if names.get(code, "").strip():
            terms.setdefault(row["service_id"].strip(), []).append(
                common.TaxonomyTerm(code, names[code])
            )
    addressed = {
        row["location_id"].strip()
        for row in table("physical_addresses.csv")
        if row["address_1"].strip() or common.clean_zip(row["postal_code"])
    }
    sites: dict[str, int] = {}
    for row in table("services_at_location.csv"):
        if row["location_id"].strip() in addressed:
            sites[row["service_id"].strip()] = sites.get(row["service_id"].strip(), 0) + 1
    programs, reasons = 0, Counter()
    for row in table("services.csv"):
        service_id = row["id"].strip()
        verdict = common.classify_service(
            hsds.tidy_name(row["name"]), common.clean(row["description"]), terms.get(service_id, [])
        )
        if verdict.level is None:
            reasons[verdict.reason] += 1
        elif not sites.get(service_id):
            reasons["no address for any of its locations"] += 1
        else:
            programs += sites[service_id]
    return programs, reasons


@needs_miami
@pytest.mark.django_db
def test_miami_golden_counts_are_derived_from_the_files():
    """573 services: 150 that the treatment rule turns away (each with its reason) and one
    with no address leave 422 programs. The importer must report exactly that."""
    programs, reasons = miami_expected()
    assert (programs, sum(reasons.values())) == (422, 151)
    assert reasons["no address for any of its locations"] == 1
    output = run(MIAMI)
    assert f"{programs} programs created, 0 updated, {sum(reasons.values())} records skipped" in (
        output
    )
    logged = Counter(
        line.split("): ", 1)[1] for line in output.splitlines() if line.startswith("SKIPPED ")
    )
    assert logged == reasons
