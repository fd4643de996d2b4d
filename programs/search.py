"""Queries over the directory: the filtered distance search, and matching for a result page.

Both do their geography the same way (``shared/design.md``, "Geography offline"):

1. ZIP -> (lat, lng) with :mod:`programs.geo` (offline).
2. An indexed bounding-box prefilter on ``Location(latitude, longitude)`` (index
   ``location_lat_lng``) that fetches only small tuples (id, coordinates, a few codes).
3. The exact haversine distance in Python over those tuples (SQLite has no trig functions by
   default; this keeps SQLite and PostgreSQL identical), then sort by distance.
4. Only the rows that will be shown are loaded in full, with ``select_related`` (provider,
   location) and one ``prefetch_related`` for sessions.

So a page of search results costs a fixed number of queries (3) however many programs match,
and :func:`match_programs` costs 3 as well.

Telehealth: a program whose modality is telehealth or both can be joined from home. When a
search has a ZIP and ``telehealth=1``, it returns the telehealth programs within the radius
(nearest first), then telehealth programs in the ZIP's state that are farther away, then
telehealth programs with no address (distance null). Without ``telehealth=1`` only programs
with an address within the radius are listed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.core.paginator import Page, Paginator
from django.db.models import F, Prefetch, Q, QuerySet, prefetch_related_objects
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from programs import geo, levels, vocab
from programs.filters import (
    DEFAULT_RADIUS_MILES,
    INSURANCE_TO_PAYMENT,
    ProgramFilter,
    payment_codes_for,
    time_of_day,
)
from programs.levels import LevelOfCare
from programs.models import Program, Session

PAGE_SIZE = 20
TELEHEALTH_MODALITIES = (Program.Modality.TELEHEALTH, Program.Modality.BOTH)
IN_PERSON_MODALITIES = (Program.Modality.IN_PERSON, Program.Modality.BOTH)
DAY_CODES = vocab.codes(vocab.WEEKDAYS)


def base_queryset() -> QuerySet[Program]:
    """Active programs, with what every listing shows joined in (provider, location)."""
    return Program.objects.filter(is_active=True).select_related("provider", "location")


def _sessions_prefetch() -> Prefetch:
    return Prefetch("sessions", queryset=Session.objects.order_by("weekday", "start", "end"))


def load_programs(ids: Sequence[int]) -> list[Program]:
    """Programs with these ids, in this order, with provider, location and sessions (2 queries)."""
    if not ids:
        return []
    by_id = base_queryset().prefetch_related(_sessions_prefetch()).in_bulk(list(ids))
    return [by_id[pk] for pk in ids if pk in by_id]


def distance_to(program: Program, origin: tuple[float, float] | None) -> float | None:
    """Miles from ``origin`` to the program's site; None without an origin or coordinates."""
    location = program.location
    if origin is None or location is None or location.latitude is None:
        return None
    return geo.haversine_miles(origin[0], origin[1], location.latitude, location.longitude)


# ---- the search page and the API -----------------------------------------------------------


@dataclass
class Hit:
    """One search result: a program and its distance (None without a ZIP or an address)."""

    program: Program
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
    a count without a ZIP), the page's rows, and their sessions.
    """
    filterset = ProgramFilter(as_querydict(params), queryset=base_queryset())
    if not filterset.is_valid():
        return SearchResults(filterset, False, filterset.error_dict())
    cleaned = filterset.cleaned
    queryset = filterset.qs
    if not cleaned.get("zip"):
        paginator = Paginator(queryset.order_by("name", "pk"), page_size)
        page = paginator.get_page(page_number)
        programs = list(page.object_list)
        prefetch_related_objects(programs, _sessions_prefetch())
        page.object_list = programs
        hits = [Hit(program, None) for program in programs]
        return SearchResults(filterset, True, {}, page=page, hits=hits)

    place = geo.zip_place(cleaned["zip"])
    radius = cleaned.get("radius") or DEFAULT_RADIUS_MILES
    origin = (place.latitude, place.longitude)
    telehealth = bool(cleaned.get("telehealth"))
    ranked = _rank_by_distance(queryset, origin, radius, place.state, telehealth)
    paginator = Paginator(ranked, page_size)
    page = paginator.get_page(page_number)
    distances = dict(page.object_list)
    programs = load_programs([pk for pk, _distance in page.object_list])
    hits = [Hit(program, distances[program.pk]) for program in programs]
    page.object_list = programs
    return SearchResults(
        filterset, True, {}, place=place, radius_miles=radius, page=page, hits=hits
    )


def _geo_q(origin, radius, state: str, telehealth: bool) -> Q:
    box = geo.bounding_box(origin[0], origin[1], radius)
    near = Q(
        location__latitude__gte=box.min_lat,
        location__latitude__lte=box.max_lat,
        location__longitude__gte=box.min_lng,
        location__longitude__lte=box.max_lng,
    )
    if telehealth:
        near |= Q(modality__in=TELEHEALTH_MODALITIES) & (
            Q(location__isnull=True)
            | Q(location__latitude__isnull=True)
            | Q(location__state__iexact=state)
        )
    return near


def _rank_by_distance(queryset, origin, radius, state, telehealth) -> list[tuple[int, float]]:
    """[(program id, distance or None)] within the radius (plus telehealth, see module doc),
    nearest first; one query that fetches tuples only."""
    rows = (
        queryset.filter(_geo_q(origin, radius, state, telehealth))
        .order_by()
        .values_list(
            "pk", "name", "modality", "location__latitude", "location__longitude", "location__state"
        )
    )
    ranked = []
    for pk, name, modality, lat, lng, site_state in rows:
        distance = None if lat is None or lng is None else geo.haversine_miles(*origin, lat, lng)
        if distance is not None and distance <= radius:
            ranked.append((0, distance, name, pk))
        elif (
            telehealth
            and modality in TELEHEALTH_MODALITIES
            and (distance is None or (site_state or "").upper() == state.upper())
        ):
            # Farther telehealth programs in the same state first, then those with no address.
            ranked.append((1 if distance is not None else 2, distance or 0.0, name, pk))
    ranked.sort()
    return [(pk, distance if group < 2 else None) for group, distance, _name, pk in ranked]


# ---- next session times --------------------------------------------------------------------


def next_sessions(sessions: Iterable[Session], now: dt.datetime, count: int = 2) -> list:
    """The next ``count`` (datetime, session) occurrences after ``now`` (aware, local time)."""
    upcoming = []
    for session in sessions:
        days_ahead = (session.weekday - now.weekday()) % 7
        when = dt.datetime.combine(now.date() + dt.timedelta(days=days_ahead), session.start)
        when = when.replace(tzinfo=now.tzinfo)
        if when <= now:
            when += dt.timedelta(days=7)
        upcoming.append((when, session))
    upcoming.sort(key=lambda pair: pair[0])
    return upcoming[:count]


def local_now(program: Program, now: dt.datetime | None = None) -> dt.datetime:
    """The current time where the program meets (its ZIP's time zone, else the site's)."""
    now = now or timezone.now()
    zone_name = geo.zip_timezone(program.location.zip_code) if program.location else ""
    try:
        zone = ZoneInfo(zone_name) if zone_name else timezone.get_current_timezone()
    except (ZoneInfoNotFoundError, ValueError):
        zone = timezone.get_current_timezone()
    return now.astimezone(zone)


# ---- matching for the assessment's result page ---------------------------------------------


@dataclass
class Preferences:
    """What the person told the assessment about where and how they can take part."""

    zip_code: str = ""
    radius_miles: int = 25
    insurance: str = ""  # INSURANCE_ANSWERS or PAYMENT code; "" / "unsure" = any
    days: Sequence[str] = ()  # WEEKDAYS codes
    times: Sequence[str] = ()  # TIMES_OF_DAY codes
    modality: str = ""  # "in_person" | "telehealth" | "both" | ""
    language: str = ""  # LANGUAGES code
    age_group: str = ""  # AGE_GROUPS code
    flags: Sequence[str] = ()  # rules flags: dual_diagnosis, trauma, eating_disorder, ...


@dataclass
class Match:
    """A program offered on a result page, with plain reasons it fits and does not."""

    program: Program
    distance_miles: float | None
    score: float
    fits: list[str]
    misses: list[str]
    is_alternative: bool
    alternative_note: str


#: Programs that can serve a recommended level. INPATIENT is served by hospital units and by
#: residential treatment (both 24-hour care).
LEVELS_SERVING: dict[LevelOfCare, tuple[LevelOfCare, ...]] = {
    LevelOfCare.INPATIENT: (LevelOfCare.INPATIENT, LevelOfCare.RESIDENTIAL),
    LevelOfCare.RESIDENTIAL: (LevelOfCare.RESIDENTIAL,),
    LevelOfCare.PHP: (LevelOfCare.PHP,),
    LevelOfCare.IOP: (LevelOfCare.IOP,),
    LevelOfCare.OP: (LevelOfCare.OP,),
}
#: One step more intensive, offered first when nothing at the level is near.
STEP_UP: dict[LevelOfCare, tuple[LevelOfCare, ...]] = {
    LevelOfCare.OP: (LevelOfCare.IOP,),
    LevelOfCare.IOP: (LevelOfCare.PHP,),
    LevelOfCare.PHP: (LevelOfCare.RESIDENTIAL,),
    LevelOfCare.RESIDENTIAL: (LevelOfCare.INPATIENT,),
    LevelOfCare.INPATIENT: (),
}
#: One step less intensive, offered last and with a clear note. Never below a 24-hour level:
#: someone who needs hospital care is not offered a day program in its place.
STEP_DOWN: dict[LevelOfCare, tuple[LevelOfCare, ...]] = {
    LevelOfCare.OP: (),
    LevelOfCare.IOP: (LevelOfCare.OP,),
    LevelOfCare.PHP: (LevelOfCare.IOP,),
    LevelOfCare.RESIDENTIAL: (),
    LevelOfCare.INPATIENT: (),
}
#: How far to look for a program at the exact level when nothing is within the radius.
FARTHER_FACTOR = 3
FARTHER_MAX_MILES = 250
#: How many of the nearest candidates are loaded in full and scored.
CANDIDATE_LIMIT = 60
#: Without a ZIP code the candidates cannot be narrowed by place: cap them.
NO_ZIP_CANDIDATE_LIMIT = 300

# Alternative kinds, in the order they are offered.
_EXACT, _OTHER_MODALITY, _STEP_UP, _FARTHER, _STEP_DOWN = range(5)


def _program_kind(level: LevelOfCare):
    return {
        LevelOfCare.INPATIENT: _("an inpatient (hospital) program"),
        LevelOfCare.RESIDENTIAL: _("a residential program"),
        LevelOfCare.PHP: _("a partial hospitalization program"),
        LevelOfCare.IOP: _("an intensive outpatient program"),
        LevelOfCare.OP: _("an outpatient program"),
    }[level]


def short_day(code: str) -> str:
    return {
        "mon": _("Mon"),
        "tue": _("Tue"),
        "wed": _("Wed"),
        "thu": _("Thu"),
        "fri": _("Fri"),
        "sat": _("Sat"),
        "sun": _("Sun"),
    }[code]


def _time_word(code: str) -> str:
    return {"morning": _("morning"), "afternoon": _("afternoon"), "evening": _("evening")}[code]


def _or_list(words: Sequence[str]) -> str:
    words = list(words)
    if len(words) <= 1:
        return "".join(words)
    return _("%(first)s or %(last)s") % {"first": ", ".join(words[:-1]), "last": words[-1]}


def _miles(distance: float) -> str:
    if distance < 1:
        return _("less than a mile away")
    rounded = round(distance) if distance >= 10 else round(distance, 1)
    if rounded == int(rounded):
        rounded = int(rounded)
    return ngettext("%(miles)s mile away", "%(miles)s miles away", rounded) % {"miles": rounded}


def _modality_ok(modality: str, wanted: str) -> bool:
    if wanted == "in_person":
        return modality in IN_PERSON_MODALITIES
    if wanted == "telehealth":
        return modality in TELEHEALTH_MODALITIES
    return True


def match_programs(level, prefs: Preferences, limit: int = 5) -> list[Match]:
    """Programs that could serve ``level`` for a person with ``prefs``, best fit first.

    * EMERGENCY: ``[]`` (the result page leads with crisis help, not programs).
    * INPATIENT: inpatient and residential programs (hospital units first).
    * Programs at the level that the person can reach come first: in person within
      ``radius_miles`` (when in person suits them), or by telehealth from their state or with
      no address (when telehealth suits them). Without a ZIP every program at the level counts.
    * When none can be reached, alternatives are offered, each labelled with
      ``is_alternative`` and ``alternative_note``, in this order: the level in the other
      modality (telehealth for someone who asked for in person, and the reverse), one step more
      intensive nearby, the level farther away (up to 3x the radius, at most 250 miles), and
      one step less intensive nearby (never below 24-hour care).
    * Within each group: programs a flag ranks first (:data:`FLAG_FIRST`: medication for
      opioid use disorder for the ``opioid_use`` flag), then higher fit score, then nearer,
      then by name.

    ``fits`` and ``misses`` are short, plain, translated sentences. Three queries in all.
    An unknown ZIP is treated like no ZIP.
    """
    try:
        level = level if isinstance(level, LevelOfCare) else levels.parse_level(level)
    except ValueError:
        return []
    if level == LevelOfCare.EMERGENCY or limit <= 0:
        return []
    try:
        place = geo.zip_place(prefs.zip_code) if prefs.zip_code else None
    except geo.InvalidZipError:
        place = None
    radius = max(1, int(prefs.radius_miles or DEFAULT_RADIUS_MILES))
    origin = (place.latitude, place.longitude) if place else None
    exact = LEVELS_SERVING[level]
    step_up, step_down = STEP_UP[level], STEP_DOWN[level]
    wanted_levels = {*exact, *step_up, *step_down}
    farther = min(max(radius * FARTHER_FACTOR, radius), max(FARTHER_MAX_MILES, radius))

    queryset = Program.objects.filter(
        is_active=True, level__in=[lvl.value for lvl in wanted_levels]
    )
    columns = (
        "pk",
        "level",
        "modality",
        "location__latitude",
        "location__longitude",
        "location__state",
        "name",
    )
    if place is not None:
        rows = (
            queryset.filter(_geo_q(origin, farther, place.state, telehealth=True))
            .order_by()
            .values_list(*columns)
        )
    else:
        rows = queryset.order_by(
            F("accepting_new_patients").desc(nulls_last=True),
            F("last_verified").desc(nulls_last=True),
            "name",
        ).values_list(*columns)[:NO_ZIP_CANDIDATE_LIMIT]
    wants_remote = prefs.modality in ("telehealth", "both", "")
    candidates = []  # (group, distance, name, pk)
    for pk, program_level, modality, lat, lng, state, name in rows:
        program_level = LevelOfCare(program_level)
        distance = None
        if origin is not None and lat is not None and lng is not None:
            distance = geo.haversine_miles(*origin, lat, lng)
        in_person_near = modality in IN_PERSON_MODALITIES and (
            origin is None or (distance is not None and distance <= radius)
        )
        # Telehealth is offered where the program is licensed: its own state (no address: any).
        remote = modality in TELEHEALTH_MODALITIES and (
            place is None
            or lat is None
            or (state or "").upper() == place.state.upper()
            or (distance is not None and distance <= radius)
        )
        reachable = (in_person_near and prefs.modality != "telehealth") or (remote and wants_remote)
        group = None
        if program_level in exact:
            if reachable:
                group = _EXACT
            elif in_person_near or remote:
                group = _OTHER_MODALITY
            elif (
                distance is not None
                and modality in IN_PERSON_MODALITIES
                and _modality_ok(modality, prefs.modality)
            ):
                group = _FARTHER  # within the wider box, beyond the radius
        elif reachable:
            group = _STEP_UP if program_level in step_up else _STEP_DOWN
        if group is not None:
            candidates.append((group, distance if distance is not None else float("inf"), name, pk))

    if any(group == _EXACT for group, *_rest in candidates):
        candidates = [row for row in candidates if row[0] == _EXACT]
    candidates.sort()
    candidates = candidates[:CANDIDATE_LIMIT]
    groups = {pk: group for group, _distance, _name, pk in candidates}
    programs = load_programs([pk for *_rest, pk in candidates])

    matches = []
    for program in programs:
        distance = distance_to(program, origin)
        group = groups[program.pk]
        score, fits, misses = score_program(program, distance, radius, prefs)
        note = "" if group == _EXACT else _alternative_note(group, program, level, radius)
        matches.append(
            Match(
                program=program,
                distance_miles=round(distance, 1) if distance is not None else None,
                score=score,
                fits=fits,
                misses=misses,
                is_alternative=group != _EXACT,
                alternative_note=note,
            )
        )
    matches.sort(
        key=lambda m: (
            groups[m.program.pk],
            # For INPATIENT, hospital units first, then residential treatment.
            m.program.level != level.value,
            not ranks_first(m.program, prefs.flags),
            -m.score,
            m.distance_miles if m.distance_miles is not None else float("inf"),
            m.program.name,
        )
    )
    return matches[:limit]


def _alternative_note(group: int, program: Program, wanted: LevelOfCare, radius: int) -> str:
    kind = _program_kind(program.level_of_care)
    wanted_name = str(levels.LEVEL_INFO[wanted].short)
    if group == _OTHER_MODALITY:
        if program.modality == Program.Modality.TELEHEALTH or not program.location:
            return _(
                "Nothing at the recommended level meets in person near you. This program is "
                "at that level and meets by video (telehealth)."
            )
        return _(
            "This program is at the recommended level, but it meets in person rather than by video."
        )
    if group == _STEP_UP:
        return _("This is %(kind)s, one step more intensive than %(wanted)s.") % {
            "kind": kind,
            "wanted": wanted_name,
        }
    if group == _FARTHER:
        return _(
            "Nothing at the recommended level is within %(radius)s miles. This program is at "
            "that level, farther away."
        ) % {"radius": radius}
    return _(
        "This is %(kind)s, one step less intensive than %(wanted)s: fewer hours of support "
        "than recommended. Ask whether it can help while you look for a place at the "
        "recommended level."
    ) % {"kind": kind, "wanted": wanted_name}


#: Flag -> (conditions, therapies) that answer it, and the words used when one is listed.
FLAG_NEEDS = {
    "dual_diagnosis": (("dual_diagnosis",), ()),
    "trauma": (("trauma",), ("trauma_focused", "emdr")),
    "eating_disorder": (("eating_disorders",), ()),
    "withdrawal_risk": (("substance_use", "dual_diagnosis"), ("mat",)),
    "opioid_use": (("substance_use", "dual_diagnosis"), ("mat",)),
    "suicide_risk_review": (("self_harm",), ("dbt",)),
    "psychosis_or_mania": (("psychosis", "bipolar"), ()),
}
#: Flags where a program that lists none of the answers gets a "miss" (the others only add fits).
#: "alcohol_brief_advice" (an AUDIT-C at its lowest positive cut-off, and nothing more) is
#: deliberately not a search need: it must never move a substance-use program above a closer
#: program for the person's main condition (issue 9, item 8).
FLAGS_WITH_MISSES = ("dual_diagnosis", "trauma", "eating_disorder")
#: Flags that rank programs offering a therapy first within their group, whatever the rest of
#: the fit: medication for opioid use disorder (buprenorphine, methadone, naltrexone) is first
#: line, so a person who uses opioids sees programs offering it first (LOC §7).
FLAG_FIRST = {"opioid_use": "mat"}


def ranks_first(program: Program, flags) -> bool:
    """Whether a flag puts ``program`` first in its group (see :data:`FLAG_FIRST`)."""
    return any(
        FLAG_FIRST[flag] in (program.therapies or ()) for flag in flags if flag in FLAG_FIRST
    )


def score_program(
    program: Program, distance: float | None, radius: int, prefs: Preferences
) -> tuple[float, list[str], list[str]]:
    """(score, fits, misses) for one program against the person's preferences.

    Pure (no queries: sessions must be prefetched). Weights: insurance 3, age group 3,
    schedule 2, language 2, each clinical flag 1.5, distance up to 2, taking new patients 1,
    modality 1. A listed mismatch subtracts about what a match adds; a gap in the listing
    ("not listed") subtracts nothing but is shown as a miss so the person knows to ask.
    """
    score = 0.0
    fits: list[str] = []
    misses: list[str] = []

    # Distance
    if distance is not None:
        fits.append(_miles(distance))
        score += max(0.0, 2.0 * (1 - distance / max(radius, 1)))
    elif program.location is None and program.offers_telehealth:
        fits.append(_("telehealth from home"))

    # Insurance / payment
    payments = payment_codes_for([prefs.insurance]) if prefs.insurance else set()
    if payments:
        listed = set(program.payment)
        answer_label = _insurance_words(prefs.insurance)
        if not listed:
            misses.append(_("payment options not listed: call to check"))
        elif listed & payments:
            if prefs.insurance == "none":
                found = [
                    str(vocab.label_for(vocab.PAYMENT, c)) for c in program.payment if c in payments
                ]
                fits.append(
                    _("options without insurance: %(options)s") % {"options": ", ".join(found)}
                )
            else:
                fits.append(_("accepts %(insurance)s") % {"insurance": answer_label})
            score += 3
        else:
            misses.append(_("does not list %(insurance)s") % {"insurance": answer_label})
            score -= 3

    # Age group
    if prefs.age_group and program.age_groups:
        label = str(vocab.label_for(vocab.AGE_GROUPS, prefs.age_group))
        if prefs.age_group in program.age_groups:
            fits.append(_("serves your age group (%(age)s)") % {"age": label})
            score += 3
        else:
            misses.append(_("does not list your age group (%(age)s)") % {"age": label})
            score -= 4

    # Schedule (24-hour programs have no session times to fit)
    if program.level_of_care not in (LevelOfCare.INPATIENT, LevelOfCare.RESIDENTIAL):
        delta, fit, miss = _schedule_fit(list(program.sessions.all()), prefs.days, prefs.times)
        score += delta
        fits.extend(fit)
        misses.extend(miss)

    # Modality
    if prefs.modality == "telehealth":
        if program.offers_telehealth:
            fits.append(_("offers telehealth (video)"))
            score += 1
        else:
            misses.append(_("meets in person only"))
            score -= 1
    elif prefs.modality == "in_person":
        if program.modality == Program.Modality.TELEHEALTH:
            misses.append(_("meets by video only"))
            score -= 1
        else:
            score += 0.5
    elif program.offers_telehealth:
        fits.append(_("offers telehealth (video)"))

    # Language (SAMHSA lists only languages other than English, so empty means English)
    if prefs.language:
        label = str(vocab.label_for(vocab.LANGUAGES, prefs.language))
        listed = program.languages
        if prefs.language in listed or (prefs.language == "en" and not listed):
            if prefs.language != "en":
                fits.append(_("services in %(language)s") % {"language": label})
            score += 2
        else:
            misses.append(_("does not list %(language)s") % {"language": label})
            score -= 2

    # Clinical flags from the assessment
    for flag in prefs.flags:
        if flag not in FLAG_NEEDS:
            continue
        conditions, therapies = FLAG_NEEDS[flag]
        found_therapies = [code for code in therapies if code in program.therapies]
        found_conditions = [code for code in conditions if code in program.conditions]
        if found_therapies:
            fits.append(
                _("offers %(therapies)s")
                % {"therapies": _or_list([_therapy_words(c) for c in found_therapies])}
            )
            score += 1.5
        elif found_conditions:
            fits.append(
                _("treats %(condition)s") % {"condition": _condition_words(found_conditions[0])}
            )
            score += 1.5
        elif flag in FLAGS_WITH_MISSES:
            misses.append(
                _("does not list treatment for %(condition)s")
                % {"condition": _condition_words(conditions[0])}
            )

    # Taking new patients
    if program.accepting_new_patients is True:
        fits.append(_("taking new patients"))
        score += 1
    elif program.accepting_new_patients is False:
        misses.append(_("not taking new patients right now"))
        score -= 2
    return round(score, 3), fits, misses


def _insurance_words(code: str) -> str:
    if code in INSURANCE_TO_PAYMENT and code != "none":
        return str(vocab.label_for(vocab.PAYMENT, code))
    return _("free, sliding-scale or self-pay options")


def _condition_words(code: str) -> str:
    words = {
        "trauma": _("trauma and PTSD"),
        "dual_diagnosis": _("co-occurring mental health and substance use"),
        "eating_disorders": _("eating disorders"),
        "substance_use": _("substance use"),
        "self_harm": _("self-harm"),
        "psychosis": _("psychosis"),
        "bipolar": _("bipolar disorder"),
    }
    return str(words.get(code) or vocab.label_for(vocab.CONDITIONS, code))


def _therapy_words(code: str) -> str:
    short = {"dbt": "DBT", "cbt": "CBT", "emdr": "EMDR"}
    if code in short:
        return short[code]
    return str(vocab.label_for(vocab.THERAPIES, code)).lower()


def _schedule_fit(sessions, days: Sequence[str], times: Sequence[str]):
    """(score delta, fits, misses) for the person's days and times against the sessions."""
    if not days and not times:
        return 0.0, [], []
    if not sessions:
        return 0.0, [], [_("session times not listed: call to ask")]
    day_ok = {d for d in days if d in DAY_CODES}
    time_ok = {t for t in times if t in ("morning", "afternoon", "evening")}

    def suits(session, check_day=True, check_time=True):
        return (not check_day or not day_ok or DAY_CODES[session.weekday] in day_ok) and (
            not check_time or not time_ok or time_of_day(session.start) in time_ok
        )

    matching = [s for s in sessions if suits(s)]
    time_words = _or_list(
        [_time_word(t) for t in ("morning", "afternoon", "evening") if t in time_ok]
    )
    if matching:
        day_list = "/".join(short_day(DAY_CODES[d]) for d in sorted({s.weekday for s in matching}))
        if time_ok:
            words = _("%(time)s sessions %(days)s") % {"time": time_words, "days": day_list}
        else:
            words = _("sessions on %(days)s") % {"days": day_list}
        return 2.0, [words], []
    day_words = "/".join(short_day(d) for d in DAY_CODES if d in day_ok)
    if time_ok and not any(suits(s, check_day=False) for s in sessions):
        return -2.0, [], [_("no %(time)s sessions") % {"time": time_words}]
    if day_ok and not any(suits(s, check_time=False) for s in sessions):
        return -2.0, [], [_("no sessions on %(days)s") % {"days": day_words}]
    return (
        -1.5,
        [],
        [_("no %(time)s sessions on %(days)s") % {"time": time_words, "days": day_words}],
    )
