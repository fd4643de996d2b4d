"""The SAMHSA treatment locator importer, on the real 2019 locator response (a public-domain
fixture, see tests/fixtures/README.md)."""

import copy
import csv
import datetime as dt
import json
from collections import Counter
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from programs.importers import samhsa
from programs.levels import LevelOfCare
from programs.models import Location, Program, Provider, Session

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "samhsa_locator_sample.json"
ADDICTION_ALLIES = "d0ac0e214edc9d4b15e8ba5b34bdde465d3d4039c6cac553b2dd55bca02e3c5a"


def rows():
    return json.loads(FIXTURE.read_text())["rows"]


def counts():
    return (
        Provider.objects.count(),
        Location.objects.count(),
        Program.objects.count(),
        Session.objects.count(),
    )


def run(path, *args):
    out = StringIO()
    call_command("import_programs", str(path), "--format", "samhsa", *args, stdout=out)
    return out.getvalue()


def write_rows(tmp_path, data, name="locator.json"):
    path = tmp_path / name
    path.write_text(json.dumps({"rows": data}))
    return path


# ---- mapping, no database ------------------------------------------------------------------


def test_levels_one_per_setting_and_never_iop_from_plain_outpatient():
    first = samhsa.map_row(rows()[0])
    assert first.levels == [LevelOfCare.PHP, LevelOfCare.IOP, LevelOfCare.OP]
    plain = copy.deepcopy(rows()[0])
    for block in plain["services"]:
        if block["f2"] == "SET":
            block["f3"] = "Outpatient; Regular outpatient treatment"
    assert samhsa.map_row(plain).levels == [LevelOfCare.OP]


@pytest.mark.parametrize(
    ("settings", "expected"),
    [
        ("Intensive outpatient treatment", [LevelOfCare.IOP]),
        ("Regular outpatient treatment", [LevelOfCare.OP]),
        ("Outpatient day treatment or partial hospitalization", [LevelOfCare.PHP]),
        ("Partial hospitalization/day treatment", [LevelOfCare.PHP]),
        ("Residential; Short-term residential; Long-term residential", [LevelOfCare.RESIDENTIAL]),
        ("Residential detoxification", [LevelOfCare.RESIDENTIAL]),
        ("Hospital inpatient; Outpatient", [LevelOfCare.INPATIENT, LevelOfCare.OP]),
    ],
)
def test_setting_values_map_to_levels(settings, expected):
    row = copy.deepcopy(rows()[0])
    for block in row["services"]:
        if block["f2"] == "SET":
            block["f3"] = settings
    assert samhsa.map_row(row).levels == expected


def test_facility_wide_codes_are_mapped():
    facility = samhsa.map_row(rows()[0])
    assert set(facility.therapies) >= {
        "cbt", "relapse_prevention", "trauma_focused", "twelve_step", "mat", "individual",
        "group", "family",
    }  # fmt: skip
    assert facility.payment == ["medicaid", "tricare", "private", "self_pay"]
    assert facility.age_groups == ["adult"]
    assert facility.languages == ["en"]
    assert "substance_use" in facility.conditions
    assert facility.accreditations.startswith("State substance abuse agency")


def test_languages_and_payment_assistance():
    row = copy.deepcopy(rows()[0])
    row["services"] += [
        {"f1": "Other Languages", "f2": "OL", "f3": "Spanish; German"},
        {"f1": "Language Services", "f2": "SL", "f3": "Services for the deaf and hard of hearing"},
        {
            "f1": "Payment Assistance Available",
            "f2": "PYAS",
            "f3": "Sliding fee scale (fee is based on income and other factors)",
        },
        {
            "f1": "Age Groups Accepted",
            "f2": "AGE",
            "f3": "Children/adolescents; Seniors (65 or older)",
        },
    ]
    facility = samhsa.map_row(row)
    assert facility.languages == ["en", "es", "asl"]
    assert "sliding_scale" in facility.payment
    assert set(facility.age_groups) == {"adult", "child", "teen", "older"}


# ---- the real file -------------------------------------------------------------------------


#: The written rule (directory-data.md 6.2), restated here for the values this file holds: a
#: facility gets one program per level among its SET (service settings) values; telehealth
#: is a way of attending, not a level; IOP only from "Intensive outpatient treatment".
SET_VALUE_LEVELS = {
    "Intensive outpatient treatment": "IOP",
    "Outpatient day treatment or partial hospitalization": "PHP",
    "Regular outpatient treatment": "OP",
    "Outpatient": "OP",
    "Outpatient methadone/buprenorphine or naltrexone treatment": "OP",
    "Residential": "RESIDENTIAL",
    "Short-term residential": "RESIDENTIAL",
    "Long-term residential": "RESIDENTIAL",
    "Residential detoxification": "RESIDENTIAL",
    "Computerized treatment/telemedicine": None,
}


def expected_from_the_file():
    """(programs per level, facilities, distinct organisation names), counted from the raw
    file by the rule above, without the importer."""
    levels = Counter()
    for row in rows():
        values = [
            value.strip()
            for block in row["services"]
            if block["f2"] == "SET"
            for value in block["f3"].split(";")
        ]
        assert set(values) <= SET_VALUE_LEVELS.keys(), values  # the rule covers every value
        levels.update({SET_VALUE_LEVELS[value] for value in values} - {None})
    organisations = {" ".join(row["name1"].lower().split()) for row in rows()}
    return levels, len(rows()), len(organisations)


@pytest.mark.django_db
def test_import_real_file_counts_and_a_known_iop():
    """The golden counts (36 programs: 8 IOP, 3 PHP, 3 residential, 22 OP; 25 sites of 18
    organisations) are derived from the file by the written rule, not copied from output."""
    levels, facilities, organisations = expected_from_the_file()
    assert (sum(levels.values()), facilities, organisations) == (36, 25, 18)
    assert levels == {"IOP": 8, "PHP": 3, "RESIDENTIAL": 3, "OP": 22}
    output = run(FIXTURE)
    assert f"{sum(levels.values())} programs created, 0 updated, 0 records skipped" in output
    assert counts() == (organisations, facilities, sum(levels.values()), 0)
    assert Counter(Program.objects.values_list("level", flat=True)) == levels

    iop = Program.objects.get(source="samhsa", source_id=f"{ADDICTION_ALLIES}:IOP")
    assert iop.level == "IOP"
    assert iop.name == "Addiction Allies LLC — Intensive outpatient"
    assert iop.payment == ["medicaid", "tricare", "private", "self_pay"]
    assert {"cbt", "relapse_prevention", "twelve_step", "mat"} <= set(iop.therapies)
    assert iop.age_groups == ["adult"]
    assert "whole facility" in iop.source_note
    assert iop.accepting_new_patients is None
    assert iop.intake_phone == "434-962-1645"
    assert iop.intake_url == "http://www.addictionallies.com"
    assert iop.location.street == "233 Hydraulic Ridge Road"
    assert iop.location.street2 == "Suite 203-A"
    assert iop.location.latitude == pytest.approx(38.0745616)
    assert iop.location.longitude == pytest.approx(-78.4980579)
    assert iop.provider.accreditations.startswith("State substance abuse agency")

    # One provider for the six "Region Ten Community Services Board" sites.
    region_ten = Provider.objects.get(name="Region Ten Community Services Board")
    assert region_ten.locations.count() == 6
    # Telehealth (Computerized treatment/telemedicine) makes outpatient programs hybrid.
    assert (
        Program.objects.get(
            name="Empowering Families Program, Substance Abuse Intensive "
            "Outpatient — Intensive outpatient"
        ).modality
        == "both"
    )
    # Residential sites: in person only.
    assert Program.objects.get(name="Pathways Recovery Lodge — Residential").modality == "in_person"


@pytest.mark.django_db
def test_reimport_updates_instead_of_duplicating():
    run(FIXTURE)
    before = counts()
    slugs = set(Program.objects.values_list("slug", flat=True))
    output = run(FIXTURE)
    assert "0 programs created, 36 updated, 0 records skipped" in output
    assert counts() == before
    assert set(Program.objects.values_list("slug", flat=True)) == slugs


@pytest.mark.django_db
def test_skipped_rows_are_listed_with_index_and_reason(tmp_path):
    data = rows()[:3]
    no_address = copy.deepcopy(rows()[3])
    no_address.update(street1="", zip="")
    no_level = copy.deepcopy(rows()[4])
    no_level["services"] = [b for b in no_level["services"] if b["f2"] != "SET"]
    no_frid = copy.deepcopy(rows()[5])
    no_frid["frid"] = ""
    data += [no_address, no_level, "not an object", no_frid]
    output = run(write_rows(tmp_path, data))
    assert "7 programs created, 0 updated, 4 records skipped" in output
    assert "SKIPPED locator.json rows[3]" in output and "no address" in output
    assert "SKIPPED locator.json rows[4]" in output and "no level of care" in output
    assert "SKIPPED locator.json rows[5]: not a JSON object" in output
    assert "SKIPPED locator.json rows[6]: no facility id (frid)" in output


@pytest.mark.django_db
def test_missing_coordinates_use_the_zip_centroid(tmp_path):
    row = copy.deepcopy(rows()[0])
    row.update(latitude="", longitude=None)
    run(write_rows(tmp_path, [row]))
    location = Location.objects.get()
    assert location.latitude == pytest.approx(38.0, abs=0.2)  # ZIP 22901, Charlottesville
    assert location.longitude == pytest.approx(-78.5, abs=0.2)


@pytest.mark.django_db
def test_a_level_no_longer_listed_is_deactivated(tmp_path):
    run(write_rows(tmp_path, [rows()[0]]))
    row = copy.deepcopy(rows()[0])
    for block in row["services"]:
        if block["f2"] == "SET":
            block["f3"] = "Outpatient"
    output = run(write_rows(tmp_path, [row]))
    assert "2 programs deactivated" in output  # its IOP and PHP
    assert not Program.objects.get(source_id=f"{ADDICTION_ALLIES}:IOP").is_active
    assert not Program.objects.get(source_id=f"{ADDICTION_ALLIES}:PHP").is_active
    assert Program.objects.get(source_id=f"{ADDICTION_ALLIES}:OP").is_active


@pytest.mark.django_db
@pytest.mark.parametrize(
    "content",
    [
        FIXTURE.read_text()[: len(FIXTURE.read_text()) // 2],  # truncated mid-way
        "",
        '{"rows": {"not": "a list"}}',
        "\xff\xfe not text",
    ],
)
def test_a_malformed_file_changes_nothing(tmp_path, content):
    run(FIXTURE)
    Program.objects.update(last_verified=dt.date(2020, 1, 1))
    before = counts()
    broken = tmp_path / "broken.json"
    broken.write_text(content, encoding="latin-1")
    with pytest.raises(CommandError, match="Nothing was imported"):
        run(broken)
    assert counts() == before
    assert set(Program.objects.values_list("last_verified", flat=True)) == {dt.date(2020, 1, 1)}


@pytest.mark.django_db
def test_an_error_while_writing_rolls_back_the_whole_file(monkeypatch):
    """Providers, locations and programs are written when the sessions fail: none stays."""
    from programs.importers import writer

    def failing(*args):
        assert Program.objects.count() == 36  # the upserts ran inside the transaction
        raise RuntimeError("disk full")

    monkeypatch.setattr(writer, "_replace_sessions", failing)
    with pytest.raises(RuntimeError):
        run(FIXTURE)
    assert counts() == (0, 0, 0, 0)


@pytest.mark.django_db
def test_a_site_listed_by_both_surveys_becomes_one_location(tmp_path):
    sa_row = copy.deepcopy(rows()[0])
    mh_row = copy.deepcopy(rows()[0])
    mh_row.update(frid="0" * 64, typeFacility="MH")
    mh_row["services"] = [
        {"f1": "Type of Care", "f2": "TC", "f3": "Mental health treatment"},
        {"f1": "Service Settings", "f2": "SET", "f3": "Outpatient; Hospital inpatient"},
        {"f1": "Treatment Approaches", "f2": "TAP", "f3": "Dialectical behavior therapy"},
        {"f1": "Payment", "f2": "PAY", "f3": "Medicare"},
    ]
    for order in ([sa_row, mh_row], [mh_row, sa_row]):  # the key does not depend on the order
        output = run(write_rows(tmp_path, order))
        assert "same site as rows[" in run(write_rows(tmp_path, order), "--verbosity", "2")
        assert Location.objects.count() == 1
        assert Location.objects.get().source_id == "0" * 64
        assert Program.objects.count() == 4  # INPATIENT, PHP, IOP, OP
        assert "0 programs deactivated" in output
    iop = Program.objects.get(level="IOP")
    assert {"dbt", "cbt"} <= set(iop.therapies)
    assert "medicare" in iop.payment


WIDE_COLUMNS = [
    *[
        "name1",
        "name2",
        "street1",
        "street2",
        "city",
        "state",
        "zip",
        "zip4",
        "county",
        "phone",
        "intake_prompt",
        "intake1",
    ],
    *["intake2", "website", "latitude", "longitude", "type_facility"],
    *[
        "mh",
        "sa",
        "hi",
        "res",
        "phdt",
        "op",
        "oit",
        "ort",
        "tele",
        "cbt",
        "dbt",
        "gt",
        "md",
        "mc",
        "pi",
        "mi",
        "sf",
        "ss",
        "adlt",
        "chld",
        "snr",
        "sp",
        "f4",
        "ah",
    ],
]


def wide_row(codes="", **fields):
    row = dict.fromkeys(WIDE_COLUMNS, "")
    row.update(fields)
    row.update(dict.fromkeys(codes.split(), "1"))
    return row


@pytest.mark.django_db
def test_the_wide_csv_export(tmp_path):
    path = tmp_path / "FindTreatment_Facility_listing_2023_04_20.csv"
    rows = [
        wide_row(
            "mh phdt op tele cbt dbt gt md mc ss adlt chld snr sp f4 ah",
            name1="Example Behavioral Health", name2="East Clinic", street1="100 Example Ave NE",
            city="Washington", state="DC", zip="20002", phone="202-555-0100",
            intake1="202-555-0101", website="http://", latitude="38.9", longitude="-76.99",
            type_facility="MH",
        ),
        wide_row(
            "sa res op oit ort md pi mi sf adlt",
            name1="Example Recovery", street1="200 Sample St", city="Washington", state="DC",
            zip="20003", phone="202-555-0102", website="https://recovery.example.org",
            type_facility="SA",
        ),
        wide_row("mh op", name1="Nowhere House", state="DC", type_facility="MH"),
    ]  # fmt: skip
    with path.open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=WIDE_COLUMNS)
        writer.writeheader()
        writer.writerows(rows)
    output = run(path)
    assert "samhsa: 5 programs created, 0 updated, 1 records skipped" in output
    assert "SKIPPED FindTreatment_Facility_listing_2023_04_20.csv line 4" in output
    mh = Program.objects.get(provider__name="Example Behavioral Health", level="PHP")
    assert mh.modality == "both"
    assert mh.therapies == ["cbt", "dbt", "group"]
    assert mh.payment == ["medicaid", "medicare", "sliding_scale"]
    assert mh.languages == ["en", "es", "ar", "asl"]
    assert mh.age_groups == ["adult", "child", "teen", "older"]
    assert mh.intake_phone == "202-555-0101"
    assert mh.intake_url == ""  # the bare "http://" is dropped
    # The export has no frid: never IOP without the OIT column, and re-imports stay keyed.
    assert not Program.objects.filter(provider__name="Example Behavioral Health", level="IOP")
    assert set(
        Program.objects.filter(provider__name="Example Recovery").values_list("level", flat=True)
    ) == {"RESIDENTIAL", "IOP", "OP"}
    assert Location.objects.get(street="200 Sample St").latitude is not None  # ZIP centroid
    assert "0 programs created, 5 updated" in run(path)


@pytest.mark.parametrize(
    ("raw", "clean"),
    [("22901", "22901"), (" 22901-1234 ", "22901"), ("２２９０１", ""), ("2290１", ""), ("", "")],
)
def test_clean_zip_takes_ascii_digits_only(raw, clean):
    """Review fix: ``\\d`` let full-width digits through as a ZIP code."""
    from programs.importers.common import clean_zip

    assert clean_zip(raw) == clean
