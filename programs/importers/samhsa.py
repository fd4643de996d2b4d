"""Import SAMHSA Behavioral Health Treatment Services Locator records (FindTreatment.gov).

Input: the locator API's JSON, ``{"rows": [...]}`` (or the locator's wide CSV "Download" export,
section 1.5), each row one facility *site* with category
blocks ``services: [{f1: label, f2: code, f3: "value; value"}]`` (directory-data.md 1.2).

SAMHSA has no program entity: we make one Location per ``frid``, one Provider per normalised
``name1`` and one Program per level-of-care flag in ``SET`` (and MH facility types ``FT``), keyed
``source="samhsa"``, ``source_id="<frid>:<LEVEL>"``. Therapies, payment, ages and languages are
facility-wide in SAMHSA's data, so every program of a site carries them and says so in
``source_note``. IOP comes only from "Intensive outpatient treatment": never from plain
outpatient (directory-data.md 6.2).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

from programs.importers import common, writer
from programs.importers import progress as progress_display
from programs.importers.common import (
    ImportFileError,
    ImportResult,
    norm,
    read_csv_rows,
    split_values,
)
from programs.importers.records import Batch, LocationRecord, ProgramRecord, ProviderRecord, Stale
from programs.levels import PROGRAM_LEVELS, LevelOfCare

SOURCE = "samhsa"
SOURCE_NOTE = (
    "From SAMHSA's treatment locator. Therapies, payment, ages and languages are listed for "
    "the whole facility, not for this program: check with the program."
)


class SkipRecord(Exception):
    """This row cannot become a program; the message says why."""


@dataclass(slots=True)
class Facility:
    """One locator row, mapped to our vocabulary (no database)."""

    frid: str
    provider_name: str
    site_name: str
    street: str
    street2: str
    city: str
    state: str
    zip_code: str
    latitude: float | None
    longitude: float | None
    placed_by_zip: bool
    phone: str
    intake_phone: str
    website: str
    levels: list[LevelOfCare]
    telehealth: bool
    therapies: list[str] = field(default_factory=list)
    payment: list[str] = field(default_factory=list)
    age_groups: list[str] = field(default_factory=list)
    languages: list[str] = field(default_factory=list)
    conditions: list[str] = field(default_factory=list)
    accreditations: str = ""
    description: str = ""
    unknown_settings: list[str] = field(default_factory=list)


def _blocks(row) -> dict[str, list[str]]:
    blocks: dict[str, list[str]] = {}
    for block in row.get("services") or []:
        if not isinstance(block, dict):
            continue
        code = str(block.get("f2") or "").strip().upper()
        if code:
            blocks.setdefault(code, []).extend(split_values(block.get("f3")))
    return blocks


def levels_of(blocks) -> tuple[list[LevelOfCare], bool, list[str]]:
    """(levels offered, telehealth offered, SET values we do not know)."""
    found: set[LevelOfCare] = set()
    unknown = []
    telehealth = False
    for value in blocks.get("SET", []):
        key = norm(value).removesuffix(" (mh)").removesuffix(" (sa)")
        if key in common.SAMHSA_TELEHEALTH:
            telehealth = True
        elif key in common.SAMHSA_SETTING_LEVELS:
            found.add(common.SAMHSA_SETTING_LEVELS[key])
        else:
            unknown.append(value)
    for value in blocks.get("FT", []):
        level = common.SAMHSA_FACILITY_TYPE_LEVELS.get(norm(value))
        if level is not None:
            found.add(level)
    ordered = [level for level in PROGRAM_LEVELS if level in found]
    return ordered, telehealth, unknown


def map_row(row) -> Facility:
    """Map one locator row; raises SkipRecord with a reason when it cannot be imported."""
    if not isinstance(row, dict):
        raise SkipRecord("not a JSON object")
    frid = str(row.get("frid") or "").strip()
    if not frid:
        raise SkipRecord("no facility id (frid)")
    if len(frid) > 150:
        raise SkipRecord("facility id (frid) longer than 150 characters")
    name1 = common.clean(row.get("name1"), 200)
    if not name1:
        raise SkipRecord("no facility name (name1)")
    blocks = _blocks(row)
    levels, telehealth, unknown = levels_of(blocks)
    if not levels:
        raise SkipRecord("no level of care in its service settings (SET)")

    street = common.clean(row.get("street1"), 200)
    zip_code = common.clean_zip(row.get("zip"))
    city = common.clean(row.get("city"), 100)
    if not street and not zip_code:
        raise SkipRecord("no address (street1 and zip are empty)")
    latitude = common.parse_coordinate(row.get("latitude"), 90)
    longitude = common.parse_coordinate(row.get("longitude"), 180)
    placed_by_zip = False
    if latitude is None or longitude is None:
        centroid = common.zip_centroid(zip_code)
        if centroid is None:
            raise SkipRecord(f"no coordinates and ZIP {row.get('zip')!r} is not a known US ZIP")
        latitude, longitude = centroid
        placed_by_zip = True

    therapies = [common.SAMHSA_THERAPIES.get(norm(v)) for v in blocks.get("TAP", [])]
    therapies += [common.SAMHSA_COUNSELING_THERAPIES.get(norm(v)) for v in blocks.get("EDU", [])]
    medication_text = norm(" ".join(blocks.get("SET", []) + blocks.get("OT", [])))
    medication_text += " " + norm(" ".join(blocks.get("PHR", [])))
    if any(word in medication_text for word in common.SAMHSA_MAT_WORDS):
        therapies.append("mat")

    payment = [
        common.SAMHSA_PAYMENT.get(norm(v)) for v in blocks.get("PAY", []) + blocks.get("PYAS", [])
    ]
    ages = [code for v in blocks.get("AGE", []) for code in common.SAMHSA_AGES.get(norm(v), [])]
    # Services are in English unless stated otherwise; OL adds languages, SL deaf services.
    languages = ["en"] + [
        common.language_code(v) for v in blocks.get("OL", []) + blocks.get("SL", [])
    ]
    conditions = [common.SAMHSA_CONDITIONS.get(norm(v)) for v in blocks.get("TC", [])]
    conditions += [common.SAMHSA_CONDITIONS.get(norm(v)) for v in blocks.get("SG", [])]
    if str(row.get("typeFacility") or "").upper() == "SA":
        conditions.append("substance_use")

    description_parts = []
    if blocks.get("TC"):
        description_parts.append("; ".join(blocks["TC"]) + ".")
    if blocks.get("SG"):
        description_parts.append("Special programs: " + "; ".join(blocks["SG"]) + ".")
    if blocks.get("EXCL"):
        description_parts.append("Only for: " + "; ".join(blocks["EXCL"]) + ".")
    if blocks.get("GN") and len(blocks["GN"]) == 1:
        description_parts.append(f"Accepts: {blocks['GN'][0]} clients only.")

    phone = common.clean(row.get("phone"), 40)
    return Facility(
        frid=frid,
        provider_name=name1,
        site_name=common.clean(row.get("name2"), 200),
        street=street,
        street2=common.clean(row.get("street2"), 200),
        city=city,
        state=common.clean_state(row.get("state")),
        zip_code=zip_code,
        latitude=latitude,
        longitude=longitude,
        placed_by_zip=placed_by_zip,
        phone=phone,
        intake_phone=common.clean(row.get("intake1") or row.get("intake2"), 40) or phone,
        website=common.clean_url(row.get("website")),
        levels=levels,
        telehealth=telehealth,
        therapies=common.dedupe(therapies),
        payment=common.dedupe(payment),
        age_groups=common.dedupe(ages),
        languages=common.dedupe(languages),
        conditions=common.dedupe(conditions),
        accreditations=common.clean("; ".join(blocks.get("LCA", [])), 300),
        description=" ".join(description_parts),
        unknown_settings=unknown,
    )


def read_rows(path: Path) -> list[tuple[int, object]]:
    """(position, row) pairs of a locator file: the index in a JSON file's ``rows``, or the
    line of a row in the locator's wide CSV export. ImportFileError when it is neither."""
    if path.suffix.lower() == ".csv":
        return read_wide_csv(path)
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        raise ImportFileError(f"{path}: cannot read the file ({error})") from error
    try:
        data = common.load_json(text, path.name)
    except json.JSONDecodeError as error:
        raise ImportFileError(
            f"{path}: not valid JSON (line {error.lineno}, column {error.colno}: {error.msg})"
        ) from error
    del text
    rows = data.get("rows") if isinstance(data, dict) else data
    if not isinstance(rows, list):
        raise ImportFileError(f'{path}: expected a JSON object with a "rows" list')
    for position, row in enumerate(rows):
        check_shape(row, f"{path.name} rows[{position}]")
    return list(enumerate(rows))


def check_shape(row, where: str) -> None:
    """A row whose structure is not the locator's refuses the whole file, naming the row:
    ``services`` must be a list of category objects, and no text may hold a NUL character
    (PostgreSQL cannot store it). Rows that are not objects at all are skipped later."""
    if not isinstance(row, dict):
        return
    services = row.get("services")
    if services is not None and not isinstance(services, list):
        raise ImportFileError(
            f'{where}: "services" is {type(services).__name__}, not a list of categories'
        )
    for block in services or []:
        if not isinstance(block, dict):
            raise ImportFileError(f'{where}: an entry of "services" is not an object')
    common.refuse_nul(row, where)


#: The wide CSV export's service-code columns (directory-data.md 1.3 and 1.5) as the
#: (category, value) blocks of the JSON API, so both shapes map the same way.
WIDE_CODES = {
    "hi": ("SET", "Hospital inpatient"),
    "res": ("SET", "Residential"),
    "rs": ("SET", "Short-term residential"),
    "rl": ("SET", "Long-term residential"),
    "rd": ("SET", "Residential detoxification"),
    "ph": ("SET", "Partial hospitalization/day treatment"),
    "phdt": ("SET", "Partial hospitalization/day treatment"),
    "odt": ("SET", "Outpatient day treatment or partial hospitalization"),
    "oit": ("SET", "Intensive outpatient treatment"),
    "ort": ("SET", "Regular outpatient treatment"),
    "op": ("SET", "Outpatient"),
    "omb": ("SET", "Outpatient methadone/buprenorphine or naltrexone treatment"),
    "od": ("SET", "Outpatient detoxification"),
    "tele": ("SET", "Telemedicine/telehealth"),
    "psy": ("FT", "Psychiatric hospital or psychiatric unit of a general hospital"),
    "rtca": ("FT", "Residential treatment center (RTC) for adults"),
    "rtcc": ("FT", "Residential treatment center (RTC) for children"),
    "omh": ("FT", "Outpatient mental health facility"),
    "cmhc": ("FT", "Community mental health center"),
    "cbt": ("TAP", "Cognitive behavioral therapy"),
    "dbt": ("TAP", "Dialectical behavior therapy"),
    "rebt": ("TAP", "Rational emotive behavioral therapy"),
    "trc": ("TAP", "Trauma-related counseling"),
    "cft": ("TAP", "Couples/family therapy"),
    "gt": ("TAP", "Group therapy"),
    "ipt": ("TAP", "Individual psychotherapy"),
    "moti": ("TAP", "Motivational interviewing"),
    "relp": ("TAP", "Relapse prevention"),
    "twfa": ("TAP", "12-step facilitation"),
    "emdr": ("TAP", "EMDR"),
    "md": ("PAY", "Medicaid"),
    "mc": ("PAY", "Medicare"),
    "pi": ("PAY", "Private health insurance"),
    "mi": ("PAY", "Military insurance (e.g., TRICARE)"),
    "sf": ("PAY", "Cash or self-payment"),
    "np": ("PAY", "No payment accepted"),
    "ss": ("PYAS", "Sliding fee scale"),
    "adlt": ("AGE", "Adults"),
    "yad": ("AGE", "Young adults"),
    "chld": ("AGE", "Children/adolescents"),
    "snr": ("AGE", "Seniors (65 or older)"),
    "sp": ("OL", "Spanish"),
    "ah": ("SL", "Services for the deaf and hard of hearing"),
    "f4": ("OL", "Arabic"),
    "f17": ("OL", "Any Chinese language"),
    "f19": ("OL", "Creole"),
    "f28": ("OL", "French"),
    "f47": ("OL", "Korean"),
    "f70": ("OL", "Russian"),
    "f92": ("OL", "Vietnamese"),
    "sa": ("TC", "Substance use treatment"),
    "mh": ("TC", "Mental health treatment"),
    "co": ("SG", "Persons with co-occurring mental and substance use disorders"),
    "ptsd": ("SG", "Persons with post-traumatic stress disorder (PTSD)"),
    "trma": ("SG", "Persons who have experienced trauma"),
    "ped": ("SG", "Persons with eating disorders"),
}
WIDE_REQUIRED = {"name1", "street1", "city", "state", "zip"}


def read_wide_csv(path: Path) -> list[tuple[int, dict]]:
    """Rows of the locator's "Download" export (one column per service code, 1 or blank),
    turned into the JSON API's row shape. The export has no ``frid``: a site is keyed on a
    hash of its name, street and ZIP instead."""
    return [
        (line, _wide_row(raw))
        for line, raw in read_csv_rows(path, WIDE_REQUIRED, lower_header=True)
    ]


def _wide_row(raw: dict) -> dict:
    blocks: dict[str, list[str]] = {}
    for column, value in raw.items():
        if column in WIDE_CODES and str(value or "").strip() in ("1", "1.0", "Y", "y", "TRUE"):
            code, label = WIDE_CODES[column]
            blocks.setdefault(code, []).append(label)
    key = "|".join(norm(raw.get(name)) for name in ("name1", "street1", "zip"))
    row = {name: raw.get(name) for name in raw if name not in WIDE_CODES}
    row["frid"] = "site-" + hashlib.sha256(key.encode()).hexdigest()[:40]
    row["typeFacility"] = raw.get("type_facility") or raw.get("typefacility") or ""
    row["services"] = [
        {"f1": code, "f2": code, "f3": "; ".join(values)} for code, values in blocks.items()
    ]
    return row


def merge_same_sites(
    facilities: list[tuple[int, Facility]], file: str, result: ImportResult
) -> list[tuple[int, Facility]]:
    """One facility per site: a site that answered both the substance-use and the mental-health
    survey has two rows with different ``frid``s (directory-data.md 1.6). Rows with the same
    name, street and ZIP are merged into the one with the smallest ``frid``, so the key does not
    depend on the order of the rows."""
    groups: dict[tuple, list[tuple[int, Facility]]] = {}
    for index, facility in facilities:
        key = (norm(facility.provider_name), norm(facility.street), facility.zip_code)
        groups.setdefault(key, []).append((index, facility))
    merged = []
    for group in groups.values():
        group.sort(key=lambda item: item[1].frid)
        index, main = group[0]
        for other_index, other in group[1:]:
            found = set(main.levels) | set(other.levels)
            main.levels = [level for level in PROGRAM_LEVELS if level in found]
            main.telehealth = main.telehealth or other.telehealth
            for name in ("therapies", "payment", "age_groups", "languages", "conditions"):
                setattr(main, name, common.dedupe(getattr(main, name) + getattr(other, name)))
            main.accreditations = main.accreditations or other.accreditations
            if other.description and other.description not in main.description:
                main.description = common.clean(f"{main.description} {other.description}")
            result.warn(
                file, other_index, other.frid,
                f"same site as {where(file, index)} (it answered both surveys): merged into one",
            )  # fmt: skip
        merged.append((index, main))
    return sorted(merged, key=lambda item: item[0])


def program_name(facility: Facility, level: LevelOfCare) -> str:
    site = facility.provider_name
    if facility.site_name and norm(facility.site_name) != norm(site):
        site = f"{site}, {facility.site_name}"
    return common.clean(f"{site} — {common.LEVEL_NAMES[level]}", 200)


def where(file: str, position: int) -> str:
    return f"line {position}" if file.lower().endswith(".csv") else f"rows[{position}]"


def map_rows(rows, file: str, progress=None) -> tuple[Batch, ImportResult]:
    """The pure mapping: (position, row) pairs of one locator file -> a Batch and the list of
    skipped rows and warnings. No database."""
    result = ImportResult(source=SOURCE)
    facilities: list[tuple[int, Facility]] = []
    seen_frids: dict[str, int] = {}
    shown = progress_display.start(progress, "Reading facilities", len(rows))
    for position, row in rows:
        shown.advance()
        record = row.get("frid") if isinstance(row, dict) else ""
        try:
            facility = map_row(row)
        except SkipRecord as reason:
            result.skip(file, position, record, str(reason))
            continue
        if facility.frid in seen_frids:
            first = where(file, seen_frids[facility.frid])
            result.skip(file, position, record, f"duplicate frid (first at {first})")
            continue
        seen_frids[facility.frid] = position
        if facility.unknown_settings:
            result.warn(
                file, position, record,
                "unknown service settings ignored: " + "; ".join(facility.unknown_settings),
            )  # fmt: skip
        if facility.placed_by_zip:
            result.warn(file, position, record, "no coordinates: placed at the ZIP centroid")
        facilities.append((position, facility))
    shown.finish()

    batch = Batch(source=SOURCE, stale=Stale.DEACTIVATE_IN_GROUPS)
    for _position, facility in merge_same_sites(facilities, file, result):
        add_facility(batch, facility)
    return batch, result


def add_facility(batch: Batch, facility: Facility) -> None:
    """One facility -> its provider (the first site of an organisation sets its details), its
    location and one program per level of care."""
    provider_key = "name:" + norm(facility.provider_name)[:190]
    batch.add_provider(
        ProviderRecord(
            key=provider_key,
            name=facility.provider_name,
            website=facility.website,
            phone=facility.phone,
            accreditations=facility.accreditations,
        )
    )
    batch.add_location(
        LocationRecord(
            key=facility.frid,
            provider_key=provider_key,
            name=facility.site_name,
            street=facility.street,
            street2=facility.street2,
            city=facility.city,
            state=facility.state,
            zip_code=facility.zip_code,
            latitude=facility.latitude,
            longitude=facility.longitude,
            phone=facility.phone,
        )
    )
    for level in facility.levels:
        outpatient = level in (LevelOfCare.OP, LevelOfCare.IOP, LevelOfCare.PHP)
        batch.add_program(
            ProgramRecord(
                key=f"{facility.frid}:{level.value}",
                provider_key=provider_key,
                location_key=facility.frid,
                group=facility.frid,
                name=program_name(facility, level),
                description=facility.description,
                level=level.value,
                age_groups=facility.age_groups,
                conditions=facility.conditions,
                therapies=facility.therapies,
                languages=facility.languages,
                payment=facility.payment,
                modality="both" if facility.telehealth and outpatient else "in_person",
                accepting_new_patients=None,
                intake_phone=facility.intake_phone,
                intake_url=facility.website,
                source_note=SOURCE_NOTE,
            )
        )


def import_file(path, *, dry_run: bool = False, progress=None, date=None) -> ImportResult:
    """Import one locator file (API JSON, or the wide CSV export) in one transaction; returns
    the counts and problems. A level a facility no longer lists is hidden, not deleted (staff
    may have edited the row)."""
    path = Path(path)
    common.load_zip_centroids()  # first: the scratch memory of building it is reused below
    rows = read_rows(path)  # raises before anything is written
    batch, result = map_rows(rows, path.name, progress)
    batch.source_date = date or common.source_date(path.name)
    del rows  # the file's rows are no longer needed: keep the peak memory down
    return writer.write(batch, result, dry_run=dry_run, progress=progress)
