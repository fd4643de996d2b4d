"""The database side of the search: the filtered distance search, and the rows matching reads.

Both do their geography the same way (``shared/design.md``, "Geography offline"):

1. ZIP -> (lat, lng) with :mod:`programs.geo` (offline).
2. An indexed bounding-box prefilter on ``Location(latitude, longitude)`` (index
   ``location_lat_lng``) that fetches only small tuples (id, coordinates, a few codes).
3. The exact haversine distance in Python over those tuples (SQLite has no trig functions by
   default; this keeps SQLite and PostgreSQL identical), then sort by distance.
4. Only the rows that will be shown are loaded in full, with ``select_related`` (provider,
   location) and one ``prefetch_related`` for sessions.

So a page of search results costs a fixed number of queries (3) however many programs match,
and :func:`programs.search.matching.match_programs` costs 3 as well. With a ZIP, the ranking
query also reads each program's ``updated_at``, and the programs whose snapshot is kept and
current (:mod:`programs.snapshot`) are not loaded again: a page of them costs that one query.

Telehealth: a program whose modality is telehealth or both can be joined from home. When a
search has a ZIP and ``telehealth=1``, it returns the telehealth programs within the radius
(nearest first), then telehealth programs in the ZIP's state that are farther away, then
telehealth programs with no address (distance null). Without ``telehealth=1`` only programs
with an address within the radius are listed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import partial

from django.core.paginator import Page, Paginator
from django.db import connections, router
from django.db.models import (
    Case,
    F,
    IntegerField,
    Q,
    QuerySet,
    Value,
    When,
)
from django.http import QueryDict
from django.utils import timezone

from programs import freshness, geo, snapshot
from programs.filters import DEFAULT_RADIUS_MILES, ProgramFilter, registry_key
from programs.levels import LevelOfCare
from programs.models import Location, Program, Session
from programs.search import ranking
from programs.search.ranking import (
    NO_ZIP_CANDIDATE_LIMIT,
    TELEHEALTH_MODALITIES,
    Candidate,
    ProgramRecord,
    SessionTime,
)

PAGE_SIZE = 20


def base_queryset() -> QuerySet[Program]:
    """Active programs, with what every listing shows joined in (provider, location).

    A copy of one built once (building it cost about as much as running a small search)."""
    if not _BASE:
        _BASE.append(Program.objects.filter(is_active=True).select_related("provider", "location"))
    return _BASE[0].all()


_BASE: list[QuerySet[Program]] = []


SESSION_ORDER = ("weekday", "start", "end")


#: Long columns no list (result card, API result, match) shows: left out of their rows.
LIST_DEFERRED = ("description",)


def load_programs(ids: Sequence[int]) -> list[Program]:
    """Programs with these ids, in this order, with provider, location and sessions (2 queries).

    Without :data:`LIST_DEFERRED` (reading one of those costs a query per program)."""
    if not ids:
        return []
    by_id = base_queryset().defer(*LIST_DEFERRED).in_bulk(list(ids))
    programs = [by_id[pk] for pk in ids if pk in by_id]
    attach_sessions(programs)
    return programs


def attach_sessions(programs: Sequence[Program]) -> None:
    """Load the programs' sessions in one query and leave them where ``prefetch_related``
    would (``program.sessions.all()`` then runs no query), ordered by day and time.

    Cheaper than ``prefetch_related`` (which builds a filtered queryset for every program):
    each program's cached queryset holds its rows only, so iterate or count it, do not filter
    it."""
    by_program: dict[int, list[Session]] = {program.pk: [] for program in programs}
    if not by_program:
        return
    rows = Session.objects.filter(program_id__in=list(by_program)).order_by(*SESSION_ORDER)
    for session in rows:
        by_program[session.program_id].append(session)
    for program in programs:
        cached = QuerySet(model=Session)
        cached._result_cache = by_program[program.pk]
        cached._prefetch_done = True
        program._prefetched_objects_cache = {**_prefetched(program), "sessions": cached}


def _prefetched(program) -> dict:
    return getattr(program, "_prefetched_objects_cache", {})


def distance_to(program: Program, origin: tuple[float, float] | None) -> float | None:
    """Miles from ``origin`` to the program's site; None without an origin or coordinates."""
    location = program.location
    if origin is None or location is None or location.latitude is None:
        return None
    return geo.haversine_miles(origin[0], origin[1], location.latitude, location.longitude)


# ---- the search page and the API -----------------------------------------------------------


@dataclass
class Hit:
    """One search result: a program as a listing shows it (a plain snapshot, see
    :mod:`programs.snapshot`) and its distance (None without a ZIP or an address)."""

    program: snapshot.ProgramSnapshot
    distance_miles: float | None


@dataclass
class SearchResults:
    """What a search page or API response needs.

    ``is_valid`` False means at least one parameter was bad: ``errors`` names them and
    ``page`` is None (never an unfiltered list).
    """

    filterset: ProgramFilter
    is_valid: bool
    errors: dict[str, list[str]]
    place: geo.ZipPlace | None = None
    radius_miles: int | None = None
    page: Page | None = None
    hits: list[Hit] = field(default_factory=list)

    @property
    def count(self) -> int:
        return self.page.paginator.count if self.page is not None else 0

    @property
    def cleaned(self) -> dict:
        return self.filterset.cleaned if self.is_valid else {}


def as_querydict(params) -> QueryDict:
    """``params`` as a QueryDict; a plain dict's values may be strings or lists of strings."""
    if isinstance(params, QueryDict):
        return params
    query = QueryDict(mutable=True)
    for key, value in (params or {}).items():
        if isinstance(value, list | tuple | set):
            query.setlist(key, [str(item) for item in value])
        elif value is not None:
            query[key] = str(value)
    return query


def search_programs(params, page_number=1, page_size: int = PAGE_SIZE) -> SearchResults:
    """Run the directory search for query parameters ``params`` (a QueryDict or dict).

    Results are sorted by distance when a ZIP is given (then by name), by name otherwise.
    Costs three queries for any number of matches: ids and coordinates in the bounding box (or
    a count without a ZIP), the page's rows, and their sessions. With a ZIP, the programs whose
    snapshot is kept and current (:mod:`programs.snapshot`) are not loaded again: a page of
    them costs the one query.
    """
    filterset = ProgramFilter(as_querydict(params), queryset=base_queryset())
    if not filterset.is_valid():
        return SearchResults(filterset, False, filterset.error_dict())
    cleaned = filterset.cleaned
    if not cleaned.get("zip"):
        paginator = Paginator(_fresh_first(filterset.qs).order_by("stale", "name", "pk"), page_size)
        page = paginator.get_page(page_number)
        programs = list(page.object_list)
        attach_sessions(programs)
        page.object_list = [snapshot.keep(program) for program in programs]
        hits = [Hit(program, None) for program in page.object_list]
        return SearchResults(filterset, True, {}, page=page, hits=hits)

    place = geo.zip_place(cleaned["zip"])
    radius = cleaned.get("radius") or DEFAULT_RADIUS_MILES
    origin = (place.latitude, place.longitude)
    telehealth = bool(cleaned.get("telehealth"))
    rows, updated_at_of = _ranking_rows(filterset, origin, radius, place.state, telehealth)
    ranked = _rank_by_distance(rows, origin, radius, place.state, telehealth)
    paginator = Paginator(ranked, page_size)
    page = paginator.get_page(page_number)
    programs = snapshots([(pk, updated_at_of(raw)) for pk, _distance, raw in page.object_list])
    hits = [
        Hit(programs[pk], distance)
        for pk, distance, _updated_at in page.object_list
        if pk in programs
    ]
    page.object_list = [hit.program for hit in hits]
    return SearchResults(
        filterset, True, {}, place=place, radius_miles=radius, page=page, hits=hits
    )


def snapshots(rows: Sequence[tuple[int, object]]) -> dict[int, snapshot.ProgramSnapshot]:
    """{id: snapshot} of the programs (id, updated_at): the kept ones as they are, the others
    loaded (2 queries, none when every one is kept)."""
    found = {}
    missing = []
    for pk, updated_at in rows:
        kept = snapshot.get(pk, updated_at)
        if kept is None:
            missing.append(pk)
        else:
            found[pk] = kept
    for program in load_programs(missing):
        found[program.pk] = snapshot.keep(program)
    return found


def _geo_q(origin, radius, state: str, telehealth: bool) -> Q:
    box = geo.bounding_box(origin[0], origin[1], radius)
    near = Q(
        location__latitude__gte=box.min_lat,
        location__latitude__lte=box.max_lat,
        location__longitude__gte=box.min_lng,
        location__longitude__lte=box.max_lng,
    )
    if not telehealth and connections[router.db_for_read(Program)].vendor == "postgresql":
        # PostgreSQL joins the sites in the box to their programs by (location, level) as it
        # is; given the sites as a subquery it hashes every site instead (25,000 programs:
        # 2.0 ms against 1.0).
        return near
    if not telehealth:
        # The sites in the box first, then their programs by (location, level): a plan the
        # database keeps with or without statistics (SQLite without ANALYZE otherwise starts
        # from every program at the level: 7 ms instead of 1 at 25,000 programs).
        sites = Location.objects.filter(
            latitude__gte=box.min_lat,
            latitude__lte=box.max_lat,
            longitude__gte=box.min_lng,
            longitude__lte=box.max_lng,
        )
        return Q(location__in=sites.values("pk"))
    return near | Q(modality__in=TELEHEALTH_MODALITIES) & (
        Q(location__isnull=True)
        | Q(location__latitude__isnull=True)
        | Q(location__state__iexact=state)
    )


def _fresh_first(queryset):
    """``stale`` 1 for listings not confirmed lately (see :mod:`programs.freshness`), else 0."""
    cutoff = freshness.stale_before(timezone.localdate())
    return queryset.annotate(
        stale=Case(
            When(last_verified__gte=cutoff, then=Value(0)),
            default=Value(1),
            output_field=IntegerField(),
        )
    )


#: What the ranking reads of each program in the search's box.
RANK_COLUMNS = (
    "pk",
    "name",
    "modality",
    "location__latitude",
    "location__longitude",
    "location__state",
    "last_verified",
    "next_intake",
    "wait_days",
    "updated_at",
)
#: (database, cleaned parameters, day, vocabularies) -> the ranking query compiled: SQL,
#: parameters and the columns' converters, made once (building and compiling the filtered query
#: cost more than running it). The SQL is a pure function of its key.
_RANKING_QUERIES: dict[tuple, CompiledQuery] = {}
RANKING_QUERIES_LIMIT = 256


@dataclass(frozen=True)
class CompiledQuery:
    """A values_list query compiled once and run as it is (rows as Django would give them)."""

    sql: str
    params: tuple
    converters: tuple  # ((column, (converter, ...), expression), ...)

    @classmethod
    def of(cls, queryset: QuerySet, using: str) -> CompiledQuery:
        compiler = queryset.query.get_compiler(using)
        sql, params = compiler.as_sql()
        fields = [column[0] for column in compiler.select[0 : compiler.col_count]]
        converters = tuple(
            (position, tuple(functions), expression)
            for position, (functions, expression) in compiler.get_converters(fields).items()
        )
        return cls(sql, tuple(params), converters)

    def rows(self, using: str, later: int | None = None) -> list[tuple]:
        """The rows, each value converted as Django would, except column ``later`` (left as
        the database gave it: :meth:`convert` it for the rows that need it)."""
        connection = connections[using]
        with connection.cursor() as cursor:
            cursor.execute(self.sql, self.params)
            rows = cursor.fetchall()
        converters = [item for item in self.converters if item[0] != later]
        if not converters:
            return rows
        converted = []
        for row in rows:
            row = list(row)
            for position, functions, expression in converters:
                value = row[position]
                for function in functions:
                    value = function(value, expression, connection)
                row[position] = value
            converted.append(row)
        return converted

    def convert(self, value, position: int, using: str):
        """A value of column ``position`` as Django would give it."""
        connection = connections[using]
        for column, functions, expression in self.converters:
            if column == position:
                for function in functions:
                    value = function(value, expression, connection)
        return value


def _ranking_rows(filterset, origin, radius, state, telehealth) -> tuple[list, object]:
    """The ranking's rows for this search (:data:`RANK_COLUMNS`), from the kept compiled
    query (see above), and a function that converts their ``updated_at`` (left as the
    database gave it: only the page's rows need it)."""
    using = router.db_for_read(Program)
    key = _search_key(filterset.cleaned)
    compiled = _RANKING_QUERIES.get((using, key)) if key is not None else None
    if compiled is None:
        queryset = (
            filterset.qs.filter(_geo_q(origin, radius, state, telehealth))
            .order_by()
            .values_list(*RANK_COLUMNS)
        )
        if key is None:
            return list(queryset), _as_is
        compiled = CompiledQuery.of(queryset, using)
        if len(_RANKING_QUERIES) >= RANKING_QUERIES_LIMIT:
            _RANKING_QUERIES.clear()
        _RANKING_QUERIES[(using, key)] = compiled
    updated = RANK_COLUMNS.index("updated_at")
    return compiled.rows(using, later=updated), partial(
        compiled.convert, position=updated, using=using
    )


def _as_is(value):
    return value


def _search_key(cleaned: dict) -> tuple | None:
    """What the filtered query depends on: the cleaned parameters, today (``soon``) and the
    vocabularies (codes a parameter stands for); None when a value cannot be a key."""
    items = tuple(
        sorted(
            (name, tuple(value) if isinstance(value, list | tuple) else value)
            for name, value in cleaned.items()
        )
    )
    key = (items, timezone.localdate(), registry_key())
    try:
        hash(key)
    except TypeError:
        return None
    return key


def _rank_by_distance(rows, origin, radius, state, telehealth) -> list[tuple]:
    """[(program id, distance or None, updated_at)] within the radius (plus telehealth, see
    module doc), nearest first by distance band, fresh before stale listings and a known short
    wait first within a band, from the rows of :func:`_ranking_rows`."""
    today = timezone.localdate()
    updated = {}
    standing = []
    for row in rows:
        updated[row[0]] = row[9]
        standing.append(
            (
                *row[:6],
                freshness.is_stale(row[6], today),
                freshness.starts_soon(row[7], row[8], today),
            )
        )
    ordered = ranking.search_order(standing, origin, radius, state, telehealth)
    return [(pk, distance, updated[pk]) for pk, distance in ordered]


# ---- the rows matching reads ---------------------------------------------------------------


def matching_candidates(
    level_values: Sequence[str], place: geo.ZipPlace | None, farther_radius: int
) -> list[Candidate]:
    """Active programs at these levels that matching may offer, as plain records (1 query).

    With a place: the bounding box of ``farther_radius`` plus telehealth programs of its state
    or with no address. Without one: the first :data:`NO_ZIP_CANDIDATE_LIMIT`, taking new
    patients and lately verified first.
    """
    queryset = Program.objects.filter(is_active=True, level__in=list(level_values))
    columns = (
        "pk",
        "level",
        "modality",
        "location__latitude",
        "location__longitude",
        "location__state",
        "name",
    )
    if place is None:
        rows = queryset.order_by(
            F("accepting_new_patients").desc(nulls_last=True),
            F("last_verified").desc(nulls_last=True),
            "name",
        ).values_list(*columns)[:NO_ZIP_CANDIDATE_LIMIT]
        return [_candidate(row, None, "") for row in rows]
    origin = (place.latitude, place.longitude)
    rows = (
        queryset.filter(_geo_q(origin, farther_radius, place.state, telehealth=True))
        .order_by()
        .values_list(*columns)
    )
    return [_candidate(row, origin, place.state) for row in rows]


def _candidate(row, origin, state: str) -> Candidate:
    pk, level, modality, lat, lng, site_state, name = row
    distance = None
    if origin is not None and lat is not None and lng is not None:
        distance = geo.haversine_miles(*origin, lat, lng)
    return Candidate(
        pk=pk,
        level=LevelOfCare(level),
        modality=modality,
        name=name,
        distance=distance,
        has_coordinates=lat is not None,
        same_state=bool(state) and (site_state or "").upper() == state.upper(),
    )


def program_record(program: Program, today=None) -> ProgramRecord:
    """The plain record the ranking scores (sessions must be prefetched: no query)."""
    today = today or timezone.localdate()
    return ProgramRecord(
        level=program.level_of_care,
        modality=program.modality,
        has_location=program.location is not None,
        payment=tuple(program.payment),
        age_groups=tuple(program.age_groups),
        languages=tuple(program.languages),
        interpreters=tuple(program.interpreters),
        therapies=tuple(program.therapies),
        conditions=tuple(program.conditions),
        accepting_new_patients=program.accepting_new_patients,
        sessions=tuple(SessionTime(s.weekday, s.start) for s in program.sessions.all()),
        wait_days=freshness.known_wait_days(program.next_intake, program.wait_days, today),
        stale=freshness.is_stale(program.last_verified, today),
        last_verified=program.last_verified,
    )
