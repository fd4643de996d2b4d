"""Plain records: what every mapping produces and the one writer (``writer.write``) stores.

A mapping turns the rows of a source file into a :class:`Batch` without touching the database,
so its rules are tested without one. Adding a source format means writing a mapping that fills
a Batch; the writer does the rest (upserts, slugs, sessions, stale programs, one transaction).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum

#: (weekday 0 = Monday, start, end, track)
SessionTuple = tuple[int, dt.time, dt.time, str]


class Stale(StrEnum):
    """What happens to a source's programs that a new file no longer lists."""

    #: Hide every program of the source that this batch does not list (HSDS: the package is
    #: the whole directory).
    DEACTIVATE_SOURCE = "deactivate_source"
    #: Hide only the programs of the sites (``ProgramRecord.group``) this batch lists (SAMHSA: a
    #: file is a search result, a facility absent from it is not closed).
    DEACTIVATE_IN_GROUPS = "deactivate_in_groups"
    #: Delete them (demo data: fiction has no history to keep).
    DELETE_SOURCE = "delete_source"


@dataclass(slots=True)
class ProviderRecord:
    key: str
    name: str
    website: str = ""
    phone: str = ""
    accreditations: str = ""
    state_license: str = ""
    is_demo: bool = False


@dataclass(slots=True)
class LocationRecord:
    key: str
    provider_key: str
    city: str
    state: str
    zip_code: str
    name: str = ""
    street: str = ""
    street2: str = ""
    latitude: float | None = None
    longitude: float | None = None
    phone: str = ""
    accessibility_notes: str = ""


@dataclass(slots=True)
class ProgramRecord:
    key: str
    provider_key: str
    location_key: str | None  # None: telehealth only, no site
    name: str
    level: str
    description: str = ""
    age_groups: list[str] = field(default_factory=list)
    conditions: list[str] = field(default_factory=list)
    therapies: list[str] = field(default_factory=list)
    languages: list[str] = field(default_factory=list)
    payment: list[str] = field(default_factory=list)
    insurers: str = ""
    modality: str = "in_person"
    hours_per_week: Decimal | float | None = None
    length_weeks: int | None = None
    accepting_new_patients: bool | None = None
    intake_phone: str = ""
    intake_url: str = ""
    source_note: str = ""
    last_verified: dt.date | None = None
    #: The site the program belongs to in its source (SAMHSA frid), for Stale.DEACTIVATE_IN_GROUPS.
    group: str = ""
    sessions: list[SessionTuple] = field(default_factory=list)


@dataclass(slots=True)
class Batch:
    """Everything one file says, keyed on the source's own ids (first record of a key wins)."""

    source: str
    stale: Stale = Stale.DEACTIVATE_SOURCE
    #: The date of the source data (a file's export date), stored on every program.
    source_date: dt.date | None = None
    providers: dict[str, ProviderRecord] = field(default_factory=dict)
    locations: dict[str, LocationRecord] = field(default_factory=dict)
    programs: dict[str, ProgramRecord] = field(default_factory=dict)

    def add_provider(self, record: ProviderRecord) -> ProviderRecord:
        return self.providers.setdefault(record.key, record)

    def add_location(self, record: LocationRecord) -> LocationRecord:
        return self.locations.setdefault(record.key, record)

    def add_program(self, record: ProgramRecord) -> ProgramRecord:
        return self.programs.setdefault(record.key, record)
