"""Import an Open Referral HSDS tabular data package: a directory of CSV files, optionally with
a ``datapackage.json``. Both HSDS 1.x (``regular_schedules``, ``physical_addresses``,
``services_taxonomy``; free-text times such as "8:30am") and HSDS 3.0 (``schedules`` with
freq/byday/opens_at/closes_at, ``addresses``, ``attributes``) are read.

Mapping (directory-data.md 6.1 and 6.3): organization -> Provider, location + address ->
Location, each service at each location -> one Program, weekly schedule rows -> Sessions.
Rows are keyed ``source="hsds:<package name>"`` and the source's own ids, so a re-import updates
them. HSDS has no level-of-care field: whether a service is mental-health or substance-use
treatment, and its level, are decided by keyword rules on its name, taxonomy term names and
description (``common.classify_service``); no licensed taxonomy table is shipped.
"""

from __future__ import annotations

import datetime as dt
import json
import string
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.utils.text import slugify

from programs.importers import common
from programs.importers.common import ImportFileError, ImportResult, norm, read_csv_rows
from programs.levels import LevelOfCare

#: The name an unedited HSDS datapackage.json template carries: not a useful source name.
TEMPLATE_PACKAGE_NAMES = {"human_services_data", "hsds", ""}

#: Table -> file names it may have, HSDS 3.0 first.
TABLES = {
    "organizations": ["organizations", "organization"],
    "services": ["services", "service"],
    "locations": ["locations", "location"],
    "service_at_location": ["service_at_location", "services_at_location", "service_at_locations"],
    "addresses": ["addresses", "address"],
    "physical_addresses": ["physical_addresses", "physical_address"],
    "postal_addresses": ["postal_addresses", "postal_address"],
    "phones": ["phones", "phone"],
    "schedules": ["schedules", "schedule"],
    "regular_schedules": ["regular_schedules", "regular_schedule"],
    "languages": ["languages", "language"],
    "services_taxonomy": ["services_taxonomy", "service_taxonomy"],
    "taxonomy": ["taxonomy", "taxonomies"],
    "taxonomy_terms": ["taxonomy_terms", "taxonomy_term"],
    "attributes": ["attributes", "attribute"],
    "cost_options": ["cost_options", "cost_option"],
    "funding": ["funding", "fundings"],
    "payments_accepted": ["payments_accepted", "payment_accepted"],
    "eligibility": ["eligibility", "eligibilities"],
    "accessibility": ["accessibility", "accessibility_for_disabilities"],
}

#: Columns without which a table cannot be read at all.
REQUIRED_COLUMNS = {
    "services": {"id", "name"},
    "organizations": {"id", "name"},
    "locations": {"id"},
    "service_at_location": {"service_id", "location_id"},
    "addresses": {"address_1", "postal_code"},
    "physical_addresses": {"location_id", "address_1", "postal_code"},
    "phones": {"number"},
    "schedules": {"byday", "opens_at", "closes_at"},
    "regular_schedules": {"weekday", "opens_at", "closes_at"},
    "languages": set(),
    "services_taxonomy": {"service_id", "taxonomy_id"},
    "taxonomy": {"id", "name"},
    "taxonomy_terms": {"id", "name"},
    "attributes": {"link_id", "taxonomy_term_id"},
}

#: Directory names too generic to name a source alone ("examples/csv" -> "examples-csv").
GENERIC_DIRECTORY_NAMES = {"csv", "data", "datapackage", "package", "hsds", "export"}

OPENING_HOURS = "Opening hours"
INACTIVE_STATUSES = {"inactive", "defunct", "temporarily closed"}


@dataclass
class Table:
    file: str
    rows: list[tuple[int, dict]] = field(default_factory=list)  # (line, row)


@dataclass
class Package:
    path: Path
    name: str
    version: str
    tables: dict[str, Table]

    def rows(self, table: str) -> list[tuple[int, dict]]:
        found = self.tables.get(table)
        return found.rows if found else []

    def by(self, table: str, column: str) -> dict[str, list[tuple[int, dict]]]:
        """The rows of ``table`` grouped by the value of ``column`` (built once)."""
        cache = self.__dict__.setdefault("_indexes", {})
        if (table, column) not in cache:
            cache[(table, column)] = _index(self.rows(table), column)
        return cache[(table, column)]

    def file(self, table: str) -> str:
        found = self.tables.get(table)
        return found.file if found else f"{table}.csv"


# --------------------------------------------------------------------------- reading


def _read_csv(path: Path, table: str) -> Table:
    return Table(file=path.name, rows=read_csv_rows(path, REQUIRED_COLUMNS.get(table, set())))


def _package_name(path: Path) -> tuple[str, dict]:
    """The package's name and datapackage.json content (``{}`` when absent or unreadable).

    ``datapackage.json`` is optional metadata: when it cannot be parsed the directory name is
    used (the HSDS 3.0 example folder holds a dangling link text instead of JSON).
    """
    meta_path = path / "datapackage.json"
    meta: dict = {}
    if meta_path.is_file():
        try:
            loaded = json.loads(meta_path.read_text(encoding="utf-8-sig"))
            meta = loaded if isinstance(loaded, dict) else {}
        except (OSError, UnicodeDecodeError, json.JSONDecodeError):
            meta = {"_unreadable": True}
    name = str(meta.get("name") or "").strip()
    if name.lower() in TEMPLATE_PACKAGE_NAMES:
        name = path.resolve().name
    return name, meta


def read_package(path) -> tuple[Package, list[str]]:
    """Read every known CSV of the package; ImportFileError when any of them is unusable."""
    path = Path(path)
    if not path.is_dir():
        raise ImportFileError(f"{path}: not a directory")
    name, meta = _package_name(path)
    if name.lower() in GENERIC_DIRECTORY_NAMES:
        name = f"{path.resolve().parent.name}-{name}"
    notes = []
    if meta.get("_unreadable"):
        notes.append("datapackage.json is not valid JSON: using the directory name")
    resource_paths = {}
    for resource in meta.get("resources") or []:
        if isinstance(resource, dict) and resource.get("path") and resource.get("name"):
            resource_paths[str(resource["name"])] = str(resource["path"])
    if not any(
        (path / f"{name}.csv").is_file() or name in resource_paths for name in TABLES["services"]
    ):
        raise ImportFileError(f"{path}: no services.csv: this is not an HSDS data package")
    tables: dict[str, Table] = {}
    for table, candidates in TABLES.items():
        for candidate in candidates:
            file_path = path / f"{candidate}.csv"
            if not file_path.is_file() and candidate in resource_paths:
                file_path = path / resource_paths[candidate]
            if file_path.is_file():
                tables[table] = _read_csv(file_path, table)
                break
    if "services" not in tables:
        raise ImportFileError(f"{path}: no services.csv: this is not an HSDS data package")
    # The other CSV files of the package (contacts, metadata, ...) are not imported, but a
    # package with any unreadable file is not imported at all.
    used = {table.file for table in tables.values()}
    for other in sorted(path.glob("*.csv")):
        if other.name not in used:
            _read_csv(other, "")
    version = "3.0" if {"schedules", "addresses", "attributes"} & tables.keys() else "1.x"
    return Package(path=path, name=name, version=version, tables=tables), notes


# --------------------------------------------------------------------------- small mappers


def tidy_name(text) -> str:
    """ALL-CAPS names ("JACKSON COMMUNITY MENTAL HEALTH CENTER") in title case."""
    value = common.clean(text, 200)
    letters = [char for char in value if char.isalpha()]
    if letters and all(char.isupper() for char in letters) and len(letters) > 4:
        words = []
        for word in value.split(" "):
            keep = word.startswith("(") and word.endswith(")") and len(word) <= 8
            words.append(word if keep else string.capwords(word.lower()))
        value = " ".join(words)
    return value


def schedule_sessions_1x(row) -> list[tuple[int, dt.time, dt.time]]:
    """One HSDS 1.x regular_schedules row -> [(weekday, start, end)]; ValueError if unusable."""
    day = common.parse_weekday(row.get("weekday"))
    if not str(row.get("opens_at") or "").strip() or not str(row.get("closes_at") or "").strip():
        raise ValueError("no opening or closing time")
    start, end = common.parse_time_range(row.get("opens_at"), row.get("closes_at"))
    return [(day, start, end)]


def schedule_sessions_3(row) -> list[tuple[int, dt.time, dt.time]]:
    """One HSDS 3.0 schedules row -> [(weekday, start, end)]; ValueError if unusable.

    Only weekly rules become sessions: a MONTHLY rule ("1SA", first Saturday) has no weekly
    meeting time to show.
    """
    freq = str(row.get("freq") or "").strip().upper()
    if freq and freq != "WEEKLY":
        raise ValueError(f"freq {freq} is not weekly: only weekly schedules become sessions")
    byday = str(row.get("byday") or "").strip()
    if not byday:
        raise ValueError("no byday: the days of the week are missing")
    if not str(row.get("opens_at") or "").strip() or not str(row.get("closes_at") or "").strip():
        raise ValueError("no opens_at or closes_at")
    start, end = common.parse_time_range(row.get("opens_at"), row.get("closes_at"))
    days = []
    for part in byday.split(","):
        days.append(common.parse_weekday(part.strip()))
    return [(day, start, end) for day in sorted(set(days))]


@dataclass
class ScheduleRow:
    service_id: str
    location_id: str
    service_at_location_id: str
    sessions: list[tuple[int, dt.time, dt.time]]
    track: str
    online: bool


def parse_schedules(package: Package, result: ImportResult) -> list[ScheduleRow]:
    parsed = []
    for table, parser in (
        ("schedules", schedule_sessions_3),
        ("regular_schedules", schedule_sessions_1x),
    ):
        file = package.file(table)
        for line, row in package.rows(table):
            record = row.get("id") or row.get("service_id") or ""
            try:
                sessions = parser(row)
            except ValueError as error:
                result.reject(file, line, record, f"schedule row not used: {error}")
                continue
            description = common.clean(row.get("description"))
            track = OPENING_HOURS if table == "regular_schedules" else ""
            if table == "schedules" and 0 < len(description) <= 60:
                track = description
            attending = norm(row.get("attending_type"))
            parsed.append(
                ScheduleRow(
                    service_id=row.get("service_id", "").strip(),
                    location_id=row.get("location_id", "").strip(),
                    service_at_location_id=row.get("service_at_location_id", "").strip(),
                    sessions=sessions,
                    track=track,
                    online=bool(common.TELEHEALTH_WORDS.search(attending)),
                )
            )
    return parsed


# --------------------------------------------------------------------------- the import


@dataclass
class Site:
    location_id: str
    name: str
    street: str
    street2: str
    city: str
    state: str
    zip_code: str
    latitude: float | None
    longitude: float | None
    virtual: bool
    accessibility: str = ""


def _index(rows, key) -> dict[str, list[tuple[int, dict]]]:
    found = defaultdict(list)
    for line, row in rows:
        value = str(row.get(key) or "").strip()
        if value:
            found[value].append((line, row))
    return found


def _address_for(package: Package, location_id: str) -> dict | None:
    """The physical address of a location (else its postal address)."""
    candidates = []
    for line, row in package.by("addresses", "location_id").get(location_id, []):
        rank = 0 if norm(row.get("address_type")) in ("physical", "") else 1
        candidates.append((rank, line, row))
    for table, rank in (("physical_addresses", 0), ("postal_addresses", 1)):
        for line, row in package.by(table, "location_id").get(location_id, []):
            candidates.append((rank, line, row))
    usable = [
        item
        for item in candidates
        if str(item[2].get("address_1") or "").strip()
        or common.clean_zip(item[2].get("postal_code"))
    ]
    return min(usable, key=lambda item: (item[0], item[1]))[2] if usable else None


def _site(package: Package, location: dict, result: ImportResult, line: int) -> Site | None:
    location_id = location.get("id", "").strip()
    virtual = norm(location.get("location_type")) == "virtual"
    address = _address_for(package, location_id)
    if address is None and not virtual:
        return None
    address = address or {}
    zip_code = common.clean_zip(address.get("postal_code"))
    latitude = common.parse_coordinate(location.get("latitude"), 90)
    longitude = common.parse_coordinate(location.get("longitude"), 180)
    file = package.file("locations")
    if (location.get("latitude") or "").strip() and (latitude is None or longitude is None):
        result.warn(file, line, location_id, "coordinates out of range: ignored")
    if latitude is None or longitude is None:
        latitude = longitude = None
        centroid = common.zip_centroid(zip_code)
        if centroid is not None:
            latitude, longitude = centroid
            result.warn(file, line, location_id, "no coordinates: placed at the ZIP centroid")
        elif not virtual:
            result.warn(
                file, line, location_id,
                "no coordinates and no known US ZIP: not found by distance searches",
            )  # fmt: skip
    accessibility = "; ".join(
        common.clean(row.get("description") or row.get("accessibility"))
        for _line, row in package.by("accessibility", "location_id").get(location_id, [])
        if row.get("description") or row.get("accessibility")
    )
    return Site(
        location_id=location_id,
        name=tidy_name(location.get("name")),
        street=common.clean(address.get("address_1"), 200),
        street2=common.clean(address.get("address_2"), 200),
        city=common.clean(address.get("city"), 100),
        state=common.clean_state(address.get("state_province")),
        zip_code=zip_code or common.clean(address.get("postal_code"), 10),
        latitude=latitude,
        longitude=longitude,
        virtual=virtual,
        accessibility=accessibility,
    )


def import_package(path, *, source: str | None = None, dry_run: bool = False) -> ImportResult:
    """Import one HSDS data package in one transaction; returns counts and problems."""
    package, notes = read_package(path)  # raises before anything is written
    source = (source or f"hsds:{slugify(package.name)}")[:40]
    result = ImportResult(source=source)
    for note in notes:
        result.warn("datapackage.json", "", "", note)
    schedules = parse_schedules(package, result)
    with transaction.atomic():
        _import(package, source, schedules, result)
        if dry_run:
            transaction.set_rollback(True)
    return result


def _import(package: Package, source: str, schedules: list[ScheduleRow], result: ImportResult):
    from programs.models import Location, Program, Provider

    organizations = {row["id"].strip(): (line, row) for line, row in package.rows("organizations")}
    locations = {row["id"].strip(): (line, row) for line, row in package.rows("locations")}
    at_location = _index(package.rows("service_at_location"), "service_id")
    phones_by = {
        key: _index(package.rows("phones"), key)
        for key in ("service_at_location_id", "service_id", "location_id", "organization_id")
    }
    languages_by_service = _index(package.rows("languages"), "service_id")
    languages_by_location = _index(package.rows("languages"), "location_id")

    taxonomy_names = {
        row["id"].strip(): row.get("name", "") for _l, row in package.rows("taxonomy")
    }
    taxonomy_names.update(
        {row["id"].strip(): row.get("name", "") for _l, row in package.rows("taxonomy_terms")}
    )
    terms_by_service = defaultdict(list)
    for _line, row in package.rows("services_taxonomy"):
        terms_by_service[row["service_id"].strip()].append(
            taxonomy_names.get(row["taxonomy_id"].strip(), "")
        )
    for _line, row in package.rows("attributes"):
        name = taxonomy_names.get(row["taxonomy_term_id"].strip(), "")
        terms_by_service[row["link_id"].strip()].append(" ".join([name, row.get("value", "")]))
    money_text = defaultdict(list)
    for table, column in (
        ("cost_options", "option"),
        ("cost_options", "amount_description"),
        ("funding", "source"),
        ("payments_accepted", "payment"),
        ("eligibility", "eligibility"),
    ):
        for _line, row in package.rows(table):
            money_text[row.get("service_id", "").strip()].append(row.get(column, ""))

    schedules_by = {
        "service_at_location_id": defaultdict(list),
        "service_id": defaultdict(list),
        "location_id": defaultdict(list),
    }
    for schedule in schedules:
        if schedule.service_at_location_id:
            schedules_by["service_at_location_id"][schedule.service_at_location_id].append(schedule)
        elif schedule.service_id:
            schedules_by["service_id"][schedule.service_id].append(schedule)
        elif schedule.location_id:
            schedules_by["location_id"][schedule.location_id].append(schedule)

    services_file = package.file("services")
    providers_done: dict[str, object] = {}
    locations_done: dict[str, object] = {}
    seen_programs: list[str] = []
    seen_services: dict[str, int] = {}

    for line, service in package.rows("services"):
        service_id = service.get("id", "").strip()
        if not service_id:
            result.skip(services_file, line, "", "no service id")
            continue
        if service_id in seen_services:
            result.skip(
                services_file, line, service_id,
                f"duplicate service id (first at line {seen_services[service_id]})",
            )  # fmt: skip
            continue
        seen_services[service_id] = line
        status = norm(service.get("status"))
        if status in INACTIVE_STATUSES:
            result.skip(services_file, line, service_id, f"the service's status is {status!r}")
            continue
        name = tidy_name(service.get("name"))
        if not name:
            result.skip(services_file, line, service_id, "no service name")
            continue
        description = common.clean(service.get("description"))
        terms = [term for term in terms_by_service.get(service_id, []) if term.strip()]
        verdict = common.classify_service(name, description, terms)
        if verdict.level is None:
            result.skip(services_file, line, service_id, verdict.reason)
            continue

        organization_id = service.get("organization_id", "").strip()
        sal_rows = at_location.get(service_id, [])
        if organization_id not in organizations:
            # HSDS 1.x sometimes links only the location to the organisation.
            for _sal_line, sal in sal_rows:
                location = locations.get(sal.get("location_id", "").strip())
                if location and location[1].get("organization_id", "").strip() in organizations:
                    organization_id = location[1]["organization_id"].strip()
                    break
        if organization_id in organizations:
            organization = organizations[organization_id][1]
            provider_key = organization_id
            provider_name = tidy_name(organization.get("name")) or name
            provider_website = organization.get("website") or organization.get("url")
        else:
            # The organisation row is missing (a filtered export): name the provider after the
            # first part of the location's name ("ORG - DEPARTMENT - SITE"), else the service.
            location = next(
                (
                    locations[sal.get("location_id", "").strip()][1]
                    for _l, sal in sal_rows
                    if sal.get("location_id", "").strip() in locations
                ),
                {},
            )
            provider_name = tidy_name(str(location.get("name") or "").split(" - ")[0]) or name
            provider_key = organization_id or f"service:{service_id}"
            provider_website = service.get("url")
            result.warn(
                services_file, line, service_id,
                "its organization is not in the organizations file: provider named "
                f"{provider_name!r}",
            )  # fmt: skip

        all_text = " ".join([name, description, *terms])
        money = " ".join(
            [
                service.get("fees", ""),
                service.get("fees_description", ""),
                service.get("eligibility_description", ""),
                description,
                *money_text.get(service_id, []),
            ]
        )
        if (
            str(service.get("minimum_age") or "").strip()
            or str(service.get("maximum_age") or "").strip()
        ):
            ages = common.age_groups_from_range(
                service.get("minimum_age"), service.get("maximum_age")
            )
        else:
            ages = common.codes_from_text(
                common.AGE_RULES, " ".join([all_text, service.get("eligibility_description", "")])
            )
        service_languages = ["en"] + [
            common.language_code(row.get("name") or row.get("language") or row.get("code"))
            for _l, row in languages_by_service.get(service_id, [])
        ]

        sites: list[tuple[str, Site | None]] = []
        for sal_line, sal in sal_rows:
            location_id = sal.get("location_id", "").strip()
            found = locations.get(location_id)
            if found is None:
                result.reject(
                    package.file("service_at_location"), sal_line, sal.get("id", ""),
                    f"location {location_id!r} is not in the locations file",
                )  # fmt: skip
                continue
            site = _site(package, found[1], result, found[0])
            if site is None:
                continue
            if site.virtual and not site.street and not site.zip_code:
                sites.append((sal.get("id", "").strip(), None))  # online only: telehealth
                continue
            sites.append((sal.get("id", "").strip(), site))
        online_schedule = any(
            s.online
            for s in schedules_by["service_id"].get(service_id, [])
            + [
                s
                for sal_id, _site_ in sites
                for s in schedules_by["service_at_location_id"].get(sal_id, [])
            ]
        )
        telehealth = bool(common.TELEHEALTH_WORDS.search(norm(all_text))) or online_schedule
        if not sites:
            if telehealth and verdict.level in (LevelOfCare.OP, LevelOfCare.IOP):
                sites = [("", None)]
            else:
                result.skip(services_file, line, service_id, "no address for any of its locations")
                continue

        provider = providers_done.get(provider_key)
        if provider is None:
            provider, _created = common.upsert(
                Provider,
                source,
                provider_key,
                {
                    "name": provider_name,
                    "website": common.clean_url(provider_website),
                    "phone": _first_phone(phones_by["organization_id"], provider_key),
                },
                slug_name=provider_name,
            )
            providers_done[provider_key] = provider
            result.providers += 1

        for sal_id, site in sites:
            location = None
            if site is not None:
                location = locations_done.get(site.location_id)
                if location is None:
                    location, _created = common.upsert(
                        Location,
                        source,
                        site.location_id,
                        {
                            "provider": provider,
                            "name": site.name,
                            "street": site.street,
                            "street2": site.street2,
                            "city": site.city,
                            "state": site.state,
                            "zip_code": site.zip_code,
                            "latitude": site.latitude,
                            "longitude": site.longitude,
                            "phone": _first_phone(phones_by["location_id"], site.location_id),
                            "accessibility_notes": site.accessibility,
                        },
                    )
                    locations_done[site.location_id] = location
                    result.locations += 1
            phone = (
                _first_phone(phones_by["service_at_location_id"], sal_id)
                or _first_phone(phones_by["service_id"], service_id)
                or (location.phone if location else "")
                or provider.phone
            )
            languages = list(service_languages)
            if site is not None:
                languages += [
                    common.language_code(row.get("name") or row.get("language") or row.get("code"))
                    for _l, row in languages_by_location.get(site.location_id, [])
                ]
            key = (
                service_id
                if len(sites) == 1
                else f"{service_id}@{site.location_id if site else ''}"
            )
            seen_programs.append(key)
            if site is None:
                modality = Program.Modality.TELEHEALTH
            elif telehealth and verdict.level in (LevelOfCare.OP, LevelOfCare.IOP, LevelOfCare.PHP):
                modality = Program.Modality.BOTH
            else:
                modality = Program.Modality.IN_PERSON
            provider_name = provider.name
            program_name = (
                name if norm(name) == norm(provider_name) else f"{provider_name} — {name}"
            )
            program_name = common.clean(program_name, 200)
            program, created = common.upsert(
                Program,
                source,
                key,
                {
                    "provider": provider,
                    "location": location,
                    "name": program_name,
                    "description": description,
                    "level": verdict.level.value,
                    "age_groups": ages,
                    "conditions": common.codes_from_text(common.CONDITION_RULES, all_text),
                    "therapies": common.codes_from_text(common.THERAPY_RULES, all_text),
                    "languages": common.dedupe(languages),
                    "payment": common.codes_from_text(common.PAYMENT_RULES, money),
                    "modality": modality,
                    "accepting_new_patients": None,
                    "intake_phone": common.clean(phone, 40),
                    "intake_url": common.clean_url(service.get("url")),
                    "is_active": True,
                    "last_verified": _date(service.get("assured_date")),
                    "source_note": common.clean(
                        f"From the HSDS package {package.name}. The level of care was read from "
                        f"the service's {verdict.reason}: check it with the program.",
                        300,
                    ),
                },
                slug_name=program_name,
            )
            result.created += created
            result.updated += not created
            found_schedules = (
                schedules_by["service_at_location_id"].get(sal_id, [])
                or schedules_by["service_id"].get(service_id, [])
                or (schedules_by["location_id"].get(site.location_id, []) if site else [])
            )
            sessions = [
                (day, start, end, schedule.track)
                for schedule in found_schedules
                for day, start, end in schedule.sessions
            ]
            result.sessions += common.replace_sessions(program, sessions)

    # Programs this package no longer lists (or no longer counts as treatment): hide them.
    result.deactivated += (
        Program.objects.filter(source=source, is_active=True)
        .exclude(source_id__in=seen_programs)
        .update(is_active=False)
    )


def _first_phone(index: dict, key: str) -> str:
    for _line, row in index.get(key, []) if key else []:
        number = common.clean(str(row.get("number") or "").strip().strip('"'), 30)
        extension = common.clean(row.get("extension"), 8)
        if number:
            return f"{number} x{extension}" if extension and "x" not in number else number
    return ""


def _date(value) -> dt.date | None:
    text = str(value or "").strip()[:10]
    try:
        return dt.date.fromisoformat(text) if text else None
    except ValueError:
        return None
