"""programs.search.search_programs and programs.filters.ProgramFilter: every filter, distance
order, telehealth behaviour, bad values, and a fixed number of queries per page."""

import datetime as dt

import pytest

from programs.search import search_programs
from tests.programs.factories import (
    LocationFactory,
    ProgramFactory,
    SessionFactory,
    TelehealthProgramFactory,
    add_sessions,
    evening_iop,
    morning_iop,
)

pytestmark = pytest.mark.django_db


def names(params):
    results = search_programs(params)
    assert results.is_valid, results.errors
    return [hit.program.name for hit in results.hits]


# ---- distance --------------------------------------------------------------------------------


def test_results_are_sorted_by_distance_and_limited_by_radius():
    ProgramFactory(name="Lexington", location__zip_code="40507")  # ~70 mi
    ProgramFactory(name="Louisville", location__zip_code="40202")  # 0 mi
    ProgramFactory(name="Frankfort", location__zip_code="40601")  # ~50 mi
    ProgramFactory(name="Los Angeles", location__zip_code="90001")
    assert names({"zip": "40202", "radius": "100"}) == ["Louisville", "Frankfort", "Lexington"]
    assert names({"zip": "40202", "radius": "60"}) == ["Louisville", "Frankfort"]
    assert names({"zip": "40202"}) == ["Louisville"]  # default radius 25


def test_each_hit_carries_its_distance_in_miles():
    ProgramFactory(name="Lexington", location__zip_code="40507")
    hit = search_programs({"zip": "40202", "radius": "100"}).hits[0]
    assert hit.distance_miles == pytest.approx(70, rel=0.02)


def test_without_a_zip_everything_matches_by_name_with_no_distance():
    ProgramFactory(name="B", location__zip_code="90001")
    ProgramFactory(name="A", location__zip_code="40202")
    TelehealthProgramFactory(name="C")
    results = search_programs({})
    assert [h.program.name for h in results.hits] == ["A", "B", "C"]
    assert {h.distance_miles for h in results.hits} == {None}


def test_inactive_programs_are_never_listed():
    ProgramFactory(name="Closed", is_active=False)
    assert names({}) == []


def test_program_without_coordinates_is_not_in_a_zip_search():
    ProgramFactory(name="No geocode", location__latitude=None, location__longitude=None)
    assert names({"zip": "40202"}) == []
    assert names({}) == ["No geocode"]


# ---- telehealth ------------------------------------------------------------------------------


def test_telehealth_search_adds_same_state_and_addressless_programs_after_near_ones():
    ProgramFactory(name="Near video", modality="both", location__zip_code="40202")
    ProgramFactory(name="Near in person", modality="in_person", location__zip_code="40202")
    ProgramFactory(name="Paducah video", modality="telehealth", location__zip_code="42001")
    ProgramFactory(name="Ohio video", modality="telehealth", location__zip_code="45202")
    TelehealthProgramFactory(name="Online only")
    results = search_programs({"zip": "40202", "telehealth": "1"})
    assert [h.program.name for h in results.hits] == ["Near video", "Paducah video", "Online only"]
    assert results.hits[1].distance_miles > 150
    assert results.hits[2].distance_miles is None


def test_without_telehealth_filter_addressless_programs_are_not_in_a_zip_search():
    TelehealthProgramFactory(name="Online only")
    assert names({"zip": "40202"}) == []
    assert names({"zip": "40202", "telehealth": "0"}) == []


# ---- each filter -----------------------------------------------------------------------------


def test_level_filter_is_case_insensitive():
    ProgramFactory(name="IOP", level="IOP")
    ProgramFactory(name="PHP", level="PHP")
    assert names({"level": "php"}) == ["PHP"]
    assert names({"level": "IOP"}) == ["IOP"]


def test_insurance_or_within_group_and_answers_map_to_payment():
    ProgramFactory(name="Medicaid", payment=["medicaid"])
    ProgramFactory(name="Medicare", payment=["medicare", "private"])
    ProgramFactory(name="Sliding", payment=["sliding_scale"])
    ProgramFactory(name="Free", payment=["free"])
    ProgramFactory(name="Unlisted", payment=[])
    assert names({"insurance": "medicaid"}) == ["Medicaid"]
    assert names({"insurance": ["medicaid", "medicare"]}) == ["Medicaid", "Medicare"]
    assert names({"insurance": "none"}) == ["Free", "Sliding"]
    assert names({"insurance": "sliding_scale"}) == ["Sliding"]
    assert len(names({"insurance": "unsure"})) == 5


def test_therapy_or_within_group():
    ProgramFactory(name="DBT", therapies=["dbt"])
    ProgramFactory(name="EMDR", therapies=["emdr", "cbt"])
    ProgramFactory(name="CBT", therapies=["cbt"])
    assert names({"therapy": "dbt"}) == ["DBT"]
    assert names({"therapy": ["dbt", "emdr"]}) == ["DBT", "EMDR"]


def test_condition_filter():
    ProgramFactory(name="Eating", conditions=["eating_disorders"])
    ProgramFactory(name="Mood", conditions=["depression"])
    assert names({"condition": "eating_disorders"}) == ["Eating"]


def test_age_filter():
    ProgramFactory(name="Teens", age_groups=["teen"])
    ProgramFactory(name="Adults", age_groups=["adult", "older"])
    assert names({"age": "teen"}) == ["Teens"]
    assert names({"age": "older"}) == ["Adults"]


def test_language_filter_and_english_when_no_language_is_listed():
    ProgramFactory(name="Spanish", languages=["en", "es"])
    ProgramFactory(name="Unlisted", languages=[])
    ProgramFactory(name="Vietnamese only", languages=["vi"])
    assert names({"language": "es"}) == ["Spanish"]
    assert names({"language": "en"}) == ["Spanish", "Unlisted"]


def test_telehealth_filter_without_zip():
    ProgramFactory(name="In person", modality="in_person")
    ProgramFactory(name="Both", modality="both")
    TelehealthProgramFactory(name="Video")
    assert names({"telehealth": "1"}) == ["Both", "Video"]
    assert names({"telehealth": "true"}) == ["Both", "Video"]


def test_accepting_filter():
    ProgramFactory(name="Open", accepting_new_patients=True)
    ProgramFactory(name="Full", accepting_new_patients=False)
    ProgramFactory(name="Unknown", accepting_new_patients=None)
    assert names({"accepting": "1"}) == ["Open"]
    assert len(names({"accepting": "0"})) == 3


def test_day_and_time_must_match_in_the_same_session():
    evening_iop(name="Evening Mon/Wed/Thu", days=(0, 2, 3))
    morning_iop(name="Morning weekdays")
    mixed = ProgramFactory(name="Mixed")
    SessionFactory(program=mixed, weekday=0, start=dt.time(9), end=dt.time(12))
    SessionFactory(program=mixed, weekday=5, start=dt.time(18), end=dt.time(20))
    afternoon = ProgramFactory(name="Afternoon")
    add_sessions(afternoon, days=(1,), start=dt.time(13), end=dt.time(16))
    assert names({"time": "evening"}) == ["Evening Mon/Wed/Thu", "Mixed"]
    assert names({"day": "mon", "time": "evening"}) == ["Evening Mon/Wed/Thu"]
    assert names({"day": "sat"}) == ["Mixed"]
    assert names({"day": ["tue", "sat"], "time": "afternoon"}) == ["Afternoon"]
    assert names({"time": ["morning", "afternoon"], "day": "tue"}) == [
        "Afternoon",
        "Morning weekdays",
    ]


def test_session_at_five_pm_is_evening_and_at_noon_is_afternoon():
    program = ProgramFactory(name="Five")
    SessionFactory(program=program, weekday=0, start=dt.time(17), end=dt.time(20))
    noon = ProgramFactory(name="Noon")
    SessionFactory(program=noon, weekday=0, start=dt.time(12), end=dt.time(14))
    assert names({"time": "evening"}) == ["Five"]
    assert names({"time": "afternoon"}) == ["Noon"]


def test_filters_combine():
    evening_iop(name="Match", payment=["medicaid"], zip_code="40202")
    evening_iop(name="Wrong insurance", payment=["private"], zip_code="40202")
    evening_iop(name="Too far", payment=["medicaid"], zip_code="90001")
    morning_iop(name="Mornings", payment=["medicaid"])
    ProgramFactory(name="PHP", level="PHP", payment=["medicaid"])
    params = {"zip": "40202", "level": "IOP", "insurance": "medicaid", "time": "evening"}
    assert names(params) == ["Match"]


# ---- bad values ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("params", "field", "words"),
    [
        ({"zip": "00000"}, "zip", "00000"),
        ({"zip": "4020"}, "zip", "5-digit"),
        ({"zip": "40202", "radius": "abc"}, "radius", "whole number"),
        ({"zip": "40202", "radius": "0"}, "radius", "at least"),
        ({"zip": "40202", "radius": "9000"}, "radius", "500"),
        ({"level": "XYZ"}, "level", "XYZ"),
        ({"level": "EMERGENCY"}, "level", "988"),
        ({"day": "funday"}, "day", "funday"),
        ({"time": "midnight"}, "time", "midnight"),
        ({"insurance": "gold"}, "insurance", "gold"),
        ({"therapy": "magic"}, "therapy", "magic"),
        ({"condition": "x"}, "condition", "x"),
        ({"age": "baby"}, "age", "baby"),
        ({"language": "klingon"}, "language", "klingon"),
        ({"telehealth": "maybe"}, "telehealth", "maybe"),
        ({"accepting": "perhaps"}, "accepting", "perhaps"),
    ],
)
def test_bad_value_is_an_error_naming_the_parameter_and_gives_no_results(params, field, words):
    ProgramFactory()
    results = search_programs(params)
    assert not results.is_valid
    assert results.hits == [] and results.page is None and results.count == 0
    assert list(results.errors) == [field]
    assert words in results.errors[field][0]


def test_radius_without_zip_is_still_validated_but_otherwise_ignored():
    ProgramFactory(name="Far", location__zip_code="90001")
    assert not search_programs({"radius": "abc"}).is_valid
    assert names({"radius": "5"}) == ["Far"]


# ---- pagination and query counts -------------------------------------------------------------


def test_pages_of_twenty_nearest_first():
    for index in range(25):
        ProgramFactory(name=f"P{index:02d}", location__zip_code="40202")
    ProgramFactory(name="Farther", location__zip_code="40601")
    first = search_programs({"zip": "40202", "radius": "100"}, 1)
    last = search_programs({"zip": "40202", "radius": "100"}, 2)
    assert first.count == 26 and len(first.hits) == 20
    assert [h.program.name for h in last.hits][-1] == "Farther"
    assert search_programs({"zip": "40202", "radius": "100"}, "nonsense").page.number == 1


def _make_matching(count):
    for _index in range(count):
        program = ProgramFactory(location__zip_code="40202", payment=["medicaid"])
        add_sessions(program, days=(0, 2, 3))


@pytest.mark.parametrize("count", [5, 50])
@pytest.mark.parametrize(
    "params",
    [
        {"zip": "40202", "radius": "50", "insurance": "medicaid", "time": "evening"},
        {"level": "IOP", "day": "mon"},
    ],
    ids=["with-zip", "without-zip"],
)
def test_a_page_costs_three_queries_however_many_programs_match(
    count, params, django_assert_num_queries
):
    _make_matching(count)
    with django_assert_num_queries(3):
        results = search_programs(params)
        for hit in results.hits:  # what the page shows: provider, location, sessions
            assert hit.program.provider.name and hit.program.location.city
            assert len(hit.program.sessions.all()) == 3
    assert results.count == count


def test_sessions_filter_and_location_join_do_not_duplicate_rows():
    program = ProgramFactory(name="One")
    add_sessions(program, days=(0, 1, 2, 3, 4))
    assert names({"time": "evening"}) == ["One"]
    assert names({"zip": "40202", "day": ["mon", "tue"]}) == ["One"]
    assert LocationFactory()  # a location without programs is not a result
    assert names({"zip": "40202"}) == ["One"]
