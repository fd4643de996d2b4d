"""Which programs fit a person, and how well: pure decisions over plain records.

No models and no queries: :mod:`programs.search.queries` turns rows into the records here
(:class:`Candidate` for the prefilter's tuples, :class:`ProgramRecord` for a loaded program),
so every rule below is tested without a database (``tests/programs/test_ranking.py``).

* :func:`reach_group` decides whether a candidate is offered, and as what: at the level and
  reachable, at the level in the other modality, one step up, at the level farther away, or one
  step down (never below 24-hour care).
* :func:`score_record` scores one program against the person's preferences and says why in
  short, plain sentences (``fits`` and ``misses``).
* :func:`match_order` is the order a result page lists them in.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from programs import freshness, geo, vocab
from programs.levels import LevelOfCare
from programs.search import wording

TELEHEALTH_MODALITIES = ("telehealth", "both")
IN_PERSON_MODALITIES = ("in_person", "both")
DAY_CODES = vocab.codes(vocab.WEEKDAYS)
TIME_CODES = vocab.codes(vocab.TIMES_OF_DAY)
#: 24-hour levels: no session times to fit.
ROUND_THE_CLOCK = (LevelOfCare.INPATIENT, LevelOfCare.RESIDENTIAL)

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
EXACT, OTHER_MODALITY, STEP_UP_GROUP, FARTHER, STEP_DOWN_GROUP = range(5)

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


# ---- records ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class SessionTime:
    """When one session meets: ``weekday`` 0 = Monday, ``start`` local time."""

    weekday: int
    start: dt.time


@dataclass(frozen=True)
class ProgramRecord:
    """What the scoring reads of a program (see ``queries.program_record``)."""

    level: LevelOfCare
    modality: str
    has_location: bool = True
    payment: Sequence[str] = ()
    age_groups: Sequence[str] = ()
    languages: Sequence[str] = ()
    therapies: Sequence[str] = ()
    conditions: Sequence[str] = ()
    accepting_new_patients: bool | None = None
    sessions: Sequence[SessionTime] = ()
    interpreters: Sequence[str] = ()
    wait_days: int | None = None  # known days until a new patient can start
    stale: bool = False  # not confirmed with the program lately (programs.freshness)
    last_verified: dt.date | None = None

    @property
    def offers_telehealth(self) -> bool:
        return self.modality in TELEHEALTH_MODALITIES


@dataclass(frozen=True)
class Candidate:
    """One row of the matching prefilter: where a program is, relative to the person."""

    pk: int
    level: LevelOfCare
    modality: str
    name: str
    distance: float | None  # None without a ZIP or without coordinates
    has_coordinates: bool
    same_state: bool  # the site is in the state of the person's ZIP


@dataclass(frozen=True)
class Reach:
    """The person's side of :func:`reach_group`: the level, the radius, how they can take part."""

    level: LevelOfCare
    radius: int
    has_place: bool
    modality: str = ""

    @property
    def wants_in_person(self) -> bool:
        return self.modality != "telehealth"

    @property
    def wants_remote(self) -> bool:
        return self.modality in ("telehealth", "both", "")


def search_radius(radius_miles, default: int) -> int:
    """The radius in whole miles, at least 1 (``default`` when not given)."""
    return max(1, int(radius_miles or default))


def farther_radius(radius: int) -> int:
    """How far to look for the level itself when nothing is within ``radius``."""
    return min(max(radius * FARTHER_FACTOR, radius), max(FARTHER_MAX_MILES, radius))


def levels_considered(level: LevelOfCare) -> set[LevelOfCare]:
    """The level, the levels serving it, and one step either side."""
    return {*LEVELS_SERVING[level], *STEP_UP[level], *STEP_DOWN[level]}


# ---- reach -----------------------------------------------------------------------------------


def within(distance: float | None, radius: int) -> bool:
    return distance is not None and distance <= radius


def near_in_person(candidate: Candidate, reach: Reach) -> bool:
    """Meets in person within the radius (any in-person program counts without a ZIP)."""
    return candidate.modality in IN_PERSON_MODALITIES and (
        not reach.has_place or within(candidate.distance, reach.radius)
    )


def joinable_remotely(candidate: Candidate, reach: Reach) -> bool:
    """Meets by video where it is licensed: its own state (no address: any state)."""
    return candidate.modality in TELEHEALTH_MODALITIES and (
        not reach.has_place
        or not candidate.has_coordinates
        or candidate.same_state
        or within(candidate.distance, reach.radius)
    )


def modality_suits(modality: str, wanted: str) -> bool:
    """Whether a program's modality is one the person can take part in."""
    if wanted == "in_person":
        return modality in IN_PERSON_MODALITIES
    if wanted == "telehealth":
        return modality in TELEHEALTH_MODALITIES
    return True


def reachable(candidate: Candidate, reach: Reach) -> bool:
    """Near enough, in a way the person said they can take part."""
    return (near_in_person(candidate, reach) and reach.wants_in_person) or (
        joinable_remotely(candidate, reach) and reach.wants_remote
    )


def _exact_level_group(candidate: Candidate, reach: Reach) -> int | None:
    if reachable(candidate, reach):
        return EXACT
    if near_in_person(candidate, reach) or joinable_remotely(candidate, reach):
        return OTHER_MODALITY
    if (
        candidate.distance is not None
        and candidate.modality in IN_PERSON_MODALITIES
        and modality_suits(candidate.modality, reach.modality)
    ):
        return FARTHER  # within the wider box, beyond the radius
    return None


def reach_group(candidate: Candidate, reach: Reach) -> int | None:
    """How a candidate is offered (EXACT, OTHER_MODALITY, STEP_UP_GROUP, FARTHER,
    STEP_DOWN_GROUP), or None when it is not offered at all."""
    if candidate.level in LEVELS_SERVING[reach.level]:
        return _exact_level_group(candidate, reach)
    if not reachable(candidate, reach):
        return None
    if candidate.level in STEP_UP[reach.level]:
        return STEP_UP_GROUP
    if candidate.level in STEP_DOWN[reach.level]:
        return STEP_DOWN_GROUP
    return None


def choose_candidates(candidates: Sequence[Candidate], reach: Reach) -> dict[int, int]:
    """{program id: group} for the programs to load and score, nearest first within a group.

    When any program at the level is reachable only those are kept; at most
    :data:`CANDIDATE_LIMIT`.
    """
    grouped = []
    for candidate in candidates:
        group = reach_group(candidate, reach)
        if group is not None:
            distance = candidate.distance if candidate.distance is not None else float("inf")
            grouped.append((group, distance, candidate.name, candidate.pk))
    if any(group == EXACT for group, *_rest in grouped):
        grouped = [row for row in grouped if row[0] == EXACT]
    grouped.sort()
    return {pk: group for group, _distance, _name, pk in grouped[:CANDIDATE_LIMIT]}


def alternative_note(group: int, program: ProgramRecord, wanted: LevelOfCare, radius: int) -> str:
    """Why an alternative is offered ("" for a program at the level, reachable)."""
    if group == EXACT:
        return ""
    if group == OTHER_MODALITY:
        return wording.other_modality_note(
            program.modality == "telehealth" or not program.has_location
        )
    if group == STEP_UP_GROUP:
        return wording.step_up_note(program.level, wanted)
    if group == FARTHER:
        return wording.farther_note(radius)
    return wording.step_down_note(program.level, wanted)


def ranks_first(program, flags) -> bool:
    """Whether a flag puts ``program`` first in its group (see :data:`FLAG_FIRST`)."""
    return any(
        FLAG_FIRST[flag] in (program.therapies or ()) for flag in flags if flag in FLAG_FIRST
    )


def match_order(group, program_level, name, score, distance, wanted, first) -> tuple:
    """The sort key of a match: group, the level itself before the levels serving it
    (hospital units before residential for INPATIENT), flagged-first, score, distance, name."""
    return (
        group,
        program_level != wanted.value,
        not first,
        -score,
        distance if distance is not None else float("inf"),
        name,
    )


# ---- the search page's order ---------------------------------------------------------------


def search_order(rows, origin, radius: int, state: str, telehealth: bool) -> list:
    """[(program id, distance or None)] for the search page, from prefilter rows
    (pk, name, modality, latitude, longitude, state[, stale, starts_soon]): the programs within
    the radius nearest first; with ``telehealth``, then video programs farther away in the ZIP's
    state, then those with no address (distance None).

    Distances are compared by band (:data:`programs.freshness.DISTANCE_BANDS`: 5, 10, 25, 50,
    100, 250 miles): within a band, listings confirmed lately come before stale ones, then those
    with a known short wait, then the nearest."""
    ranked = []
    for pk, name, modality, lat, lng, site_state, *standing in rows:
        stale, soon = standing or (False, False)
        distance = None if lat is None or lng is None else geo.haversine_miles(*origin, lat, lng)
        if within(distance, radius):
            group = 0
        elif (
            telehealth
            and modality in TELEHEALTH_MODALITIES
            and (distance is None or (site_state or "").upper() == state.upper())
        ):
            # Farther telehealth programs in the same state first, then those with no address.
            group = 1 if distance is not None else 2
        else:
            continue
        band = freshness.distance_band(distance)
        ranked.append((group, band, stale, not soon, distance or 0.0, name, pk))
    ranked.sort()
    return [
        (pk, distance if group < 2 else None)
        for group, _band, _stale, _wait, distance, _name, pk in ranked
    ]


# ---- the fit score ---------------------------------------------------------------------------


@dataclass
class Fit:
    """A score and the reasons for it, added up part by part."""

    score: float = 0.0
    fits: list[str] = field(default_factory=list)
    misses: list[str] = field(default_factory=list)

    def add(self, delta: float = 0.0, fit: str | None = None, miss: str | None = None) -> None:
        self.score += delta
        if fit is not None:
            self.fits.append(fit)
        if miss is not None:
            self.misses.append(miss)


def score_record(
    program: ProgramRecord, distance: float | None, radius: int, prefs: Preferences
) -> tuple[float, list[str], list[str]]:
    """(score, fits, misses) for one program against the person's preferences.

    Weights: insurance 3, age group 3, schedule 2, language 2 (1 through an interpreter only),
    each clinical flag 1.5, distance up to 2, taking new patients 1, modality 1, a known wait of
    two weeks or less 0.5 (so it ranks above an otherwise equal program). A listed mismatch
    subtracts about what a match adds; a gap in the listing ("not listed") subtracts nothing but
    is shown as a miss so the person knows to ask. A listing not confirmed lately loses 0.5 and
    says so.
    """
    fit = Fit()
    fit_distance(fit, program, distance, radius)
    fit_payment(fit, program, prefs.insurance)
    fit_age_group(fit, program, prefs.age_group)
    if program.level not in ROUND_THE_CLOCK:
        fit_schedule(fit, program.sessions, prefs.days, prefs.times)
    fit_modality(fit, program, prefs.modality)
    fit_language(fit, program, prefs.language)
    for flag in prefs.flags:
        fit_flag(fit, program, flag)
    fit_accepting(fit, program.accepting_new_patients)
    fit_wait(fit, program)
    fit_freshness(fit, program)
    return round(fit.score, 3), fit.fits, fit.misses


def fit_distance(fit: Fit, program: ProgramRecord, distance: float | None, radius: int) -> None:
    """Nearer is better, up to 2 points at the person's ZIP and none at the radius."""
    if distance is not None:
        fit.add(max(0.0, 2.0 * (1 - distance / max(radius, 1))), fit=wording.miles_away(distance))
    elif not program.has_location and program.offers_telehealth:
        fit.add(fit=_("telehealth from home"))


def fit_payment(fit: Fit, program: ProgramRecord, insurance: str) -> None:
    """+3 when the program lists the person's insurance (or a free/sliding/self-pay option
    for "none"), -3 when it lists payment without it; unlisted payment is a miss only."""
    payments = vocab.payment_codes_for([insurance]) if insurance else set()
    if not payments:
        return
    listed = set(program.payment)
    words = {"insurance": wording.insurance_words(insurance)}
    if not listed:
        fit.add(miss=_("payment options not listed: call to check"))
    elif not listed & payments:
        fit.add(-3, miss=_("does not list %(insurance)s") % words)
    elif insurance == "none":
        found = [str(vocab.label_of("payment", c)) for c in program.payment if c in payments]
        fit.add(3, fit=_("options without insurance: %(options)s") % {"options": ", ".join(found)})
    else:
        fit.add(3, fit=_("accepts %(insurance)s") % words)


def fit_age_group(fit: Fit, program: ProgramRecord, age_group: str) -> None:
    """+3 for a listed age group that includes the person's, -4 for one that does not."""
    if not age_group or not program.age_groups:
        return
    label = str(vocab.label_of("age_groups", age_group))
    if age_group in program.age_groups:
        fit.add(3, fit=_("serves your age group (%(age)s)") % {"age": label})
    else:
        fit.add(-4, miss=_("does not list your age group (%(age)s)") % {"age": label})


def fit_modality(fit: Fit, program: ProgramRecord, wanted: str) -> None:
    """Telehealth asked for: +1 / -1. In person asked for: video-only -1, else +0.5."""
    if wanted == "telehealth":
        if program.offers_telehealth:
            fit.add(1, fit=_("offers telehealth (video)"))
        else:
            fit.add(-1, miss=_("meets in person only"))
    elif wanted == "in_person":
        if program.modality == "telehealth":
            fit.add(-1, miss=_("meets by video only"))
        else:
            fit.add(0.5)
    elif program.offers_telehealth:
        fit.add(fit=_("offers telehealth (video)"))


def speaks(program: ProgramRecord, language: str) -> bool:
    """SAMHSA lists only languages other than English, so an empty list means English."""
    return language in program.languages or (language == "en" and not program.languages)


def fit_language(fit: Fit, program: ProgramRecord, language: str) -> None:
    """+2 for groups in the person's language, +1 for an interpreter only, -2 for neither."""
    if not language:
        return
    label = str(vocab.label_of("languages", language))
    if not speaks(program, language) and language in program.interpreters:
        fit.add(1, fit=wording.interpreter_words(label))
    elif not speaks(program, language):
        fit.add(-2, miss=_("does not list %(language)s") % {"language": label})
    elif language == "en":
        fit.add(2)
    else:
        fit.add(2, fit=wording.groups_in_words(label))


def fit_flag(fit: Fit, program: ProgramRecord, flag: str) -> None:
    """+1.5 when the program offers a therapy or treats a condition that answers the flag."""
    if flag not in FLAG_NEEDS:
        return
    conditions, therapies = FLAG_NEEDS[flag]
    found_therapies = [code for code in therapies if code in program.therapies]
    found_conditions = [code for code in conditions if code in program.conditions]
    if found_therapies:
        words = wording.or_list([wording.therapy_words(c) for c in found_therapies])
        fit.add(1.5, fit=_("offers %(therapies)s") % {"therapies": words})
    elif found_conditions:
        words = wording.condition_words(found_conditions[0])
        fit.add(1.5, fit=_("treats %(condition)s") % {"condition": words})
    elif flag in FLAGS_WITH_MISSES:
        words = wording.condition_words(conditions[0])
        fit.add(miss=_("does not list treatment for %(condition)s") % {"condition": words})


def fit_accepting(fit: Fit, accepting: bool | None) -> None:
    """+1 taking new patients, -2 not taking them, nothing when not stated."""
    if accepting is True:
        fit.add(1, fit=_("taking new patients"))
    elif accepting is False:
        fit.add(-2, miss=_("not taking new patients right now"))


def fit_wait(fit: Fit, program: ProgramRecord) -> None:
    """+0.5 for a known wait of at most two weeks (``freshness.SHORT_WAIT_DAYS``)."""
    if program.wait_days is not None and program.wait_days <= freshness.SHORT_WAIT_DAYS:
        fit.add(0.5, fit=_("can usually start within 2 weeks"))


def fit_freshness(fit: Fit, program: ProgramRecord) -> None:
    """-0.5 for a listing not confirmed lately, shown as a miss."""
    if program.stale:
        fit.add(-0.5, miss=freshness.stale_label(program.last_verified))


# ---- schedule --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Schedule:
    """The days and times the person can go (unknown codes dropped)."""

    days: frozenset[str]
    times: frozenset[str]

    @classmethod
    def of(cls, days: Sequence[str], times: Sequence[str]) -> Schedule:
        return cls(
            frozenset(d for d in days if d in DAY_CODES),
            frozenset(t for t in times if t in TIME_CODES),
        )

    def day_suits(self, session) -> bool:
        return not self.days or DAY_CODES[session.weekday] in self.days

    def time_suits(self, session) -> bool:
        return not self.times or vocab.time_of_day(session.start) in self.times

    def time_words(self) -> str:
        return wording.or_list([wording.time_word(t) for t in TIME_CODES if t in self.times])

    def day_words(self) -> str:
        return "/".join(wording.short_day(d) for d in DAY_CODES if d in self.days)


def fit_schedule(fit: Fit, sessions, days: Sequence[str], times: Sequence[str]) -> None:
    """+2 when a session meets on one of the days at one of the times; -2 when no session
    meets at those times (or on those days) at all, -1.5 when the two never meet together."""
    if not days and not times:
        return
    if not sessions:
        fit.add(miss=_("session times not listed: call to ask"))
        return
    wanted = Schedule.of(days, times)
    matching = [s for s in sessions if wanted.day_suits(s) and wanted.time_suits(s)]
    if matching:
        day_list = "/".join(
            wording.short_day(DAY_CODES[d]) for d in sorted({s.weekday for s in matching})
        )
        if wanted.times:
            words = _("%(time)s sessions %(days)s") % {
                "time": wanted.time_words(),
                "days": day_list,
            }
        else:
            words = _("sessions on %(days)s") % {"days": day_list}
        fit.add(2.0, fit=words)
    elif wanted.times and not any(wanted.time_suits(s) for s in sessions):
        fit.add(-2.0, miss=_("no %(time)s sessions") % {"time": wanted.time_words()})
    elif wanted.days and not any(wanted.day_suits(s) for s in sessions):
        fit.add(-2.0, miss=_("no sessions on %(days)s") % {"days": wanted.day_words()})
    else:
        fit.add(
            -1.5,
            miss=_("no %(time)s sessions on %(days)s")
            % {"time": wanted.time_words(), "days": wanted.day_words()},
        )
