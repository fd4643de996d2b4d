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
    assert phq9.total == 18 and phq9.band_label and phq9.status == "complete"
    # Rows in item order (item 9 is asked on the first page, but listed ninth for staff).
    assert [row.id for row in phq9.rows] == [f"phq9_{n}" for n in range(1, 10)]
    assert str(phq9.rows[8].text) == str(instruments.QUESTIONS_BY_ID["phq9_9"].text)


def test_string_values_and_lists_are_read_too():
    answers = {"phq9_1": "3", "days": ["mon", "fri"], "zip_code": "10001"}
    rows = {row.id: row for row in readable.instrument_sections(answers, {})[0].rows}
    assert rows["phq9_1"].answer == "Nearly every day" and rows["phq9_1"].severe
    groups = {g.id: {r.id: r for r in g.rows} for g in readable.other_answers(answers)}
    assert groups["fit"]["days"].answer == "Monday, Friday"
    assert groups["fit"]["zip_code"].answer == "10001"


def test_unanswered_and_skipped_questions_say_so():
    answers = {"drug_screen": 0}
    rows = {r.id: r for s in readable.instrument_sections(answers, {}) for r in s.rows}
    assert rows["dast10_4"].answer == readable.NOT_ASKED  # asked only after any drug use
    assert rows["phq9_1"].answer == readable.NO_ANSWER


def _calm_answers():
    from tests.support.scenarios import CALM

    return dict(CALM)


def test_skipped_instruments_say_which_screen_its_score_and_why():
    answers = _calm_answers() | {"phq9_1": 1}
    sections = {s.id: s for s in readable.instrument_sections(answers, scores_for(answers))}
    phq9 = sections["phq9"]
    assert phq9.status == "screened_negative" and phq9.skipped and phq9.total is None
    note = str(phq9.note)
    assert "PHQ-2" in note and "score 1 of 6" in note and "Levis" in note
    assert sections["gad7"].skipped and "GAD-2" in str(sections["gad7"].note)
    assert sections["dast10"].skipped and "Smith" in str(sections["dast10"].note)
    assert sections["scoff"].skipped and sections["pcptsd5"].skipped
    assert sections["auditc"].status == "complete"  # "Never" scores 0: the published skip
    rows = {r.id: r for r in phq9.rows}
    assert rows["phq9_5"].answer == readable.NOT_ASKED


def test_incomplete_instruments_are_not_called_negative():
    answers = _calm_answers() | {
        "drug_screen": 1,
        **{f"dast10_{n}": 0 for n in range(1, 11)},
        "dast10_2": "declined",
        "dast10_5": "declined",
        "opioids": 0,
        "overdose": 0,
    }
    sections = {s.id: s for s in readable.instrument_sections(answers, scores_for(answers))}
    dast = sections["dast10"]
    assert dast.status == "incomplete" and dast.total is None
    assert "Not a negative screen" in str(dast.note)
    rows = {r.id: r for r in dast.rows}
    assert rows["dast10_2"].answer == "Prefer not to say"


def test_a_submission_from_before_the_gates_is_not_called_skipped():
    answers = make_answers(0)  # every PHQ-9 item answered "Not at all"
    answers.pop("drug_screen", None)
    stored = {"phq9": {"total": 0, "max_total": 27, "band": "minimal", "positive": False}}
    phq9 = readable.instrument_sections(answers, stored)[0]
    assert phq9.status == "complete" and phq9.total == 0 and not phq9.note


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


def test_the_staff_template_shows_skipped_and_incomplete_instruments():
    from django.template.loader import render_to_string

    answers = _calm_answers() | {"drug_screen": "declined"}
    submission = SimpleNamespace(
        answers=answers,
        scores=scores_for(answers),
        dimensions={},
        reasons=[],
        flags=[],
        matched_programs=[],
        level="OP",
        age_group="adult",
        zip_code="40202",
        insurance="private",
        modality="both",
        days=[],
        times=[],
        hours_available="",
        language="",
    )
    original = SimpleNamespace(
        token="abcdefgh12345", pk=7, ruleset_version="x", rules_fired=[], urgent_notice_sent_at=None
    )
    html = render_to_string(
        "admissions/submission/answers.html",
        {"report": readable.report(submission), "original": original},
    )
    assert "Not scored in full" in html
    assert "Skipped: screened negative on the PHQ-2 (score 0 of 6)" in html
    assert "PHQ-9 · skipped" in html and "DAST-10 · incomplete" in html
    assert "Not a negative screen" in html
    assert "style=" not in html
