"""The wizard as a state machine, without HTTP: ``Wizard(session).post(step, data)`` and
``.get(step)`` give an Outcome. Every crisis path, Back, stale and second-tab posts, replays,
return to review, skipped steps, and what is kept in the session."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.utils.datastructures import MultiValueDict

from assessment import forms, instruments, rules, wizard
from assessment.wizard import REVIEW, RISK_STEP, STEP_IDS, Kind, Wizard
from tests.support.wizard_walk import own_answers, step_data

ROOT = Path(__file__).resolve().parents[2]
INTENT = {"cssrs_2": 1, "cssrs_3": 0, "cssrs_4": 1, "cssrs_5": 0}
RECENT_BEHAVIOUR = {"cssrs_6": 2}


class Session(dict):
    """What the wizard needs of a Django session: a dict with ``modified``."""

    modified = False


def data(machine: Wizard, step_id: str, **overrides) -> MultiValueDict:
    """The step's form data as a browser posts it (least severe answers unless overridden)."""
    posted = step_data(step_id, machine.answers_before(step_id), **overrides)
    return MultiValueDict(
        {key: value if isinstance(value, list) else [value] for key, value in posted.items()}
    )


def walk_to(machine: Wizard, step_id: str, answers: dict | None = None) -> None:
    """Pass every step before ``step_id`` as the wizard leads (mild answers by default)."""
    current = machine.first_open_step()
    for _ in range(len(STEP_IDS) * 2):
        if current == step_id:
            return
        outcome = machine.post(
            current, data(machine, current, **own_answers(current, answers or {}))
        )
        if outcome.kind == Kind.CRISIS:
            outcome = outcome.then
        assert outcome.kind == Kind.STEP, (current, outcome)
        current = outcome.step_id
    raise AssertionError(f"never reached {step_id}")


@pytest.fixture
def machine():
    return Wizard(Session())


@pytest.fixture(autouse=True)
def _fresh_panel_cache():
    """The options that call for the panel are cached per step and earlier answers."""
    wizard._panel_values.cache_clear()
    yield
    wizard._panel_values.cache_clear()


def following(machine, step_id):
    return machine.following(step_id)


# --------------------------------------------------------------------------- the plain path


def test_a_new_run_starts_at_the_first_step_and_shows_it(machine):
    first = machine.first_open_step()
    assert first == machine.active_steps()[0] == STEP_IDS[0]
    outcome = machine.get(first)
    assert outcome.kind == Kind.SHOW and outcome.form.step.id == first
    assert machine.number(first) == 1 and machine.total() == len(machine.active_steps())


def test_a_valid_step_goes_to_the_next_and_is_done(machine):
    first = machine.first_open_step()
    outcome = machine.post(first, data(machine, first))
    assert outcome.kind == Kind.STEP and outcome.step_id == machine.following(first)
    assert machine.done == [first]
    assert machine.can_enter(outcome.step_id)


def test_missing_answers_show_the_step_again_with_messages_and_keep_what_was_given(machine):
    first = machine.first_open_step()
    question = next(q for q in instruments.questions_for_step(first) if q.kind == "choice")
    outcome = machine.post(first, data(machine, first, **{question.id: None}))
    assert outcome.kind == Kind.ERRORS and question.id in outcome.form.errors
    assert machine.done == []
    assert first in machine.data["raw"]


def test_steps_not_reached_cannot_be_entered_or_posted(machine):
    later = machine.active_steps()[2]
    assert machine.get(later).step_id == machine.first_open_step()
    outcome = machine.post(later, data(machine, later))
    assert outcome.kind == Kind.STEP and outcome.step_id == machine.first_open_step()
    assert machine.done == [] and machine.answers == {}


def test_a_replayed_step_post_is_harmless(machine):
    first = machine.first_open_step()
    one = machine.post(first, data(machine, first))
    two = machine.post(first, data(machine, first))
    assert one == two and machine.done == [first]


def test_return_to_review_comes_back_to_review(machine):
    walk_to(machine, REVIEW)
    step_id = machine.active_steps()[1]
    outcome = machine.post(step_id, data(machine, step_id), return_to_review=True)
    assert outcome.kind == Kind.STEP and outcome.step_id == REVIEW
    assert outcome.return_to_review is False


def test_changing_a_step_from_review_goes_through_the_steps_that_need_it_again(machine):
    walk_to(machine, REVIEW)
    second = machine.active_steps()[1]
    # Back with a changed answer reopens that step; review waits until it is passed again.
    question = next(q for q in instruments.questions_for_step(second) if q.ordered)
    machine.post(second, data(machine, second, **{question.id: 1, "action": "back"}))
    assert second not in machine.done
    assert machine.first_open_step() == second
    assert not machine.can_enter(REVIEW)


# --------------------------------------------------------------------------- Back


def test_back_keeps_unvalidated_answers_and_goes_to_the_previous_step(machine):
    second = machine.active_steps()[1]
    walk_to(machine, second)
    question = next(q for q in instruments.questions_for_step(second) if q.ordered)
    outcome = machine.post(
        second, MultiValueDict({question.id: ["1"], "action": ["back"], "tampered": ["x"]})
    )
    assert outcome.kind == Kind.STEP and outcome.step_id == machine.active_steps()[0]
    assert machine.initial_for(second)[question.id] == "1"
    assert "tampered" not in machine.data["raw"][second]


def test_back_from_the_first_step_stays_there(machine):
    first = machine.first_open_step()
    outcome = machine.post(first, data(machine, first, action="back"))
    assert outcome.kind == Kind.STEP and outcome.step_id == first


def test_back_keeps_only_known_option_values(machine):
    second = machine.active_steps()[1]
    walk_to(machine, second)
    question = next(q for q in instruments.questions_for_step(second) if q.kind == "choice")
    machine.post(second, MultiValueDict({question.id: ["99" * 500], "action": ["back"]}))
    assert machine.data["raw"][second][question.id] == ""


# --------------------------------------------------------------------------- crisis


def test_a_crisis_answer_goes_to_the_panel_then_on(machine):
    walk_to(machine, RISK_STEP)
    outcome = machine.post(RISK_STEP, data(machine, RISK_STEP, **INTENT))
    assert outcome.kind == Kind.CRISIS
    assert outcome.then.kind == Kind.STEP
    assert outcome.then.step_id == machine.following(RISK_STEP)
    assert machine.after_panel() == outcome.then
    assert machine.crisis and RISK_STEP in machine.done
    assert machine.shows_reminder()


def test_the_panel_once_per_crisis_answer(machine):
    walk_to(machine, RISK_STEP)
    assert machine.post(RISK_STEP, data(machine, RISK_STEP, **INTENT)).kind == Kind.CRISIS
    assert machine.post(RISK_STEP, data(machine, RISK_STEP, **INTENT)).kind == Kind.STEP
    newer = machine.post(RISK_STEP, data(machine, RISK_STEP, **INTENT, **RECENT_BEHAVIOUR))
    assert newer.kind == Kind.CRISIS


def test_later_steps_do_not_show_the_panel_again_for_the_same_answers(machine):
    walk_to(machine, RISK_STEP)
    machine.post(RISK_STEP, data(machine, RISK_STEP, **INTENT))
    after = machine.following(RISK_STEP)
    assert machine.post(after, data(machine, after)).kind == Kind.STEP


def test_a_crisis_answer_with_errors_shows_the_panel_first_then_the_messages(machine):
    walk_to(machine, RISK_STEP)
    required = next(
        q
        for q in instruments.questions_for_step(RISK_STEP)
        if q.ask_if is None and q.required and q.kind == "choice"
    )
    outcome = machine.post(RISK_STEP, data(machine, RISK_STEP, **INTENT, **{required.id: None}))
    assert outcome.kind == Kind.CRISIS
    assert outcome.then.step_id == RISK_STEP
    back = machine.get(RISK_STEP)
    assert back.kind == Kind.ERRORS and required.id in back.form.errors
    assert back.form["cssrs_4"].value() == "1"
    assert machine.get(RISK_STEP).kind == Kind.SHOW  # the messages are shown once


def test_back_with_a_crisis_answer_shows_the_panel_and_goes_back_after(machine):
    walk_to(machine, RISK_STEP)
    outcome = machine.post(RISK_STEP, data(machine, RISK_STEP, action="back", **RECENT_BEHAVIOUR))
    assert outcome.kind == Kind.CRISIS
    assert outcome.then.step_id == (machine.previous(RISK_STEP) or RISK_STEP)
    assert machine.initial_for(RISK_STEP)["cssrs_6"] == "2"


def test_a_risk_answer_puts_resources_on_the_next_page_once(machine):
    walk_to(machine, RISK_STEP)
    outcome = machine.post(RISK_STEP, data(machine, RISK_STEP, cssrs_1=1))
    assert outcome.kind == Kind.STEP
    assert machine.take_pending_resources() is True
    assert machine.take_pending_resources() is False
    assert machine.shows_reminder()


def test_a_crisis_answer_on_a_step_not_reached_still_gets_the_panel(machine, monkeypatch):
    """A step this session cannot take (an expired session, a step not reached yet): its
    answers are not stored, but a crisis answer in it still shows the panel first."""
    monkeypatch.setattr(machine, "can_enter", lambda step_id: False)
    outcome = machine.post(RISK_STEP, data(machine, RISK_STEP, **INTENT))
    assert outcome.kind == Kind.CRISIS
    assert outcome.then == wizard.Outcome(Kind.STEP, machine.first_open_step())
    assert machine.answers == {} and RISK_STEP not in machine.done
    plain = machine.post(RISK_STEP, data(machine, RISK_STEP, **{"cssrs_1": 1}))
    assert plain == wizard.Outcome(Kind.STEP, machine.first_open_step())


@pytest.mark.django_db
def test_after_sending_a_replayed_send_finds_the_result_and_a_second_tab_gets_help(machine):
    walk_to(machine, REVIEW)
    sent = machine.post(REVIEW, data(machine, REVIEW))
    assert sent.kind == Kind.RESULT and sent.token
    assert machine.answers == {} and machine.data["raw"] == {}
    again = machine.post(REVIEW, data(machine, REVIEW))
    assert again == wizard.Outcome(Kind.RESULT, token=sent.token)
    assert machine.post(RISK_STEP, data(machine, RISK_STEP)).kind == Kind.START
    crisis = machine.post(RISK_STEP, data(machine, RISK_STEP, **RECENT_BEHAVIOUR))
    assert crisis.kind == Kind.CRISIS and crisis.then.kind == Kind.START
    assert machine.after_panel().kind == Kind.START
    assert machine.get(RISK_STEP).kind == Kind.START


@pytest.mark.django_db
def test_a_stale_session_missing_an_answer_is_sent_back_to_that_step(machine):
    walk_to(machine, REVIEW)
    question = next(
        q for q in instruments.QUESTIONS if q.clinical and q.ask_if is None and q.required
    )
    del machine.data["answers"][question.id]
    outcome = machine.post(REVIEW, data(machine, REVIEW))
    assert outcome.kind == Kind.STEP and outcome.step_id == question.step
    assert outcome.return_to_review and outcome.message


def test_the_page_marks_the_options_that_call_for_the_panel():
    marks = wizard.panel_values(RISK_STEP, {})
    assert "1" in marks["cssrs_4"] and "1" in marks["cssrs_5"] and "2" in marks["cssrs_6"]
    assert "cssrs_1" not in marks
    for qid, values in marks.items():
        for value in values:
            question = instruments.QUESTIONS_BY_ID[qid]
            answer = [value] if question.kind == "multi" else value
            assert rules.crisis_decision({qid: answer}).panel
    # Once earlier answers already call for it, nothing on the page adds to it.
    assert wizard.panel_values(RISK_STEP, dict(RECENT_BEHAVIOUR, cssrs_6=2)) == {} or (
        not rules.crisis_decision(RECENT_BEHAVIOUR).panel
    )


def test_the_crisis_decision_is_made_in_one_place():
    """The views and the script never decide about crisis help themselves."""
    for path in ("assessment/views.py", "assessment/wizard.py"):
        source = (ROOT / path).read_text()
        assert "needs_crisis_panel" not in source and "shows_crisis_resources" not in source
    script = (ROOT / "static/js/assessment.js").read_text()
    assert "cssrs" not in script and "phq9" not in script
    assert 'data-crisis="panel"' in script


# --------------------------------------------------------------------------- skipped steps


def test_a_step_with_nothing_to_ask_is_skipped_both_ways_and_not_counted(machine, monkeypatch):
    steps = machine.active_steps()
    assert len(steps) >= 4
    skipped = steps[2]
    real = forms.is_shown

    def hide_skipped(question, prior):
        return question.step != skipped and real(question, prior)

    monkeypatch.setattr(forms, "is_shown", hide_skipped)
    monkeypatch.setattr(machine, "_may_ask", lambda q, prior, done: hide_skipped(q, prior))
    assert skipped not in machine.active_steps()
    assert machine.total() == len(steps) - 1
    walk_to(machine, steps[1])
    outcome = machine.post(steps[1], data(machine, steps[1]))
    assert outcome.step_id == steps[3]  # Next jumps over the empty step
    assert machine.number(steps[3]) == 3
    back = machine.post(steps[3], data(machine, steps[3], action="back"))
    assert back.step_id == steps[1]  # and so does Back
    assert machine.get(skipped).kind == Kind.STEP  # its address leads on, never to an empty page


# --------------------------------------------------------------------------- the session


def test_the_session_stays_small_whatever_is_posted(machine):
    huge = "9" * 100_000
    for step_id in machine.active_steps():
        posted = MultiValueDict()
        for question in instruments.questions_for_step(step_id):
            posted.setlist(question.id, [huge] * 20 if question.kind == "multi" else [huge])
        posted["action"] = "back"
        machine.post(step_id, posted)
        posted["action"] = "next"
        machine.post(step_id, posted)
    walk_to(machine, REVIEW)
    size = len(json.dumps(machine.session))
    assert size < 10_000, size


def test_text_answers_are_capped_in_the_session():
    for question in instruments.QUESTIONS:
        if question.kind != "text":
            continue
        raw = forms.raw_from_post(question.step, {question.id: "x" * 5000})
        assert len(raw[question.id]) == forms.text_max_length(question) <= 500


# --------------------------------------------------------------------------- the real order


FIT_QUESTIONS = {"zip_code", "insurance", "days", "times", "language", "modality"}


def test_a_person_in_crisis_sees_help_before_any_question_about_zip_or_insurance(machine):
    first = machine.first_open_step()
    assert first == RISK_STEP
    asked = {question.id for question in machine.get(first).form.questions}
    assert not asked & FIT_QUESTIONS
    assert machine.post(first, data(machine, first, **INTENT)).kind == Kind.CRISIS
    fit_step = instruments.QUESTIONS_BY_ID["zip_code"].step
    assert machine.active_steps().index(fit_step) > machine.active_steps().index(RISK_STEP)


def test_every_answer_the_first_page_marks_leads_to_the_panel():
    marks = wizard.panel_values(RISK_STEP, {})
    assert marks, "the risk step marks no answer that calls for the crisis panel"
    for question_id, values in marks.items():
        for value in values:
            machine = Wizard(Session())
            gate = {"cssrs_2": 1} if question_id in ("cssrs_3", "cssrs_4", "cssrs_5") else {}
            if question_id in ("harm_others", "self_harm"):
                gate = {"harm_gate": 1}
            outcome = machine.post(
                RISK_STEP, data(machine, RISK_STEP, **gate, **{question_id: value})
            )
            assert outcome.kind == Kind.CRISIS, (question_id, value)


def test_a_positive_screen_changed_from_review_opens_the_rest_of_the_questionnaire(machine):
    walk_to(machine, REVIEW)
    assert "phq9_3" not in machine.answers  # PHQ-2 of 0: the rest of the PHQ-9 not asked
    more = machine.post(
        RISK_STEP, data(machine, RISK_STEP, phq9_1=2, phq9_2=2), return_to_review=True
    )
    mood = instruments.QUESTIONS_BY_ID["phq9_3"].step
    assert more.kind == Kind.STEP and more.step_id == mood  # not straight back to review
    assert mood not in machine.done and not machine.can_enter(REVIEW)
    page = machine.get(mood, return_to_review=True).form
    assert "phq9_3" in page.fields


def test_a_negative_screen_drops_the_answers_it_no_longer_asks(machine):
    walk_to(machine, REVIEW, {"phq9_1": 2, "phq9_2": 2, "phq9_3": 3, "phq9_4": 3})
    assert machine.answers["phq9_3"] == 3
    back = machine.post(
        RISK_STEP, data(machine, RISK_STEP, phq9_1=0, phq9_2=0), return_to_review=True
    )
    assert "phq9_3" not in machine.answers and "phq9_4" not in machine.answers
    assert back == wizard.Outcome(Kind.STEP, REVIEW)


def test_a_second_tab_posting_an_earlier_step_updates_it_and_goes_on_from_there(machine):
    walk_to(machine, REVIEW)
    # The other tab still shows the first page and sends it with a new answer.
    outcome = machine.post(RISK_STEP, data(machine, RISK_STEP, cssrs_1=1))
    assert outcome == wizard.Outcome(Kind.STEP, machine.following(RISK_STEP))
    assert machine.answers["cssrs_1"] == 1
    assert machine.take_pending_resources() is True  # the risk answer brings help first
    # A "yes" on the first page asks about past treatment: that step opens again, and the
    # first tab cannot send before it is answered.
    later = instruments.QUESTIONS_BY_ID["past_treatment"].step
    assert machine.first_open_step() == later and not machine.can_enter(REVIEW)
    assert "past_treatment" in machine.get(later).form.fields
    # A replay of the same post changes nothing more.
    assert machine.post(RISK_STEP, data(machine, RISK_STEP, cssrs_1=1)) == outcome
