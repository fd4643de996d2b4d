"""The importers' pure mappings (file rows -> plain records), tested without a database: the
SAMHSA and HSDS mappings, the demo directory, the treatment rule of issue 13 and the progress
display."""

import copy
import csv
import datetime as dt
import io
import json
from pathlib import Path

import pytest

from programs.importers import common, hsds, progress, samhsa
from programs.importers.common import ImportResult, TaxonomyTerm, classify_service
from programs.importers.demo import demo_batch
from programs.importers.records import Stale
from programs.levels import LevelOfCare

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "samhsa_locator_sample.json"


# ---- issue 13: only treatment services become programs -------------------------------------

#: Services like the ones the full 211 Miami package turned into "outpatient programs":
#: no taxonomy, and descriptions with the bare words "counseling", "therapy" and "mental".
NOT_TREATMENT = [
    (
        "Volunteer Income Tax Assistance",
        "Free tax preparation and counseling on tax credits for families earning under $60,000.",
    ),
    (
        "WIC Program",
        "Nutrition counseling, breastfeeding support and healthy food for women, infants and "
        "children.",
    ),
    (
        "Pediatric Diabetes Center",
        "Outpatient diabetes care for children: insulin therapy, counseling for families and "
        "mental health support for teens living with diabetes.",
    ),
    (
        "Senior Center",
        "Meals, exercise, arts and crafts and peer counseling for seniors; a therapy dog visits.",
    ),
    (
        "Working Women's Association",
        "Career counseling, mentoring and networking for working women.",
    ),
    (
        "Adoptive Parent Classes",
        "Classes and counseling for adoptive parents: attachment, therapy options, talking about "
        "adoption.",
    ),
]


@pytest.mark.parametrize(("name", "description"), NOT_TREATMENT)
def test_services_that_only_mention_counseling_are_not_programs(name, description):
    verdict = classify_service(name, description, [])
    assert verdict.level is None
    assert verdict.reason == "no taxonomy and no specific treatment phrase"


@pytest.mark.parametrize(
    ("name", "description", "term"),
    [
        (*NOT_TREATMENT[0], TaxonomyTerm("DT-8000", "Tax Preparation Assistance")),
        (*NOT_TREATMENT[1], TaxonomyTerm("NL-9000", "WIC")),
        (*NOT_TREATMENT[2], TaxonomyTerm("LT-1800", "Diabetes Management Clinics")),
        (*NOT_TREATMENT[3], TaxonomyTerm("PS-8000", "Senior Centers")),
        (*NOT_TREATMENT[5], TaxonomyTerm("PH-0300", "Adoption Counseling and Support")),
        # A description that names treatment elsewhere does not overrule the taxonomy.
        (
            "Community Health Clinic",
            "Primary care. Referral to our sister clinic's intensive outpatient program.",
            TaxonomyTerm("LN-1500", "Community Clinics"),
        ),
    ],
)
def test_a_taxonomy_without_mental_health_terms_decides(name, description, term):
    verdict = classify_service(name, description, [term])
    assert verdict.level is None
    assert verdict.reason == (
        "no mental-health or substance-use term in its taxonomy or treatment in its name"
    )


@pytest.mark.parametrize(
    ("name", "description", "terms", "level", "reason"),
    [
        # With AIRS/211 codes from the mental-health and substance-use branch ("R").
        ("Adult Services", "For adults.",
         [TaxonomyTerm("RX-8450", "Substance Use Disorder Treatment Programs")],
         LevelOfCare.OP, "taxonomy"),
        ("Jackson North", "Locked unit.",
         [TaxonomyTerm("RM-3300", "Inpatient Mental Health Facilities")],
         LevelOfCare.INPATIENT, "taxonomy"),
        ("Family Services", "Counseling for couples and families.",
         [TaxonomyTerm("RF-2000", "Family Counseling")], LevelOfCare.OP, "taxonomy"),
        ("Detox Unit", "", [TaxonomyTerm("RX-1700", "Detoxification")], LevelOfCare.INPATIENT,
         "name"),
        # HSDS 3 terms without AIRS codes: the term's name says mental health.
        ("Community Counselling", "Counselling by trained professionals.",
         [TaxonomyTerm("3f7b145d", "Mental Health Counselling")], LevelOfCare.OP, "name"),
        # Without any taxonomy: only specific treatment phrases.
        ("Evening Intensive Outpatient Program", "Groups three evenings a week.", [],
         LevelOfCare.IOP, "name (a specific treatment phrase)"),
        ("Riverside Clinic", "A partial hospitalization program for adults with depression.",
         [], LevelOfCare.PHP, "description (a specific treatment phrase)"),
        ("Hope House", "Residential treatment for women recovering from addiction.", [],
         LevelOfCare.RESIDENTIAL, "description (a specific treatment phrase)"),
        ("Counselling", "Counselling for anxiety and depression.", [], LevelOfCare.OP,
         "description (a specific treatment phrase)"),
        ("Dr. Lee", "Psychotherapy for adults and couples.", [], LevelOfCare.OP,
         "description (a specific treatment phrase)"),
        ("New Start", "Substance use treatment with medication-assisted treatment.", [],
         LevelOfCare.OP, "description (a specific treatment phrase)"),
    ],
)  # fmt: skip
def test_real_treatment_services_with_and_without_codes(name, description, terms, level, reason):
    assert classify_service(name, description, terms) == common.Classification(level, reason)


@pytest.mark.parametrize(
    ("name", "terms", "reason"),
    [
        ("Key Largo", [TaxonomyTerm("RP-1500.3300", "In Person Crisis Intervention")],
         "its taxonomy lists no treatment service"),
        ("Marathon", [TaxonomyTerm("RX-8250.0500", "Alcohol Use Disorder Education/Prevention")],
         "its taxonomy lists no treatment service"),
        ("Camillus Health Concern", [TaxonomyTerm("RP-5000.5000", "Mental Health Screening")],
         "its taxonomy lists no treatment service"),
        ("Behavioral Health Treatment Services Locator", [], "information and referral only"),
    ],
)  # fmt: skip
def test_mental_health_terms_that_are_not_treatment(name, terms, reason):
    verdict = classify_service(name, "Substance use treatment information.", terms)
    assert (verdict.level, verdict.reason) == (None, reason)


def test_non_residential_is_not_residential():
    assert common.level_from_text("Non residential crisis services") is None
    assert common.level_from_text("Residential program for teens") == LevelOfCare.RESIDENTIAL


@pytest.mark.parametrize(
    ("code", "behavioral"),
    [("RX-8450", True), ("RP-1400.8000-020.05", True), ("R", True), ("RM", True),
     ("LH-2700.0150", False), ("rx-8450", True), ("3f7b145d-84af", False), ("RIVER", False)],
)  # fmt: skip
def test_airs_mental_health_branch_codes(code, behavioral):
    assert common.is_behavioral_term(TaxonomyTerm(code, "")) is behavioral


# ---- SAMHSA: rows -> a Batch ---------------------------------------------------------------


def locator_rows():
    return list(enumerate(json.loads(FIXTURE.read_text())["rows"]))


def test_samhsa_mapping_makes_records_without_a_database():
    batch, result = samhsa.map_rows(locator_rows(), "locator.json")
    assert batch.source == "samhsa" and batch.stale == Stale.DEACTIVATE_IN_GROUPS
    assert (len(batch.providers), len(batch.locations), len(batch.programs)) == (18, 25, 36)
    assert result.skipped == 0
    program = next(iter(batch.programs.values()))
    assert program.key == f"{program.group}:{program.level}"
    assert program.location_key == program.group
    assert program.provider_key == "name:" + common.norm(batch.providers[program.provider_key].name)


def test_samhsa_mapping_keeps_the_first_of_a_duplicate_frid():
    rows = locator_rows()
    duplicate = copy.deepcopy(rows[0][1])
    duplicate["name1"] = "Someone Else"
    batch, result = samhsa.map_rows([*rows, (25, duplicate)], "locator.json")
    assert len(batch.locations) == 25
    assert [str(problem) for problem in result.problems if problem.kind == "skipped"] == [
        f"SKIPPED locator.json rows[25] (id {duplicate['frid']}): duplicate frid (first at rows[0])"
    ]


# ---- HSDS: a package -> a Batch ------------------------------------------------------------


def write_package(folder: Path, tables: dict[str, list[list[str]]]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for file, rows in tables.items():
        with (folder / file).open("w", newline="") as handle:
            csv.writer(handle).writerows(rows)
    return folder


SMALL = {
    "organizations.csv": [["id", "name"], ["o1", "RIVER CITY COUNSELING, INC."]],
    "services.csv": [
        ["id", "organization_id", "name", "description"],
        ["s1", "o1", "Intensive Outpatient Program", "Evening groups."],
        ["s2", "o1", "WIC Program", "Nutrition counseling for mothers."],
    ],
    "locations.csv": [["id", "organization_id", "name"], ["l1", "o1", "MAIN OFFICE"]],
    "physical_addresses.csv": [
        ["id", "location_id", "address_1", "city", "state_province", "postal_code"],
        ["a1", "l1", "12 Example Road", "Louisville", "KY", "40202"],
    ],
    "services_at_location.csv": [
        ["id", "service_id", "location_id"], ["sl1", "s1", "l1"], ["sl2", "s2", "l1"]
    ],
    "regular_schedules.csv": [
        ["id", "service_id", "weekday", "opens_at", "closes_at"],
        ["", "s1", "Monday", "6:00pm", "9:00pm"],
    ],
}  # fmt: skip


def map_folder(folder: Path):
    package, _notes = hsds.read_package(folder)
    result = ImportResult(source="hsds:test")
    schedules = hsds.parse_schedules(package, result)
    return hsds.map_package(package, "hsds:test", schedules, result), result


def test_hsds_mapping_makes_records_and_logs_every_skip(tmp_path):
    batch, result = map_folder(write_package(tmp_path / "pkg", SMALL))
    assert list(batch.programs) == ["s1"]
    program = batch.programs["s1"]
    assert (program.level, program.location_key, program.provider_key) == ("IOP", "l1", "o1")
    assert program.name == "River City Counseling, Inc. — Intensive Outpatient Program"
    assert program.sessions == [(0, dt.time(18), dt.time(21), "Opening hours")]
    assert batch.locations["l1"].zip_code == "40202"
    assert [str(problem) for problem in result.problems if problem.kind == "skipped"] == [
        "SKIPPED services.csv line 3 (id s2): no taxonomy and no specific treatment phrase"
    ]


def test_a_package_as_published_with_its_csv_files_in_data(tmp_path):
    """Open Referral publishes datapackage.json at the root and the CSV files in data/."""
    folder = tmp_path / "published"
    write_package(folder / "data", SMALL)
    resources = [{"name": name[:-4], "path": f"data/{name}"} for name in SMALL]
    (folder / "datapackage.json").write_text(json.dumps({"name": "miami-211", "resources": []}))
    batch, _result = map_folder(folder)
    assert list(batch.programs) == ["s1"]
    (folder / "datapackage.json").write_text(
        json.dumps({"name": "miami-211", "resources": resources})
    )
    batch, _result = map_folder(folder)
    assert list(batch.programs) == ["s1"]


# ---- the demo directory --------------------------------------------------------------------


def test_the_demo_directory_is_a_batch_for_the_same_writer():
    batch = demo_batch(dt.date(2026, 11, 30))
    assert batch.source == "demo" and batch.stale == Stale.DELETE_SOURCE
    assert all(provider.is_demo for provider in batch.providers.values())
    assert 30 <= len(batch.programs) <= 60
    for program in batch.programs.values():
        assert program.provider_key in batch.providers
        assert program.location_key is None or program.location_key in batch.locations
    assert demo_batch(dt.date(2026, 11, 30)) == batch  # the same every run


# ---- the progress display ------------------------------------------------------------------


class Clock:
    def __init__(self):
        self.now = 0.0

    def __call__(self):
        return self.now


class Terminal(io.StringIO):
    def isatty(self):
        return True


def test_progress_on_a_terminal_rewrites_one_line():
    stream, clock = Terminal(), Clock()
    shown = progress.Progress(stream, "Writing programs", 1000, clock=clock)
    clock.now = 2.0
    shown.advance(250)
    shown.finish()
    assert stream.getvalue().split("\r")[1] == (
        "Writing programs: 250/1,000 rows, 125 rows/s, about 6s left\x1b[K"
    )
    assert stream.getvalue().endswith("\n")


def test_progress_when_not_a_terminal_prints_plain_lines_for_big_jobs_only():
    stream, clock = io.StringIO(), Clock()
    shown = progress.Progress(stream, "Reading", 20_000, clock=clock)
    for _ in range(20):
        clock.now += 1
        shown.advance(1000)
    shown.finish()
    lines = stream.getvalue().splitlines()
    assert len(lines) == 10 and "\r" not in stream.getvalue()
    assert lines[0] == "Reading: 2,000/20,000 rows, 1,000 rows/s, about 18s left"
    assert lines[-1] == "Reading: 20,000/20,000 rows, 1,000 rows/s, done in 20s"
    small = io.StringIO()
    shown = progress.Progress(small, "Reading", 300)
    shown.advance(300)
    shown.finish()
    assert small.getvalue() == ""
