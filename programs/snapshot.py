"""What a listing shows, kept per process: plain snapshots of programs and their rendered parts.

A :class:`ProgramSnapshot` holds what a search result card, an API result and the program page
read of a program, its provider, its site and its sessions, as plain values (no model, no
query). It answers the same attribute names as a :class:`~programs.models.Program` loaded with
``select_related("provider", "location")`` and its sessions, so the card and API helpers work on
either.

Snapshots are kept per process (:data:`LIMIT` at most, oldest out first), keyed by the program's
id and checked against its ``updated_at``: every change to what a listing shows moves that time
(``auto_now`` on save, :mod:`programs.signals` for providers, sites and sessions, and the bulk
writers bump it themselves), so a changed program simply no longer matches and is loaded again.
A snapshot also keeps its rendered parts (card HTML, API item, program page body) keyed by
language and by today's date (and the stale-listing setting), since the freshness and wait
wording depend on the day; what depends on the request (distance, the search's query string,
the next session times) is filled in when the page is rendered, never kept.
"""

from __future__ import annotations

import datetime as dt
import threading
from dataclasses import dataclass
from typing import NamedTuple

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation

from programs import freshness, vocab
from programs.models import Program

#: Snapshots kept per process (``settings.PROGRAM_SNAPSHOTS``): about 12 kB each with a card,
#: an API item and a program page in one language.
DEFAULT_LIMIT = 2000
#: Rendered parts kept per snapshot before they are dropped (a few languages and days).
PARTS_LIMIT = 16
DAY_CODES = vocab.codes(vocab.WEEKDAYS)


class ProviderSnapshot(NamedTuple):
    name: str
    phone: str
    website: str
    is_demo: bool


class LocationSnapshot(NamedTuple):
    city: str
    state: str
    zip_code: str
    latitude: float | None
    longitude: float | None
    one_line_address: str


class SessionSnapshot(NamedTuple):
    weekday: int
    start: dt.time
    end: dt.time
    track: str

    @property
    def day_code(self) -> str:
        return DAY_CODES[self.weekday]


class SessionSnapshots(tuple):
    """A snapshot's sessions, read like a prefetched ``program.sessions`` (``.all()``)."""

    def all(self):
        return self


@dataclass(eq=False)
class ProgramSnapshot:
    """A program as a listing shows it (see the module docstring)."""

    pk: int
    updated_at: dt.datetime
    name: str
    slug: str
    level: str
    modality: str
    accepting_new_patients: bool | None
    payment: list
    therapies: list
    conditions: list
    age_groups: list
    languages: list
    interpreters: list
    intake_phone: str
    last_verified: dt.date | None
    next_intake: dt.date | None
    wait_days: int | None
    reported_kind: str
    source: str
    source_date: dt.date | None
    provider: ProviderSnapshot
    location: LocationSnapshot | None
    sessions: SessionSnapshots

    def __post_init__(self):
        self.parts: dict = {}
        self._minute: tuple = (None, None)

    @classmethod
    def of(cls, program: Program) -> ProgramSnapshot:
        """The snapshot of a program loaded with provider, location and sessions."""
        provider, site = program.provider, program.location
        location = None
        if site is not None:
            location = LocationSnapshot(
                site.city,
                site.state,
                site.zip_code,
                site.latitude,
                site.longitude,
                site.one_line_address,
            )
        return cls(
            pk=program.pk,
            updated_at=program.updated_at,
            name=program.name,
            slug=program.slug,
            level=program.level,
            modality=program.modality,
            accepting_new_patients=program.accepting_new_patients,
            payment=list(program.payment),
            therapies=list(program.therapies),
            conditions=list(program.conditions),
            age_groups=list(program.age_groups),
            languages=list(program.languages),
            interpreters=list(program.interpreters),
            intake_phone=program.intake_phone,
            last_verified=program.last_verified,
            next_intake=program.next_intake,
            wait_days=program.wait_days,
            reported_kind=program.reported_kind,
            source=program.source,
            source_date=program.source_date,
            provider=ProviderSnapshot(
                provider.name, provider.phone, provider.website, provider.is_demo
            ),
            location=location,
            sessions=SessionSnapshots(
                SessionSnapshot(s.weekday, s.start, s.end, s.track) for s in program.sessions.all()
            ),
        )

    @property
    def id(self) -> int:
        return self.pk

    # The model's own properties, read from the snapshot's values (one definition each).
    Modality = Program.Modality
    level_of_care = Program.level_of_care
    offers_telehealth = Program.offers_telehealth
    source_label = Program.source_label

    def get_absolute_url(self) -> str:
        return reverse("programs:detail", args=[self.slug])

    def part(self, key: tuple, make):
        """The rendered part ``key`` (see :func:`day_key`), made once by ``make()``."""
        found = self.parts.get(key)
        if found is None:
            if len(self.parts) >= PARTS_LIMIT:
                self.parts.clear()
            found = self.parts[key] = make()
        return found

    def minute_part(self, key: tuple, make):
        """A part that holds for one minute only (the next session times): the last one made."""
        kept_key, found = self._minute
        if kept_key != key:
            found = make()
            self._minute = (key, found)
        return found


def day_key(today: dt.date | None = None) -> tuple:
    """What date-dependent wording depends on: the language, the day, the stale setting."""
    return (
        translation.get_language(),
        today or timezone.localdate(),
        freshness.stale_days(),
    )


# ---- the per-process store -------------------------------------------------------------------

_SNAPSHOTS: dict[int, ProgramSnapshot] = {}
_WRITING = threading.Lock()


def limit() -> int:
    return int(getattr(settings, "PROGRAM_SNAPSHOTS", DEFAULT_LIMIT))


def get(pk: int, updated_at) -> ProgramSnapshot | None:
    """The kept snapshot of program ``pk`` if it is as of ``updated_at``, else None."""
    found = _SNAPSHOTS.get(pk)
    if found is not None and found.updated_at == updated_at:
        return found
    return None


def keep(program: Program) -> ProgramSnapshot:
    """The snapshot of a freshly loaded program (the kept one when it is still current)."""
    found = get(program.pk, program.updated_at)
    if found is not None:
        return found
    snapshot = ProgramSnapshot.of(program)
    with _WRITING:  # threads of one process: one writer at a time, oldest out first
        _SNAPSHOTS.pop(program.pk, None)
        while _SNAPSHOTS and len(_SNAPSHOTS) >= limit():
            del _SNAPSHOTS[next(iter(_SNAPSHOTS))]
        _SNAPSHOTS[program.pk] = snapshot
    return snapshot


def clear() -> None:
    """Forget every kept snapshot (tests, or after a restore of the database)."""
    with _WRITING:
        _SNAPSHOTS.clear()


def size() -> int:
    return len(_SNAPSHOTS)
