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
import functools
import json
import string
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.utils.text import slugify

from programs.importers import common, writer
from programs.importers import progress as progress_display
from programs.importers.common import (
    ImportFileError,
    ImportResult,
    iter_csv_rows,
    norm,
    read_csv_rows,
)
from programs.importers.records import Batch, LocationRecord, ProgramRecord, ProviderRecord, Stale
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

#: Tables read from their file again when they are used, not held in memory: each is read
#: through once in file order (services as they are mapped; the others into what the mapping
#: looks up: schedules, phones, languages, taxonomy links, payment texts). Every file is still
#: read whole, and refused if unusable, before anything is mapped or written.
STREAMED = {
    "services", "schedules", "regular_schedules", "phones", "languages", "services_taxonomy",
    "attributes", "cost_options", "funding", "payments_accepted", "eligibility",
}  # fmt: skip
#: Tables whose ids are stored as source ids (checked for length when the package is read).
ID_TABLES = ("services", "organizations", "locations")


@dataclass
class Table:
    file: str
    rows: list[tuple[int, dict]] = field(default_factory=list)  # (line, row)
    #: A streamed table: its file (read through once, checked, when the package is read).
    path: Path | None = None
    count: int = 0


@dataclass
class Package:
    path: Path
    name: str
    version: str
    tables: dict[str, Table]
    #: The date of the data: datapackage.json "last_modified" or "created", else a date in the
    #: folder's name.
    date: dt.date | None = None

    def rows(self, table: str) -> list[tuple[int, dict]]:
        found = self.tables.get(table)
        if found and found.path is not None:
            return list(self.each(table))
        return found.rows if found else []

    def each(self, table: str) -> Iterator[tuple[int, dict]]:
        """The rows of ``table`` one by one (a streamed table is read from its file again)."""
        found = self.tables.get(table)
        if found and found.path is not None:
            # Services are mapped one by one (no intern table held meanwhile); the other
            # streamed tables are read into lookups, where repeated ids are kept once.
            return iter_csv_rows(
                found.path, REQUIRED_COLUMNS.get(table, set()), intern=table != "services"
            )
        return iter(found.rows if found else [])

    def count(self, table: str) -> int:
        found = self.tables.get(table)
        if found is None:
            return 0
        return found.count if found.path is not None else len(found.rows)

    def by(self, table: str, column: str) -> Grouped:
        """The rows of ``table`` grouped by the value of ``column`` (built once)."""
        cache = self.__dict__.setdefault("_indexes", {})
        if (table, column) not in cache:
            cache[(table, column)] = _index(self.rows(table), column)
        return cache[(table, column)]

    def drop(self, *tables: str) -> None:
        """Let the rows of ``tables`` go (their file names stay, for messages)."""
        for table in tables:
            if table in self.tables:
                self.tables[table].rows = []
        self.__dict__.pop("_indexes", None)

    def file(self, table: str) -> str:
        found = self.tables.get(table)
        return found.file if found else f"{table}.csv"


# --------------------------------------------------------------------------- reading


def _read_csv(path: Path, table: str) -> Table:
    if table in STREAMED:
        return _scan_csv(path, table)
    return Table(file=path.name, rows=read_csv_rows(path, REQUIRED_COLUMNS.get(table, set())))


def _scan_csv(path: Path, table: str) -> Table:
    """Read a streamed table through once: refuse it as a read table would be refused (and its
    too long ids), count its rows, keep none."""
    count = 0
    for line, row in iter_csv_rows(path, REQUIRED_COLUMNS.get(table, set()), intern=False):
        if table in ID_TABLES:
            _check_id(path.name, line, row)
        count += 1
    return Table(file=path.name, path=path, count=count)


def _package_name(path: Path) -> tuple[str, dict]:
    """The package's name and datapackage.json content (``{}`` when absent or unreadable).

    ``datapackage.json`` is optional metadata: when it cannot be parsed the directory name is
    used (the HSDS 3.0 example folder holds a dangling link text instead of JSON). JSON nested
    too deeply to parse is refused (ImportFileError naming the line).
    """
    meta_path = path / "datapackage.json"
    meta: dict = {}
    if meta_path.is_file():
        inside(path, meta_path)
        try:
            text = meta_path.read_text(encoding="utf-8-sig")
            loaded = common.load_json(text, "datapackage.json")
            meta = loaded if isinstance(loaded, dict) else {}
        except (OSError, UnicodeDecodeError, json.JSONDecodeError):
            meta = {"_unreadable": True}
    name = str(meta.get("name") or "").strip()
    if name.lower() in TEMPLATE_PACKAGE_NAMES:
        name = path.resolve().name
    return name, meta


def inside(root: Path, file_path: Path, shown: str = "") -> Path:
    """``file_path`` resolved (symbolic links followed) if it lies inside the package folder;
    ImportFileError naming it otherwise: a package may not make the importer read, and so
    publish, a file from elsewhere on the server (issue 11 item 7)."""
    resolved = file_path.resolve()
    if not resolved.is_relative_to(root.resolve()):
        name = shown or file_path.name
        raise ImportFileError(
            f"{name}: the file is outside the package folder ({resolved}): refused"
        )
    return resolved


def _resource_paths(path: Path, meta: dict) -> dict[str, Path]:
    """{resource name: file} of datapackage.json's resources, each checked to be inside."""
    found = {}
    for resource in meta.get("resources") or []:
        if not (isinstance(resource, dict) and resource.get("path") and resource.get("name")):
            continue
        relative = str(resource["path"])
        shown = f"datapackage.json resource {resource['name']!r} (path {relative!r})"
        if Path(relative).is_absolute() or "\0" in relative:
            raise ImportFileError(f"{shown}: an absolute path: refused")
        found[str(resource["name"])] = inside(path, path / relative, shown)
    return found


def _table_file(path: Path, candidates, resource_paths) -> Path | None:
    """The file of a table: ``<name>.csv`` at the package root or in ``data/`` (the published
    layout), else the path datapackage.json gives for it."""
    for candidate in candidates:
        for file_path in (path / f"{candidate}.csv", path / "data" / f"{candidate}.csv"):
            if file_path.is_file():
                return inside(path, file_path)
        if candidate in resource_paths and resource_paths[candidate].is_file():
            return resource_paths[candidate]
    return None


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
    resource_paths = _resource_paths(path, meta)
    files = {table: _table_file(path, names, resource_paths) for table, names in TABLES.items()}
    if files["services"] is None:
        raise ImportFileError(f"{path}: no services.csv: this is not an HSDS data package")
    tables = {
        table: _read_csv(file_path, table)
        for table, file_path in files.items()
        if file_path is not None
    }
    # The other CSV files of the package (contacts, metadata, ...) are not imported, but a
    # package with any unreadable file is not imported at all.
    used = {file_path for file_path in files.values() if file_path is not None}
    for other in sorted([*path.glob("*.csv"), *path.glob("data/*.csv")]):
        if inside(path, other) not in used:
            _scan_csv(other, "")
    for table in ID_TABLES:
        _check_ids(tables.get(table))
    version = "3.0" if {"schedules", "addresses", "attributes"} & tables.keys() else "1.x"
    date = common.source_date(meta.get("last_modified"), meta.get("created"), path.resolve().name)
    package = Package(path=path, name=name, version=version, tables=tables, date=date)
    return package, notes


#: Longest source id kept: a program of a service at several sites is keyed
#: "<service id>@<location id>", and keys are at most 200 characters (the models).
MAX_ID_LENGTH = 99


def _check_ids(table: Table | None) -> None:
    """An id too long to store is refused with its file and line, before anything is written
    (PostgreSQL would otherwise stop the import with a bare DataError)."""
    for line, row in table.rows if table else []:
        _check_id(table.file, line, row)


def _check_id(file: str, line: int, row) -> None:
    length = len(row.get("id", "").strip())
    if length > MAX_ID_LENGTH:
        raise ImportFileError(
            f"{file} line {line}: the id is {length} characters long; "
            f"at most {MAX_ID_LENGTH} are supported"
        )


# --------------------------------------------------------------------------- small mappers


@functools.lru_cache(maxsize=65536)
def tidy_name(text) -> str:
    """ALL-CAPS names ("JACKSON COMMUNITY MENTAL HEALTH CENTER") in title case."""
    value = common.clean(text, 200)
    if not value.isupper():  # any lower-case letter (or none with a case): nothing to do
        return value
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


@dataclass(slots=True)
class ScheduleRow:
    service_id: str
    location_id: str
    service_at_location_id: str
    sessions: list[tuple[int, dt.time, dt.time]]
    track: str
    online: bool


def parse_schedules(package: Package, result: ImportResult) -> list[ScheduleRow]:
    parsed = []
    shared: dict[tuple, list] = {}
    for table, parser in (
        ("schedules", schedule_sessions_3),
        ("regular_schedules", schedule_sessions_1x),
    ):
        file = package.file(table)
        for line, row in package.each(table):
            record = row.get("id") or row.get("service_id") or ""
            try:
                sessions = parser(row)
            except ValueError as error:
                result.reject(file, line, record, f"schedule row not used: {error}")
                continue
            sessions = shared.setdefault(tuple(sessions), sessions)  # "Mon 9-5" once
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


@dataclass(slots=True)
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


class Grouped:
    """Rows grouped by the value of one column, read with ``.get(value, default)`` like a dict
    of lists. Most values name one row: that row is kept alone, not in a list of its own (a
    100,000-service package has about a million grouped rows; a list each would cost about
    90 MB)."""

    __slots__ = ("_found",)

    def __init__(self):
        self._found: dict = {}

    def add(self, value: str, item) -> None:
        held = self._found.get(value)
        if held is None:
            self._found[value] = item
        elif type(held) is _Several:
            held.append(item)
        else:
            self._found[value] = _Several((held, item))

    def get(self, value, default=()):
        held = self._found.get(value)
        if held is None:
            return default
        return held if type(held) is _Several else [held]

    def __contains__(self, value) -> bool:
        return value in self._found

    def __len__(self) -> int:
        return len(self._found)


class _Several(list):
    """The rows of a value that names more than one (told apart from a single row, which may
    itself be a tuple)."""

    __slots__ = ()


def _index(rows, key) -> Grouped:
    found = Grouped()
    for pair in rows:  # the table's own (line, row) pairs, not copies
        value = str(pair[1].get(key) or "").strip()
        if value:
            found.add(value, pair)
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


@dataclass
class Lookups:
    """The package's tables indexed once for the mapping of its services."""

    organizations: dict[str, tuple[int, dict]]
    locations: dict[str, tuple[int, dict]]
    at_location: Grouped
    #: {column: {id: the first phone number of that id}}
    phones: dict[str, dict[str, str]]
    languages_by_service: dict[str, list[str]]
    languages_by_location: dict[str, list[str]]
    terms_by_service: dict[str, list[str]]
    money_text: dict[str, list[str]]
    schedules: dict[str, Grouped]
    sites: dict[str, Site | None] = field(default_factory=dict)
    #: One copy of each equal value the records repeat (code lists, notes, session lists).
    shared: dict = field(default_factory=dict)

    def share(self, value):
        """``value``, or the equal value an earlier record already holds (never mutated)."""
        key = (list, tuple(value)) if isinstance(value, list) else value
        return self.shared.setdefault(key, value)


def _unique_rows(package: Package, table: str, result: ImportResult) -> dict:
    """{id: (line, row)}; a repeated id is rejected with its line (the first row wins, so a
    later row cannot silently move a site or rename an organisation)."""
    found: dict[str, tuple[int, dict]] = {}
    for line, row in package.rows(table):
        key = row["id"].strip()
        if key in found:
            result.reject(
                package.file(table), line, key,
                f"duplicate id (first at line {found[key][0]}): this row is not used",
            )  # fmt: skip
            continue
        found[key] = (line, row)
    return found


def _taxonomy_terms(package: Package) -> dict[str, list[str]]:
    """The taxonomy terms of each service, as "CODE name" texts (codes read from the package)."""
    # HSDS 1.x: the taxonomy row's id is its code ("RX-8450"); HSDS 3: a term has an id (a UUID)
    # and a code column.
    known = {
        row["id"].strip(): (row["id"].strip(), row.get("name", ""))
        for _l, row in package.rows("taxonomy")
    }
    known.update(
        {
            row["id"].strip(): ((row.get("code") or row["id"]).strip(), row.get("name", ""))
            for _l, row in package.rows("taxonomy_terms")
        }
    )
    terms = defaultdict(list)
    made: dict[tuple[str, str], common.TaxonomyTerm] = {}  # one object per distinct term
    for _line, row in package.each("services_taxonomy"):
        term_id = row["taxonomy_id"].strip()
        code, name = known.get(term_id, (term_id, ""))
        term = made.setdefault((code, name), common.TaxonomyTerm(code, name))
        terms[row["service_id"].strip()].append(term)
    for _line, row in package.each("attributes"):
        term_id = row["taxonomy_term_id"].strip()
        code, name = known.get(term_id, (term_id, ""))
        text = " ".join([name, row.get("value", "")]).strip()
        term = made.setdefault((code, text), common.TaxonomyTerm(code, text))
        terms[row["link_id"].strip()].append(term)
    return terms


def _money_text(package: Package) -> dict[str, list[str]]:
    found = defaultdict(list)
    for table, column in (
        ("cost_options", "option"),
        ("cost_options", "amount_description"),
        ("funding", "source"),
        ("payments_accepted", "payment"),
        ("eligibility", "eligibility"),
    ):
        for _line, row in package.each(table):
            found[row.get("service_id", "").strip()].append(row.get(column, ""))
    return found


def _schedules_by(schedules: list[ScheduleRow]) -> dict[str, Grouped]:
    found = {key: Grouped() for key in ("service_at_location_id", "service_id", "location_id")}
    for schedule in schedules:
        for key in ("service_at_location_id", "service_id", "location_id"):
            if getattr(schedule, key):
                found[key].add(getattr(schedule, key), schedule)
                break
    return found


#: Tables :func:`lookups` reads whole into what the mapping needs: their rows can then go.
DIGESTED = (
    "phones", "languages", "services_taxonomy", "attributes", "taxonomy", "taxonomy_terms",
    "cost_options", "funding", "payments_accepted", "eligibility",
)  # fmt: skip


def lookups(package: Package, schedules: list[ScheduleRow], result: ImportResult) -> Lookups:
    """The package's tables as the mapping reads them; the rows of :data:`DIGESTED` tables
    are let go (the mapping of a national package holds less at once)."""
    found = Lookups(
        organizations=_unique_rows(package, "organizations", result),
        locations=_unique_rows(package, "locations", result),
        at_location=_index(package.rows("service_at_location"), "service_id"),
        phones=_phones_by(package.each("phones")),
        languages_by_service={},
        languages_by_location={},
        terms_by_service=_taxonomy_terms(package),
        money_text=_money_text(package),
        schedules=_schedules_by(schedules),
    )
    found.languages_by_service, found.languages_by_location = _languages_by(
        package.each("languages"), found.share
    )
    package.drop(*DIGESTED)
    return found


def map_package(
    package: Package, source: str, schedules: list[ScheduleRow], result: ImportResult, progress=None
) -> Batch:
    """The pure mapping: a read package -> a Batch (no database). Problems go to ``result``."""
    found = lookups(package, schedules, result)
    batch = Batch(source=source, stale=Stale.DEACTIVATE_SOURCE)
    seen: dict[str, int] = {}
    shown = progress_display.start(progress, "Reading services", package.count("services"))
    for line, service in package.each("services"):
        shown.advance()
        _map_service(package, found, batch, result, line, service, seen)
    shown.finish()
    return batch


def _service_problem(service: dict, line: int, seen: dict[str, int]) -> str:
    """Why a service row cannot be read at all, or ""."""
    service_id = service.get("id", "").strip()
    if not service_id:
        return "no service id"
    if service_id in seen:
        return f"duplicate service id (first at line {seen[service_id]})"
    seen[service_id] = line
    status = norm(service.get("status"))
    if status in INACTIVE_STATUSES:
        return f"the service's status is {status!r}"
    if not tidy_name(service.get("name")):
        return "no service name"
    return ""


@dataclass
class Service:
    """One service's own texts and what the rules read from them."""

    id: str
    line: int
    row: dict
    name: str
    description: str
    terms: list
    level: LevelOfCare
    reason: str

    @property
    def all_text(self) -> str:
        return " ".join([self.name, self.description, *(term.name for term in self.terms)])


def _map_service(package, found: Lookups, batch, result, line, row, seen) -> None:
    file = package.file("services")
    problem = _service_problem(row, line, seen)
    service_id = row.get("id", "").strip()
    if problem:
        result.skip(file, line, service_id, problem)
        return
    name = tidy_name(row.get("name"))
    description = common.clean(row.get("description"))
    terms = [term for term in found.terms_by_service.get(service_id, []) if term.name.strip()]
    verdict = common.classify_service(name, description, terms)
    if verdict.level is None:
        result.skip(file, line, service_id, verdict.reason)
        return
    service = Service(
        service_id, line, row, name, description, terms, verdict.level, verdict.reason
    )
    sal_rows = found.at_location.get(service_id, [])
    sites = _service_sites(package, found, result, sal_rows)
    telehealth = _telehealth(found, service, sites)
    if not sites:
        if not (telehealth and service.level in (LevelOfCare.OP, LevelOfCare.IOP)):
            result.skip(file, line, service_id, "no address for any of its locations")
            return
        sites = [("", None)]
    provider = batch.add_provider(_provider(package, found, result, service, sal_rows))
    for sal_id, site in sites:
        _add_program(found, batch, package, service, provider, sal_id, site, telehealth, len(sites))


def _provider(package, found: Lookups, result, service: Service, sal_rows) -> ProviderRecord:
    organization_id = service.row.get("organization_id", "").strip()
    if organization_id not in found.organizations:
        # HSDS 1.x sometimes links only the location to the organisation.
        for _sal_line, sal in sal_rows:
            location = found.locations.get(sal.get("location_id", "").strip())
            if location and location[1].get("organization_id", "").strip() in found.organizations:
                organization_id = location[1]["organization_id"].strip()
                break
    if organization_id in found.organizations:
        organization = found.organizations[organization_id][1]
        key = organization_id
        name = tidy_name(organization.get("name")) or service.name
        website = organization.get("website") or organization.get("url")
    else:
        # The organisation row is missing (a filtered export): name the provider after the
        # first part of the location's name ("ORG - DEPARTMENT - SITE"), else the service.
        location = next(
            (
                found.locations[sal.get("location_id", "").strip()][1]
                for _l, sal in sal_rows
                if sal.get("location_id", "").strip() in found.locations
            ),
            {},
        )
        name = tidy_name(str(location.get("name") or "").split(" - ")[0]) or service.name
        key = organization_id or f"service:{service.id}"
        website = service.row.get("url")
        result.warn(
            package.file("services"), service.line, service.id,
            f"its organization is not in the organizations file: provider named {name!r}",
        )  # fmt: skip
    return ProviderRecord(
        key=key,
        name=name,
        website=common.clean_url(website),
        phone=_first_phone(found.phones["organization_id"], key),
    )


def _service_sites(package, found: Lookups, result, sal_rows) -> list[tuple[str, Site | None]]:
    """(service_at_location id, site) pairs; site None for an online-only location."""
    sites: list[tuple[str, Site | None]] = []
    for sal_line, sal in sal_rows:
        location_id = sal.get("location_id", "").strip()
        location = found.locations.get(location_id)
        if location is None:
            result.reject(
                package.file("service_at_location"), sal_line, sal.get("id", ""),
                f"location {location_id!r} is not in the locations file",
            )  # fmt: skip
            continue
        if location_id not in found.sites:  # each location is read (and warned about) once
            found.sites[location_id] = _site(package, location[1], result, location[0])
        site = found.sites[location_id]
        if site is None:
            continue
        online_only = site.virtual and not site.street and not site.zip_code
        sites.append((sal.get("id", "").strip(), None if online_only else site))
    return sites


def _telehealth(found: Lookups, service: Service, sites) -> bool:
    schedules = list(found.schedules["service_id"].get(service.id, []))
    for sal_id, _site in sites:
        schedules += found.schedules["service_at_location_id"].get(sal_id, [])
    if any(schedule.online for schedule in schedules):
        return True
    return bool(common.TELEHEALTH_WORDS.search(norm(service.all_text)))


def _ages(service: Service) -> list[str]:
    row = service.row
    if str(row.get("minimum_age") or "").strip() or str(row.get("maximum_age") or "").strip():
        return common.age_groups_from_range(row.get("minimum_age"), row.get("maximum_age"))
    text = " ".join([service.all_text, row.get("eligibility_description", "")])
    return common.codes_from_text(common.AGE_RULES, text)


def _modality(site: Site | None, telehealth: bool, level: LevelOfCare) -> str:
    if site is None:
        return "telehealth"
    if telehealth and level in (LevelOfCare.OP, LevelOfCare.IOP, LevelOfCare.PHP):
        return "both"
    return "in_person"


def _add_program(found: Lookups, batch, package, service, provider, sal_id, site, telehealth, n):
    location_key = None
    location_phone = ""
    if site is not None:
        location_phone = _first_phone(found.phones["location_id"], site.location_id)
        location = batch.add_location(
            LocationRecord(
                key=site.location_id,
                provider_key=provider.key,
                name=site.name,
                street=site.street,
                street2=site.street2,
                city=site.city,
                state=site.state,
                zip_code=site.zip_code,
                latitude=site.latitude,
                longitude=site.longitude,
                phone=location_phone,
                accessibility_notes=site.accessibility,
            )
        )
        location_key, location_phone = location.key, location.phone
    phone = (
        _first_phone(found.phones["service_at_location_id"], sal_id)
        or _first_phone(found.phones["service_id"], service.id)
        or location_phone
        or provider.phone
    )
    languages = ["en"] + found.languages_by_service.get(service.id, [])
    if site is not None:
        languages += found.languages_by_location.get(site.location_id, [])
    schedules = (
        found.schedules["service_at_location_id"].get(sal_id, [])
        or found.schedules["service_id"].get(service.id, [])
        or (found.schedules["location_id"].get(site.location_id, []) if site else [])
    )
    row = service.row
    money = " ".join(
        [
            row.get("fees", ""),
            row.get("fees_description", ""),
            row.get("eligibility_description", ""),
            service.description,
            *found.money_text.get(service.id, []),
        ]
    )
    all_text = service.all_text
    name = service.name
    program_name = name if norm(name) == norm(provider.name) else f"{provider.name} — {name}"
    program_name = common.clean(program_name, 200)
    batch.add_program(
        ProgramRecord(
            key=service.id if n == 1 else f"{service.id}@{site.location_id if site else ''}",
            provider_key=provider.key,
            location_key=location_key,
            name=program_name,
            description=service.description,
            level=service.level.value,
            age_groups=found.share(_ages(service)),
            conditions=found.share(common.codes_from_text(common.CONDITION_RULES, all_text)),
            therapies=found.share(common.codes_from_text(common.THERAPY_RULES, all_text)),
            languages=found.share(common.dedupe(languages)),
            payment=found.share(common.codes_from_text(common.PAYMENT_RULES, money)),
            modality=_modality(site, telehealth, service.level),
            accepting_new_patients=None,
            intake_phone=common.clean(phone, 40),
            intake_url=common.clean_url(row.get("url")),
            last_verified=_date(row.get("assured_date")),
            source_note=found.share(
                common.clean(
                    f"From the HSDS package {package.name}. The level of care was read from "
                    f"the service's {service.reason}: check it with the program.",
                    300,
                )
            ),
            sessions=found.share(
                [
                    (day, start, end, schedule.track)
                    for schedule in schedules
                    for day, start, end in schedule.sessions
                ]
            ),
        )
    )


def import_package(
    path, *, source: str | None = None, dry_run: bool = False, progress=None, date=None
) -> ImportResult:
    """Import one HSDS data package in one transaction; returns counts and problems."""
    common.load_zip_centroids()  # first: the scratch memory of building it is reused below
    package, notes = read_package(path)  # raises before anything is written
    source = (source or f"hsds:{slugify(package.name)}")[:40]
    result = ImportResult(source=source)
    for note in notes:
        result.warn("datapackage.json", "", "", note)
    schedules = parse_schedules(package, result)
    package.drop("schedules", "regular_schedules")  # parsed: the raw rows are not needed
    batch = map_package(package, source, schedules, result, progress)
    batch.source_date = date or package.date
    del package, schedules  # the batch holds all the writer needs
    return writer.write(batch, result, dry_run=dry_run, progress=progress)


def _first_phone(index: dict[str, str], key: str) -> str:
    return index.get(key, "") if key else ""


def _phone_text(row) -> str:
    """ "(305) 555-0100 x12", or "" for a phone row without a number."""
    number = common.clean(str(row.get("number") or "").strip().strip('"'), 30)
    extension = common.clean(row.get("extension"), 8)
    if not number:
        return ""
    return f"{number} x{extension}" if extension and "x" not in number else number


PHONE_KEYS = ("service_at_location_id", "service_id", "location_id", "organization_id")


def _phones_by(rows) -> dict[str, dict[str, str]]:
    """{column: {value of the column: the first phone number given for it}} (file order)."""
    found: dict[str, dict[str, str]] = {column: {} for column in PHONE_KEYS}
    for _line, row in rows:
        text = None
        for column in PHONE_KEYS:
            key = str(row.get(column) or "").strip()
            if key and key not in found[column]:
                text = _phone_text(row) if text is None else text
                if text:
                    found[column][key] = text
    return found


def _languages_by(rows, share) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    """({service id: language codes}, {location id: language codes}), in file order."""
    found: dict[str, dict[str, list[str]]] = {"service_id": {}, "location_id": {}}
    for _line, row in rows:
        code = None
        for column, codes in found.items():
            key = str(row.get(column) or "").strip()
            if key:
                if code is None:
                    code = common.language_code(
                        row.get("name") or row.get("language") or row.get("code")
                    )
                codes.setdefault(key, []).append(code)
    return tuple({key: share(codes) for key, codes in found[column].items()} for column in found)


def _date(value) -> dt.date | None:
    text = str(value or "").strip()[:10]
    try:
        return dt.date.fromisoformat(text) if text else None
    except ValueError:
        return None
