"""Scores and rules are the same in both languages (issue 10): the same answers, sent through
the wizard once in English and once in Spanish, store the same Recommendation."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from assessment.models import Submission
from tests.support.answers import MODERATE
from tests.support.scenarios import LEVELS, SCENARIOS
from tests.support.spanish import SpanishClient
from tests.support.wizard_walk import own_answers, post_data

pytestmark = pytest.mark.django_db

STEP = re.compile(r"^(?P<prefix>/es)?/assessment/step/(?P<step>[\w-]+)/")
#: The most severe answers to the suicide questions: the crisis panel, an EMERGENCY result.
CRISIS = {"phq9_9": 3, "cssrs_1": 1, "cssrs_2": 1, "cssrs_3": 1, "cssrs_4": 1, "cssrs_5": 1}
PEOPLE = {**SCENARIOS, "MODERATE": MODERATE, "CRISIS": CRISIS}
EXPECTED = {**LEVELS, "CRISIS": "EMERGENCY"}
COMPARED = ("level", "urgent", "scores", "dimensions", "rules_fired", "reasons", "flags")


def send(client, answers: dict, prefix: str) -> Submission:
    """Answer every step the wizard shows in this client's language; the stored Submission."""
    location = client.get(f"{prefix}/assessment/")["Location"]
    for _ in range(40):
        assert location.startswith(f"{prefix}/"), f"left the language: {location}"
        if "/assessment/r/" in location:
            token = location.rstrip("/").rsplit("/", 1)[-1]
            return Submission.objects.get(token=token)
        if location.endswith("/assessment/reach-out/"):
            panel = client.get(location).content.decode()
            onward = re.findall(r'href="((?:/es)?/assessment/step/[^"]+)"', panel)
            assert onward, "the crisis panel has no way onward"
            location = onward[-1]
            continue
        step_id = STEP.match(location).group("step")
        data = post_data(client, step_id, **own_answers(step_id, answers))
        response = client.post(location, data)
        assert response.status_code == 302, (step_id, response.content.decode()[:1500])
        location = response["Location"]
    raise AssertionError("the walk did not end")


@pytest.mark.parametrize("person", sorted(PEOPLE))
def test_the_same_answers_give_the_same_recommendation_in_english_and_spanish(person):
    from tests.support.pages import make_directory

    make_directory()
    english = send(Client(), PEOPLE[person], prefix="")
    spanish = send(SpanishClient(), PEOPLE[person], prefix="/es")
    assert english.pk != spanish.pk
    if person in EXPECTED:
        assert english.level == EXPECTED[person]
    assert english.answers == spanish.answers
    for name in COMPARED:
        assert getattr(english, name) == getattr(spanish, name), name
    # Staff read the stored texts in English whatever language the person used.
    assert all(reason.isascii() for reason in spanish.reasons), spanish.reasons
