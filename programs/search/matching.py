"""Matching for the assessment's result page: the rows from :mod:`.queries`, the decisions from
:mod:`.ranking`. Three queries in all."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import timezone

from programs import freshness, geo, levels
from programs.filters import DEFAULT_RADIUS_MILES
from programs.levels import LevelOfCare
from programs.models import Program
from programs.search import ranking
from programs.search.queries import (
    distance_to,
    load_programs,
    matching_candidates,
    program_record,
)
from programs.search.ranking import Preferences


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
    #: "Next intake: December 7" / "Typical wait: about 10 days", "" when unknown.
    wait: str = ""
    #: "Not confirmed since March 2026: call to check" and/or "Reported: may be out of date.".
    listing_note: str = ""


def score_program(
    program: Program, distance: float | None, radius: int, prefs: Preferences
) -> tuple[float, list[str], list[str]]:
    """(score, fits, misses) for one loaded program (sessions prefetched: no queries);
    see :func:`programs.search.ranking.score_record`."""
    return ranking.score_record(program_record(program), distance, radius, prefs)


def _recommended_level(level) -> LevelOfCare | None:
    try:
        return level if isinstance(level, LevelOfCare) else levels.parse_level(level)
    except ValueError:
        return None


def _place(zip_code: str) -> geo.ZipPlace | None:
    """The person's ZIP; an unknown ZIP is treated like no ZIP."""
    try:
        return geo.zip_place(zip_code) if zip_code else None
    except geo.InvalidZipError:
        return None


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
    * Within each group: programs a flag ranks first (:data:`ranking.FLAG_FIRST`: medication
      for opioid use disorder for the ``opioid_use`` flag), then higher fit score, then nearer,
      then by name.

    ``fits`` and ``misses`` are short, plain, translated sentences. Three queries in all.
    An unknown ZIP is treated like no ZIP.
    """
    level = _recommended_level(level)
    if level is None or level == LevelOfCare.EMERGENCY or limit <= 0:
        return []
    place = _place(prefs.zip_code)
    radius = ranking.search_radius(prefs.radius_miles, DEFAULT_RADIUS_MILES)
    reach = ranking.Reach(level, radius, has_place=place is not None, modality=prefs.modality)
    candidates = matching_candidates(
        [lvl.value for lvl in ranking.levels_considered(level)],
        place,
        ranking.farther_radius(radius),
    )
    groups = ranking.choose_candidates(candidates, reach)
    origin = (place.latitude, place.longitude) if place else None
    matches = [
        _match(program, groups[program.pk], distance_to(program, origin), reach, prefs)
        for program in load_programs(list(groups))
    ]
    matches.sort(
        key=lambda m: ranking.match_order(
            groups[m.program.pk],
            m.program.level,
            m.program.name,
            m.score,
            m.distance_miles,
            level,
            ranking.ranks_first(m.program, prefs.flags),
        )
    )
    return matches[:limit]


def _match(program: Program, group: int, distance, reach: ranking.Reach, prefs) -> Match:
    today = timezone.localdate()
    record = program_record(program, today)
    score, fits, misses = ranking.score_record(record, distance, reach.radius, prefs)
    return Match(
        program=program,
        distance_miles=round(distance, 1) if distance is not None else None,
        score=score,
        fits=fits,
        misses=misses,
        is_alternative=group != ranking.EXACT,
        alternative_note=ranking.alternative_note(group, record, reach.level, reach.radius),
        wait=freshness.wait_text(program.next_intake, program.wait_days, today),
        listing_note=freshness.listing_note(
            record.stale, program.last_verified, program.reported_kind
        ),
    )
