"""Issue 10: "What happens at the first visit" per level, plain language, reading grade <= 8
(Flesch-Kincaid, measured by ``assessment.readability.grade``)."""

from __future__ import annotations

import pytest

from assessment import first_visit, readability
from programs.levels import RECOMMENDABLE_LEVELS, LevelOfCare

MAX_GRADE = 8.0


@pytest.mark.parametrize("level", list(RECOMMENDABLE_LEVELS))
def test_every_level_has_the_four_parts_at_grade_8_or_lower(level):
    visit = first_visit.for_level(level)
    assert visit is not None
    assert [str(title) for title, _body in visit.parts()] == [
        "The first call",
        "What to bring",
        "How long it takes",
        "What it may cost",
    ]
    assert readability.grade(visit.text()) <= MAX_GRADE
    for _title, body in visit.parts():
        assert readability.grade(str(body)) <= MAX_GRADE, body


def test_the_grade_formula_on_known_texts():
    # 1 sentence, 6 words, 6 syllables: 0.39 * 6 + 11.8 * 1 - 15.59
    assert readability.grade("The cat sat on the mat.") == pytest.approx(-1.45)
    hard = (
        "Comprehensive multidisciplinary psychiatric rehabilitation necessitates "
        "individualized therapeutic interventions, continuously reevaluated."
    )
    assert readability.grade(hard) > 16
    assert readability.grade("") == 0.0


@pytest.mark.parametrize(
    ("word", "count"),
    [
        ("care", 1),
        ("takes", 1),
        ("asked", 1),
        ("program", 2),
        ("insurance", 3),
        ("emergency", 4),
        ("medicines", 3),
        ("table", 2),
        ("needed", 2),
        ("988", 1),
    ],
)
def test_syllables(word, count):
    assert readability.syllables(word) == count


@pytest.mark.django_db
def test_the_result_page_shows_the_first_visit_for_its_level(client, make_submission):
    submission = make_submission()
    html = client.get(submission.get_absolute_url()).content.decode()
    visit = first_visit.for_level(LevelOfCare(submission.level))
    assert "What happens at the first visit" in html
    assert str(visit.how_long).replace("'", "&#x27;") in html
