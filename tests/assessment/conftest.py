"""Shared helpers for the assessment web tests: answers per step, as a browser would post them.

``step_post(step_id, **overrides)`` gives the form data of one step: every question that would
be shown gets its least severe answer (ZIP 40202 and sensible preferences on "About you"), and
``overrides`` replace single answers (``None`` leaves a question blank). ``run_journey`` posts
every step in order through Django's test client.
"""

from __future__ import annotations

import pytest
from django.core.cache import cache

from assessment import instruments

STEP_IDS = [step.id for step in instruments.STEPS]

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


def step_post(step_id: str, **overrides) -> dict:
    data: dict = {}
    for question in instruments.questions_for_step(step_id):
        if question.id in ABOUT:
            value = ABOUT[question.id]
        elif question.kind == "multi":
            value = []
        elif question.kind == "text":
            value = ""
        elif question.ask_if is not None:
            value = None  # follow-up questions left blank unless overridden
        else:
            value = question.options[0][0]
        if question.id in overrides:
            value = overrides[question.id]
        if value is None:
            continue
        data[question.id] = [str(v) for v in value] if isinstance(value, list) else str(value)
    if step_id == "review":
        data["consent_to_store"] = "on"
    for key, value in overrides.items():
        if key not in data and value is not None and key not in instruments.QUESTIONS_BY_ID:
            data[key] = value
    data.setdefault("action", "next")
    return data


def step_url(step_id: str) -> str:
    return f"/assessment/step/{step_id}/"


def run_journey(client, answers: dict | None = None, until: str | None = None):
    """Post every step in order (up to and including ``until``); returns the last response."""
    answers = answers or {}
    client.get("/assessment/")
    response = None
    for step_id in STEP_IDS:
        own = {
            key: value
            for key, value in answers.items()
            if key in instruments.QUESTIONS_BY_ID
            and instruments.QUESTIONS_BY_ID[key].step == step_id
        }
        response = client.post(step_url(step_id), step_post(step_id, **own))
        assert response.status_code in (200, 302), (step_id, response.status_code)
        if until == step_id:
            break
    return response


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    """Rate-limit counters live in the cache: every test starts with none."""
    cache.clear()
    yield
    cache.clear()


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
