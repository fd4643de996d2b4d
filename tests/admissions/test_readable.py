"""Submissions in words, without a database."""

from types import SimpleNamespace

from admissions import readable
from assessment import instruments
from tests.admissions.factories import make_answers, scores_for


def test_answers_are_shown_as_option_labels_not_values():
    answers = make_answers(2)
    sections = {s.id: s for s in readable.instrument_sections(answers, scores_for(answers))}
    phq9 = sections["phq9"]
    assert [row.answer for row in phq9.rows] == ["More than half the days"] * 9
    assert phq9.total == 18 and phq9.band_label
    assert str(phq9.rows[8].text) == str(instruments.QUESTIONS_BY_ID["phq9_9"].text)


def test_string_values_and_lists_are_read_too():
    answers = {"phq9_1": "3", "days": ["mon", "fri"], "zip_code": "10001"}
    rows = {row.id: row for row in readable.instrument_sections(answers, {})[0].rows}
    assert rows["phq9_1"].answer == "Nearly every day" and rows["phq9_1"].severe
    groups = {g.id: {r.id: r for r in g.rows} for g in readable.other_answers(answers)}
    assert groups["about"]["days"].answer == "Monday, Friday"
    assert groups["about"]["zip_code"].answer == "10001"


def test_unanswered_and_skipped_questions_say_so():
    answers = {"dast10_1": 0}
    rows = {r.id: r for s in readable.instrument_sections(answers, {}) for r in s.rows}
    assert rows["dast10_4"].answer == readable.NOT_ASKED  # asked only after a "yes" to item 1
    assert rows["phq9_1"].answer == readable.NO_ANSWER


def test_retired_questions_are_kept_and_shown():
    groups = readable.other_answers({"old_question": 2})
    assert groups[-1].id == "retired" and groups[-1].rows[0].answer == "2"


def test_dimensions_in_words_and_reasons_and_flags_as_text():
    rows = readable.dimension_rows({"risk_of_harm": 5, "functional_status": 1})
    by_key = {row["key"]: row for row in rows}
    assert len(rows) == 6
    assert by_key["risk_of_harm"]["high"] and str(by_key["risk_of_harm"]["anchor"])
    assert by_key["engagement"]["rating"] is None
    assert readable.texts(["a", {"code": "x", "text": "b"}, {"code": "c"}]) == ["a", "b", "c"]


def test_matched_programs_link_to_the_program_page():
    rows = readable.matched_programs(
        [{"name": "Day PHP", "slug": "day-php", "level": "PHP", "distance_miles": 4.26}]
    )
    assert rows[0]["url"] == "/programs/day-php/"
    assert rows[0]["distance"] == 4.3
    assert "Partial hospitalization" in str(rows[0]["level"])


def test_preferences_in_words():
    submission = SimpleNamespace(
        age_group="teen",
        zip_code="",
        insurance="private",
        modality="telehealth",
        days=["sat"],
        times=[],
        hours_available="3to8",
        language="es",
    )
    words = {str(label): str(value) for label, value in readable.preferences(submission)}
    assert words["Insurance"].startswith("Private insurance")
    assert words["Days they can attend"] == "Saturday"
    assert words["Times they can attend"] == "—"
    assert words["Language"] == "Spanish"
