"""programs.search.ranking: the matching decisions over plain records, without a database.

No ``django_db`` mark: pytest-django refuses any query here, so these tests prove the ranking
is pure.
"""

import datetime as dt

import pytest

from programs.levels import LevelOfCare
from programs.search import ranking
from programs.search.ranking import (
    EXACT,
    FARTHER,
    OTHER_MODALITY,
    STEP_DOWN_GROUP,
    STEP_UP_GROUP,
    Candidate,
    Preferences,
    ProgramRecord,
    Reach,
    SessionTime,
)


def candidate(level=LevelOfCare.IOP, modality="in_person", distance=5.0, **kw):
    values = {
        "pk": 1,
        "level": level,
        "modality": modality,
        "name": "A",
        "distance": distance,
        "has_coordinates": distance is not None,
        "same_state": True,
    }
    values.update(kw)
    return Candidate(**values)


IOP_25 = Reach(LevelOfCare.IOP, 25, has_place=True)


@pytest.mark.parametrize(
    ("row", "reach", "group"),
    [
        (candidate(distance=5.0), IOP_25, EXACT),
        (candidate(distance=60.0), IOP_25, FARTHER),
        (candidate(level=LevelOfCare.PHP, distance=5.0), IOP_25, STEP_UP_GROUP),
        (candidate(level=LevelOfCare.OP, distance=5.0), IOP_25, STEP_DOWN_GROUP),
        (candidate(level=LevelOfCare.PHP, distance=60.0), IOP_25, None),
        # In person near, but the person can only take part by video.
        (
            candidate(distance=5.0),
            Reach(LevelOfCare.IOP, 25, has_place=True, modality="telehealth"),
            OTHER_MODALITY,
        ),
        # Telehealth with no address is joinable from anywhere.
        (candidate(modality="telehealth", distance=None), IOP_25, EXACT),
        # Telehealth far away in another state is not.
        (candidate(modality="telehealth", distance=300.0, same_state=False), IOP_25, None),
        # Never below 24-hour care.
        (
            candidate(level=LevelOfCare.PHP, distance=1.0),
            Reach(LevelOfCare.INPATIENT, 25, has_place=True),
            None,
        ),
        (
            candidate(level=LevelOfCare.RESIDENTIAL, distance=1.0),
            Reach(LevelOfCare.INPATIENT, 25, has_place=True),
            EXACT,
        ),
        # Without a ZIP every in-person program at the level counts.
        (candidate(distance=None), Reach(LevelOfCare.IOP, 25, has_place=False), EXACT),
    ],
)
def test_reach_group_decides_how_a_candidate_is_offered(row, reach, group):
    assert ranking.reach_group(row, reach) == group


def test_choose_candidates_keeps_only_reachable_exact_programs_when_there_are_any():
    rows = [
        candidate(pk=1, distance=8.0, name="Far"),
        candidate(pk=2, distance=2.0, name="Near"),
        candidate(pk=3, level=LevelOfCare.PHP, distance=1.0),
    ]
    assert ranking.choose_candidates(rows, IOP_25) == {2: EXACT, 1: EXACT}


def test_choose_candidates_offers_alternatives_in_order_when_nothing_exact_is_reachable():
    rows = [
        candidate(pk=1, level=LevelOfCare.OP, distance=1.0),
        candidate(pk=2, distance=40.0),
        candidate(pk=3, level=LevelOfCare.PHP, distance=3.0),
    ]
    assert list(ranking.choose_candidates(rows, IOP_25).items()) == [
        (3, STEP_UP_GROUP),
        (2, FARTHER),
        (1, STEP_DOWN_GROUP),
    ]


def test_farther_radius_is_three_times_at_most_250_miles():
    assert [ranking.farther_radius(r) for r in (10, 100, 400)] == [30, 250, 400]


EVENING_MON = SessionTime(0, dt.time(18, 0))
MORNING_TUE = SessionTime(1, dt.time(9, 0))


def record(**kw):
    values = {"level": LevelOfCare.IOP, "modality": "in_person"}
    values.update(kw)
    return ProgramRecord(**values)


def test_score_record_adds_each_listed_fit_with_its_weight_and_reason():
    program = record(
        payment=("medicaid",),
        age_groups=("adult",),
        languages=("es",),
        therapies=("mat",),
        accepting_new_patients=True,
        sessions=(EVENING_MON,),
    )
    prefs = Preferences(
        insurance="medicaid",
        age_group="adult",
        days=("mon",),
        times=("evening",),
        language="es",
        modality="in_person",
        flags=("opioid_use",),
    )
    score, fits, misses = ranking.score_record(program, 0.0, 25, prefs)
    # distance 2 + insurance 3 + age 3 + schedule 2 + in person 0.5 + language 2 + flag 1.5
    # + taking new patients 1
    assert score == 15.0
    assert fits == [
        "less than a mile away",
        "accepts Medicaid",
        "serves your age group (Adult (18 to 64))",
        "evening sessions Mon",
        "groups in Spanish",
        "offers medication for addiction treatment",
        "taking new patients",
    ]
    assert misses == []


def test_score_record_subtracts_listed_mismatches_and_names_gaps():
    program = record(
        modality="telehealth",
        payment=("private",),
        age_groups=("teen",),
        accepting_new_patients=False,
        sessions=(MORNING_TUE,),
    )
    prefs = Preferences(
        insurance="medicaid",
        age_group="adult",
        times=("evening",),
        modality="in_person",
        flags=("trauma",),
    )
    score, fits, misses = ranking.score_record(program, None, 25, prefs)
    assert score == -3 - 4 - 2 - 1 - 2
    assert misses == [
        "does not list Medicaid",
        "does not list your age group (Adult (18 to 64))",
        "no evening sessions",
        "meets by video only",
        "does not list treatment for trauma and PTSD",
        "not taking new patients right now",
    ]
    assert fits == []


def test_a_24_hour_program_is_not_scored_on_session_times():
    program = record(level=LevelOfCare.RESIDENTIAL)
    score, fits, misses = ranking.score_record(
        program, None, 25, Preferences(days=("mon",), times=("evening",))
    )
    assert (score, fits, misses) == (0.0, [], [])


@pytest.mark.parametrize(
    ("days", "times", "delta", "miss"),
    [
        ((), ("afternoon",), -2.0, "no afternoon sessions"),
        (("fri",), (), -2.0, "no sessions on Fri"),
        (("tue",), ("evening",), -1.5, "no evening sessions on Tue"),
    ],
)
def test_schedule_fit_says_what_is_missing(days, times, delta, miss):
    fit = ranking.Fit()
    ranking.fit_schedule(fit, (EVENING_MON, MORNING_TUE), days, times)
    assert (fit.score, fit.fits, fit.misses) == (delta, [], [miss])


def test_match_order_puts_the_flagged_program_first_within_a_group_then_score():
    wanted = LevelOfCare.IOP
    keys = {
        "flagged": ranking.match_order(EXACT, "IOP", "B", 1.0, 9.0, wanted, True),
        "best score": ranking.match_order(EXACT, "IOP", "A", 5.0, 1.0, wanted, False),
        "alternative": ranking.match_order(STEP_UP_GROUP, "PHP", "C", 9.0, 0.5, wanted, True),
    }
    assert sorted(keys, key=keys.get) == ["flagged", "best score", "alternative"]


def test_search_order_lists_near_programs_then_video_programs_of_the_state_then_no_address():
    origin = (38.2527, -85.7585)  # Louisville, KY
    rows = [
        ("far-ky-video", "B", "telehealth", 37.0, -88.0, "KY"),  # about 150 miles
        ("near", "C", "in_person", 38.26, -85.76, "KY"),
        ("no-address", "A", "telehealth", None, None, None),
        ("far-oh-video", "D", "both", 39.96, -82.99, "OH"),
        ("nearer", "Z", "in_person", 38.2527, -85.7585, "KY"),
    ]
    ordered = ranking.search_order(rows, origin, 25, "KY", telehealth=True)
    assert [pk for pk, _distance in ordered] == ["nearer", "near", "far-ky-video", "no-address"]
    assert ordered[-1][1] is None
    assert [pk for pk, _d in ranking.search_order(rows, origin, 25, "KY", False)] == [
        "nearer",
        "near",
    ]
