"""The freshness rules without a database: stale at and around the setting, known waits, the
"can start within 2 weeks" boundary, distance bands, diffs, report flags, session text."""

import datetime as dt

import pytest
from django.test import override_settings

from programs import freshness
from programs.search import ranking
from programs.search.wording import language_notes

TODAY = dt.date(2026, 11, 30)


@pytest.mark.parametrize(
    ("days_ago", "stale"), [(0, False), (179, False), (180, False), (181, True), (900, True)]
)
def test_a_listing_is_stale_after_180_days(days_ago, stale):
    assert freshness.is_stale(TODAY - dt.timedelta(days=days_ago), TODAY) is stale


def test_never_confirmed_is_stale_and_the_setting_moves_the_line():
    assert freshness.is_stale(None, TODAY)
    with override_settings(LISTING_STALE_DAYS=30):
        assert freshness.is_stale(TODAY - dt.timedelta(days=31), TODAY)
        assert not freshness.is_stale(TODAY - dt.timedelta(days=30), TODAY)


def test_stale_label_names_the_month():
    assert freshness.stale_label(dt.date(2026, 3, 14)) == (
        "Not confirmed since March 2026: call to check"
    )
    assert freshness.stale_label(None) == "Not confirmed with the program: call to check"


@pytest.mark.parametrize(
    ("next_intake", "wait_days", "known", "soon"),
    [
        (None, None, None, False),
        (None, 14, 14, True),
        (None, 15, 15, False),
        (TODAY + dt.timedelta(days=14), None, 14, True),
        (TODAY + dt.timedelta(days=15), 3, 15, False),  # a set intake date wins
        (TODAY - dt.timedelta(days=1), 5, 5, True),  # a past intake date is ignored
        (TODAY, None, 0, True),
    ],
)
def test_known_wait_and_can_start_within_two_weeks(next_intake, wait_days, known, soon):
    assert freshness.known_wait_days(next_intake, wait_days, TODAY) == known
    assert freshness.starts_soon(next_intake, wait_days, TODAY) is soon


def test_wait_text():
    assert freshness.wait_text(None, 10, TODAY) == "Typical wait: about 10 days"
    assert freshness.wait_text(None, 1, TODAY) == "Typical wait: about 1 day"
    assert freshness.wait_text(dt.date(2026, 12, 7), 10, TODAY) == "Next intake: December 7"
    assert freshness.wait_text(TODAY, None, TODAY) == "Next intake: today"
    assert freshness.wait_text(None, None, TODAY) == ""


@pytest.mark.parametrize(
    ("miles", "band"), [(0.0, 0), (5.0, 0), (5.1, 1), (25.0, 2), (26, 3), (251, 6), (None, 7)]
)
def test_distance_bands(miles, band):
    assert freshness.distance_band(miles) == band


def test_diff_lists_only_changed_fields():
    before = {"payment": ["medicaid", "private"], "wait_days": None, "insurers": ""}
    after = {"payment": ["private", "medicaid"], "wait_days": 7, "insurers": None}
    assert freshness.diff(before, after) == {"wait_days": [None, 7]}


def test_three_open_reports_of_one_kind_flag_the_listing():
    assert freshness.flagged_kind({"wrong_phone": 2, "closed": 2}) == ""
    assert freshness.flagged_kind({"wrong_phone": 3, "closed": 1}) == "wrong_phone"


def test_session_text_round_trip_and_errors():
    lines, errors = freshness.parse_schedule("Mon 18:00-21:00 Evening track\nwed 9:00-12:00\n\n")
    assert errors == []
    assert freshness.schedule_text(lines) == "Mon 18:00-21:00 Evening track\nWed 09:00-12:00"
    lines, errors = freshness.parse_schedule("Funday 18:00-21:00\nTue 21:00-18:00")
    assert lines == [] and len(errors) == 2
    assert errors[0].startswith("Line 1 (“Funday 18:00-21:00”)")


def test_search_order_puts_fresh_before_stale_within_a_band_only():
    origin = (38.25, -85.75)
    # (pk, name, modality, lat, lng, state, stale, starts_soon)
    rows = [
        (1, "Near stale", "in_person", 38.251, -85.751, "KY", True, False),
        (2, "Near fresh", "in_person", 38.27, -85.76, "KY", False, False),
        (3, "Near fresh short wait", "in_person", 38.28, -85.77, "KY", False, True),
        (4, "Far fresh", "in_person", 38.45, -85.75, "KY", False, True),  # ~14 miles
    ]
    ordered = [pk for pk, _d in ranking.search_order(rows, origin, 25, "KY", False)]
    assert ordered == [3, 2, 1, 4]


def _record(**values):
    return ranking.ProgramRecord(level=ranking.LevelOfCare.IOP, modality="in_person", **values)


def test_a_known_short_wait_ranks_above_an_otherwise_equal_program_and_stale_below():
    prefs = ranking.Preferences(language="es")
    plain = ranking.score_record(_record(languages=("es",)), 2.0, 25, prefs)
    short = ranking.score_record(_record(languages=("es",), wait_days=10), 2.0, 25, prefs)
    stale = ranking.score_record(
        _record(languages=("es",), stale=True, last_verified=dt.date(2026, 3, 1)), 2.0, 25, prefs
    )
    assert short[0] > plain[0] > stale[0]
    assert "can usually start within 2 weeks" in short[1]
    assert "Not confirmed since March 2026: call to check" in stale[2]


def test_groups_in_a_language_fit_better_than_an_interpreter_only():
    prefs = ranking.Preferences(language="es")
    groups = ranking.score_record(_record(languages=("es",)), None, 25, prefs)
    interpreter = ranking.score_record(_record(interpreters=("es",)), None, 25, prefs)
    neither = ranking.score_record(_record(languages=("ar",)), None, 25, prefs)
    assert groups[0] > interpreter[0] > neither[0]
    assert "groups in Spanish" in groups[1]
    assert "Spanish through an interpreter only" in interpreter[1]


def test_language_notes_say_groups_or_interpreter():
    assert language_notes(["en", "es"], ["ar", "es"]) == [
        "Groups in Spanish",
        "Arabic through an interpreter only",
    ]


def test_language_names_inside_a_sentence_follow_the_language():
    from programs.search.wording import in_sentence

    assert in_sentence("Español", "es") == "español"
    assert in_sentence("Spanish", "en") == "Spanish"
    assert in_sentence("Lengua de señas americana", "es-mx") == "lengua de señas americana"
