"""How many answers each of three people gives, from the first step to the review page (issue 9
targets: calm <= 25, mildly low <= 35, IOP-level <= 55). Since issue 10 the review page has no
consent tick: the result is shown whether or not the person shares it.

Pure: walks ``instruments.STEPS`` with the gates the server and the page apply (a question is
shown only when its gate is open on the answers so far), so it measures the question set
itself; the browser test measures the same people tapping through the pages.
"""

import pytest

from assessment import instruments, rules
from tests.support.scenarios import LEVELS, SCENARIOS, TARGETS

CONSENT_TICK = 0  # the review page asks nothing (issue 10)


def walk(answers: dict) -> tuple[int, dict[str, int]]:
    """(answers given, answers per step). Fails if the person answers a question that is not
    shown to them, or leaves a required shown question blank."""
    so_far: dict = {}
    per_step: dict[str, int] = {}
    for step in instruments.STEPS:
        if step.id == "review":
            per_step["review"] = CONSENT_TICK
            continue
        own = {
            qid: value
            for qid, value in answers.items()
            if instruments.QUESTIONS_BY_ID[qid].step == step.id
        }
        context = {**so_far, **own}
        given = 0
        for question in instruments.questions_for_step(step.id):
            asked = question.is_asked(context)
            if question.id in own:
                assert asked, f"{question.id} is answered but not shown"
                given += 1
            else:
                assert not (asked and question.required), f"{question.id} is shown, unanswered"
        per_step[step.id] = given
        so_far.update(own)
    return sum(per_step.values()), per_step


def test_every_scenario_answer_is_a_question_and_valid():
    for name, answers in SCENARIOS.items():
        assert set(answers) <= set(instruments.QUESTIONS_BY_ID), name
        instruments.validate_answers(answers)
        for qid, value in answers.items():
            question = instruments.QUESTIONS_BY_ID[qid]
            if question.kind == "text":
                continue
            values = value if isinstance(value, list) else [value]
            assert all(v in question.values for v in values), (name, qid)


@pytest.mark.parametrize("name", list(SCENARIOS))
def test_answer_count_within_target(name):
    count, per_step = walk(SCENARIOS[name])
    assert count <= TARGETS[name], (name, count, per_step)


@pytest.mark.parametrize("name", list(SCENARIOS))
def test_scenario_lands_at_its_level_without_a_crisis(name):
    recommendation = rules.recommend(SCENARIOS[name])
    assert recommendation.level.value == LEVELS[name]
    decision = rules.crisis_decision(SCENARIOS[name])
    assert not decision.panel and not decision.resources
    assert not recommendation.urgent


def test_the_counts():
    """The figures for docs/assessment.md (update both together)."""
    counts = {name: walk(answers)[0] for name, answers in SCENARIOS.items()}
    assert counts == {"CALM": 23, "MILD": 34, "IOP": 48}
    per_step = walk(SCENARIOS["CALM"])[1]
    assert per_step == {
        "now": 9,
        "mood": 1,
        "substances": 3,
        "trauma_eating": 2,
        "daily_life": 4,
        "fit": 4,
        "review": 0,
    }


def test_a_crisis_answer_is_on_the_first_page():
    """Issue 9 §1: a crisis answer is reachable on the first clinical page."""
    now = {q.id for q in instruments.questions_for_step(instruments.RISK_STEP)}
    assert {"cssrs_4", "cssrs_5", "cssrs_6", "harm_others"} <= now
    answers = dict(SCENARIOS["CALM"]) | {"cssrs_2": 1, "cssrs_3": 0, "cssrs_4": 1, "cssrs_5": 0}
    first_page = {qid: v for qid, v in answers.items() if qid in now}
    assert rules.crisis_decision(first_page).panel
