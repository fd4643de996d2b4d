"""Shared data for the assessment tests: the "fit to your life" answers (``ABOUT``), a moderate
profile, complete answer sets as stored, and a fixture that stores a Submission through the
service. Walking the wizard as a browser does lives in ``tests/support/wizard_walk.py``.
"""

from __future__ import annotations

import pytest

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


@pytest.fixture
def moderate_answers():
    return dict(MODERATE)


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


@pytest.fixture
def make_submission(db):
    """Store a Submission through the service, as the wizard does."""
    import secrets

    from assessment import services

    def make(**overrides):
        submission, _created = services.create_submission(
            secrets.token_urlsafe(16), complete_answers(**overrides), consent_to_store=True
        )
        return submission

    return make
