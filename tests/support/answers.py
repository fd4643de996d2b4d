"""Answer sets for the assessment tests, as stored (question id -> value): the "fit to your
life" preferences (``ABOUT``), a moderate IOP-type profile (``MODERATE``) and
:func:`complete_answers`. The assessment's fixtures (``tests/assessment/conftest.py``) and the
wizard walk (``tests/support/wizard_walk.py``) use them.
"""

from __future__ import annotations

from assessment import instruments

ABOUT = {
    "age_group": "adult",
    "zip_code": "40202",
    "respondent": "self",
    "modality": "in_person",
    "days": ["mon", "wed"],
    "times": ["evening"],
    "hours_available": "9to19",
    "language": "en",
    "insurance": "medicaid",
}

#: A person with moderate depression and anxiety, no suicide risk: an IOP-type profile.
MODERATE = {
    **{f"phq9_{n}": 2 for n in range(1, 10)},
    "phq9_9": 0,
    "phq9_difficulty": 2,
    **{f"gad7_{n}": 2 for n in range(1, 8)},
    "daily_functioning": 2,
}


def complete_answers(**overrides) -> dict:
    """A complete, valid set of answers (as stored): least severe clinical answers, the ABOUT
    preferences; questions behind a closed gate left out, those behind an open gate (opened by
    ``overrides``) answered with their least severe value."""
    answers: dict = {}
    for question in instruments.QUESTIONS:  # display order: a gate comes before what it opens
        if question.id in overrides:
            answers[question.id] = overrides[question.id]
        elif question.id in ABOUT:
            answers[question.id] = ABOUT[question.id]
        elif question.kind == "choice" and question.is_asked({**answers, **overrides}):
            answers[question.id] = question.options[0][0]
    answers.update(overrides)
    return answers
