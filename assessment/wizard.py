"""One person's way through the self-assessment, as a state machine kept in their session.

``Wizard(session).post(step_id, data)`` and ``.get(step_id)`` return an :class:`Outcome` (show a
step, show it again with errors, go to a step, show the crisis panel, show the result, go to the
start); the view only turns an Outcome into a response. Nothing here knows about HTTP, so every
path (crisis, Back, stale and second-tab posts, replays, return to review, skipped steps) is
tested without a request (``tests/assessment/test_wizard.py``).

The state is plain data (JSON-serialisable) under one session key:

* ``key``: the run's ``submit_key``, made when the run starts; the final write is keyed on it.
* ``answers``: cleaned answers of the steps that passed validation, by question id.
* ``raw``: what was ticked or typed on a step that was left with Back (or failed validation),
  unvalidated but reduced to known option values and capped text, so nothing the person entered
  is lost and nothing large is ever stored.
* ``done``: ids of the steps whose answers passed validation.
* ``token``: the result token once the answers were sent.
* ``resources``: "pending" when crisis resources must lead the next page, "shown" after.
* ``crisis``: True once the crisis panel was shown in this run.
* ``panel_seen``: the answers the crisis panel was already shown for (it is not shown twice for
  the same answers; any new crisis answer shows it again).
* ``panel_next``: where "I'm safe right now: keep going" on the crisis panel leads.
* ``recheck``: a step to show with its errors when the person comes back from the crisis panel.

Every crisis display is decided by :func:`assessment.rules.crisis_decision` (the one decision):
``panel`` sends the person to the crisis panel at once, by redirect (never a page rendered in
answer to a POST, so Back and refresh never re-post), ``resources`` puts crisis help on the next
page and a reminder on every page after.

Steps with no question to ask (given earlier answers) are skipped both ways, and "Step n of m"
counts only the steps that may still be asked. A step can be entered only when every step before
it that is asked is done, so a POST for a step the person has not reached yet is sent to the
right step instead (never a crash, never a row); a crisis answer in such a POST still shows the
crisis panel first.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from django.utils import translation

from assessment import forms, instruments, rules, services

SESSION_KEY = "assessment"
STEP_IDS: tuple[str, ...] = tuple(step.id for step in instruments.STEPS)
REVIEW = forms.REVIEW_STEP
RISK_STEP: str = getattr(instruments, "RISK_STEP", "safety")
STEP_QUESTION_IDS: dict[str, frozenset[str]] = {
    step_id: frozenset(q.id for q in instruments.questions_for_step(step_id))
    for step_id in STEP_IDS
}


def new_submit_key() -> str:
    return secrets.token_urlsafe(24)


class Kind:
    """What the view does with an :class:`Outcome`."""

    SHOW = "show"  # render the step's form
    ERRORS = "errors"  # render the step's form again with its messages
    STEP = "step"  # redirect to a step
    CRISIS = "crisis"  # redirect to the crisis panel; ``then`` is where keep going leads
    RESULT = "result"  # redirect to the result page
    START = "start"  # redirect to the start of the assessment


@dataclass(frozen=True)
class Outcome:
    kind: str
    step_id: str | None = None
    return_to_review: bool = False
    form: Any = None
    token: str | None = None
    message: Any = None
    then: Outcome | None = None


def _go(step_id: str, return_to_review: bool = False) -> Outcome:
    return Outcome(Kind.STEP, step_id, return_to_review and step_id != REVIEW)


def _is_blank(value) -> bool:
    return value is None or value == "" or value == []


def _signature(question_id: str, value) -> str:
    if isinstance(value, list | tuple):
        value = ",".join(sorted(str(item) for item in value))
    return f"{question_id}={value}"


def _counts(question_id: str, value) -> bool:
    """Whether an answer could add to risk: given, and not the least severe value."""
    question = instruments.QUESTIONS_BY_ID.get(question_id)
    if question is None or _is_blank(value):
        return False
    return str(value) != str(question.least_severe)


def panel_triggers(answers: dict) -> frozenset[str]:
    """A smallest set of answers that still makes :func:`rules.crisis_decision` call for the
    panel: answers that could add to risk are taken away one at a time, in question order, as
    long as the panel is still called for. A new crisis answer later in the run changes this set
    (so the panel is shown again); answering other questions does not."""
    kept = dict(answers)
    for question in instruments.QUESTIONS:
        if question.id in kept and _counts(question.id, kept[question.id]):
            trial = {qid: value for qid, value in kept.items() if qid != question.id}
            if rules.crisis_decision(trial).panel:
                kept = trial
    return frozenset(_signature(qid, value) for qid, value in kept.items() if _counts(qid, value))


def panel_values(step_id: str, prior: dict) -> dict[str, frozenset[str]]:
    """For the page: the option values of each question on ``step_id`` that would call for the
    crisis panel, given the earlier answers (each option tried with :func:`rules.crisis_decision`;
    the script only reads the result from ``data-crisis`` attributes)."""
    frozen = tuple(
        sorted(
            (qid, tuple(value) if isinstance(value, list) else value)
            for qid, value in prior.items()
            if qid in instruments.QUESTIONS_BY_ID
        )
    )
    return _panel_values(step_id, frozen)


@lru_cache(maxsize=512)
def _panel_values(step_id: str, frozen_prior: tuple) -> dict[str, frozenset[str]]:
    prior = {qid: list(value) if isinstance(value, tuple) else value for qid, value in frozen_prior}
    if step_id == REVIEW or rules.crisis_decision(prior).panel:
        return {}
    found: dict[str, frozenset[str]] = {}
    for question in instruments.questions_for_step(step_id):
        if question.kind == "text" or not forms.is_shown(question, prior):
            continue
        values = frozenset(
            str(value)
            for value in question.values
            if rules.crisis_decision(
                {**prior, question.id: [value] if question.kind == "multi" else value}
            ).panel
        )
        if values:
            found[question.id] = values
    return found


class Wizard:
    def __init__(self, session):
        self.session = session
        data = session.get(SESSION_KEY)
        if not isinstance(data, dict) or not data.get("key"):
            data = self._fresh()
            session[SESSION_KEY] = data
        self.data = data

    @staticmethod
    def _fresh() -> dict:
        return {
            "key": new_submit_key(),
            "answers": {},
            "raw": {},
            "done": [],
            "token": None,
            "resources": None,
            "crisis": False,
            "panel_seen": [],
            "panel_next": None,
            "recheck": None,
        }

    # -- reading -----------------------------------------------------------------------------

    @property
    def key(self) -> str:
        return self.data["key"]

    @property
    def token(self) -> str | None:
        return self.data.get("token")

    @property
    def done(self) -> list[str]:
        return [step for step in STEP_IDS if step in self.data.get("done", [])]

    @property
    def answers(self) -> dict:
        """Cleaned answers to questions (consent and other web-only keys left out)."""
        return {
            qid: value
            for qid, value in self.data.get("answers", {}).items()
            if qid in instruments.QUESTIONS_BY_ID
        }

    @property
    def crisis(self) -> bool:
        return bool(self.data.get("crisis"))

    def answers_before(self, step_id: str) -> dict:
        """Answers from every other step: what skip logic on ``step_id`` may look at."""
        own = STEP_QUESTION_IDS[step_id]
        return {qid: value for qid, value in self.answers.items() if qid not in own}

    # -- which steps are asked ---------------------------------------------------------------

    def _may_ask(self, question, prior: dict, done: set) -> bool:
        """Shown given the answers so far, or gated on an answer not given yet."""
        if forms.is_shown(question, prior):
            return True
        return any(
            dep not in prior and instruments.QUESTIONS_BY_ID[dep].step not in done
            for dep in forms.depends_on(question)
        )

    def active_steps(self) -> list[str]:
        """The steps that ask something (or may, once earlier steps are answered), in order."""
        answers, done = self.answers, set(self.data["done"])
        active = []
        for step_id in STEP_IDS:
            own = STEP_QUESTION_IDS[step_id]
            prior = {qid: value for qid, value in answers.items() if qid not in own}
            if step_id == REVIEW or any(
                self._may_ask(question, prior, done)
                for question in instruments.questions_for_step(step_id)
            ):
                active.append(step_id)
        return active

    def first_open_step(self) -> str:
        for step_id in self.active_steps():
            if step_id not in self.data["done"]:
                return step_id
        return REVIEW

    def can_enter(self, step_id: str) -> bool:
        active = self.active_steps()
        if step_id not in active:
            return False
        return all(step in self.data["done"] for step in active[: active.index(step_id)])

    def number(self, step_id: str) -> int:
        active = self.active_steps()
        return active.index(step_id) + 1 if step_id in active else 1

    def total(self) -> int:
        return len(self.active_steps())

    def previous(self, step_id: str) -> str | None:
        before = [s for s in self.active_steps() if STEP_IDS.index(s) < STEP_IDS.index(step_id)]
        return before[-1] if before else None

    def following(self, step_id: str) -> str:
        after = [s for s in self.active_steps() if STEP_IDS.index(s) > STEP_IDS.index(step_id)]
        return after[0] if after else REVIEW

    def initial_for(self, step_id: str) -> dict:
        """What the step's form starts with: unvalidated values kept from Back, else the
        stored answers."""
        raw = self.data["raw"].get(step_id)
        if raw is not None:
            return raw
        return forms.raw_from_answers(step_id, self.data["answers"])

    def form_for(self, step_id: str, data=None):
        """The step's form for the page: with the earlier answers (skip logic) and the options
        that would call for the crisis panel."""
        prior = self.answers_before(step_id)
        marks = panel_values(step_id, prior)
        if data is None:
            return forms.StepForm(
                step_id, initial=self.initial_for(step_id), prior_answers=prior, panel_values=marks
            )
        return forms.StepForm(step_id, data, prior_answers=prior, panel_values=marks)

    # -- the state machine -------------------------------------------------------------------

    def get(self, step_id: str, return_to_review: bool = False) -> Outcome:
        if self.token:
            return Outcome(Kind.START)
        if not self.can_enter(step_id):
            return _go(self.first_open_step())
        if self.data.get("recheck") == step_id and step_id in self.data["raw"]:
            # Back from the crisis panel to a step that still needs a look: show its messages.
            self.data["recheck"] = None
            self.save()
            form = self.form_for(step_id, data=self.data["raw"][step_id])
            if not form.is_valid():
                return Outcome(Kind.ERRORS, step_id, return_to_review, form=form)
        return Outcome(Kind.SHOW, step_id, return_to_review, form=self.form_for(step_id))

    def post(self, step_id: str, data, return_to_review: bool = False) -> Outcome:
        back = data.get("action") == "back"
        if self.token:
            # Already sent: a replayed or late POST finds the stored result, never a second row.
            if step_id == REVIEW and not back:
                return Outcome(Kind.RESULT, token=self.token)
            return self._cannot_store(step_id, data, Outcome(Kind.START))
        if not self.can_enter(step_id):
            return self._cannot_store(step_id, data, _go(self.first_open_step()))
        prior = self.answers_before(step_id)
        if back:
            return self._back(step_id, data, prior, return_to_review)
        form = forms.StepForm(step_id, data, prior_answers=prior)
        if not form.is_valid():
            raw = forms.raw_from_post(step_id, data)
            self.keep_raw(step_id, raw)
            so_far = {**prior, **forms.given(raw)}
            # Safety first: a crisis answer shows the crisis panel at once, even when other
            # answers on the step still need a look (they are shown on the way back).
            if self._panel_due(so_far):
                self.data["recheck"] = step_id
                return self._crisis(so_far, _go(step_id, return_to_review))
            self._note_resources(so_far)
            form.panel_values = panel_values(step_id, prior)
            return Outcome(Kind.ERRORS, step_id, return_to_review, form=form)
        self.save_step(step_id, form.answers)
        if step_id == REVIEW:
            return self._submit()
        next_step = self.first_open_step() if return_to_review else self.following(step_id)
        onward = _go(next_step, return_to_review)
        answers = self.answers
        if self._panel_due(answers):
            return self._crisis(answers, onward)
        self._note_resources(answers)
        return onward

    def after_panel(self) -> Outcome:
        """Where "I'm safe right now: keep going" leads from the crisis panel."""
        then = self.data.get("panel_next") or {}
        if self.token or then.get("kind") != Kind.STEP or then.get("step") not in STEP_IDS:
            return Outcome(Kind.START)
        return _go(then["step"], bool(then.get("review")))

    def _back(self, step_id: str, data, prior: dict, return_to_review: bool) -> Outcome:
        raw = forms.raw_from_post(step_id, data)
        self.keep_raw(step_id, raw)
        onward = _go(self.previous(step_id) or step_id, return_to_review)
        # Safety first, on Back too: a crisis answer shows the crisis panel at once, and any
        # risk answer puts crisis help at the top of the page Back goes to.
        so_far = {**prior, **forms.given(raw)}
        if self._panel_due(so_far):
            return self._crisis(so_far, onward)
        self._note_resources(so_far)
        return onward

    def _cannot_store(self, step_id: str, data, onward: Outcome) -> Outcome:
        """A step this session cannot take now (answers already sent from another tab, an
        expired session, a step not reached yet): go on to ``onward``. A crisis answer in the
        POST cannot be stored, but it still gets the crisis panel first."""
        posted = forms.given(forms.raw_from_post(step_id, data))
        if self._panel_due(posted):
            return self._crisis(posted, onward)
        return onward

    def _submit(self) -> Outcome:
        """The review step passed: store the answers once, unshared, and show the result."""
        try:
            submission, _created = services.create_submission(
                self.key, self.answers, ui_language=translation.get_language() or ""
            )
        except instruments.AnswerError as error:
            question = instruments.QUESTIONS_BY_ID.get(error.question_id)
            step_id = question.step if question else self.active_steps()[0]
            self.reopen(step_id)
            self.reopen(REVIEW)
            return Outcome(Kind.STEP, step_id, True, message=error.user_message)
        self.mark_submitted(submission.token)
        return Outcome(Kind.RESULT, token=submission.token)

    # -- crisis ------------------------------------------------------------------------------

    def _panel_due(self, so_far: dict) -> bool:
        """The crisis panel is called for and was not shown yet for these answers."""
        if not rules.crisis_decision(so_far).panel:
            return False
        return not panel_triggers(so_far) <= set(self.data.get("panel_seen") or [])

    def _crisis(self, so_far: dict, onward: Outcome) -> Outcome:
        seen = set(self.data.get("panel_seen") or []) | panel_triggers(so_far)
        self.data["panel_seen"] = sorted(seen)
        self.data["crisis"] = True
        self.data["resources"] = "shown"
        self.data["panel_next"] = {
            "kind": onward.kind,
            "step": onward.step_id,
            "review": onward.return_to_review,
        }
        self.save()
        return Outcome(Kind.CRISIS, then=onward)

    def _note_resources(self, so_far: dict) -> None:
        if rules.crisis_decision(so_far).resources and self.data.get("resources") is None:
            self.data["resources"] = "pending"
            self.save()

    def take_pending_resources(self) -> bool:
        """True once, for the first page after a risk answer: it leads with crisis help."""
        if self.data.get("resources") == "pending":
            self.data["resources"] = "shown"
            self.save()
            return True
        return False

    def shows_reminder(self) -> bool:
        """A crisis reminder on every page after a risk answer or the crisis panel."""
        return self.crisis or rules.crisis_decision(self.answers).resources

    # -- writing -----------------------------------------------------------------------------

    def save_step(self, step_id: str, step_answers: dict) -> None:
        """The step passed validation: replace its answers and mark it done. Answers to
        questions that earlier answers no longer ask are dropped, and a done step that now asks
        something new is opened again."""
        own = STEP_QUESTION_IDS[step_id]
        answers = {qid: value for qid, value in self.data["answers"].items() if qid not in own}
        answers.update(step_answers)
        self.data["answers"] = answers
        self.data["raw"].pop(step_id, None)
        if step_id not in self.data["done"]:
            self.data["done"].append(step_id)
        self._reconcile(step_id)
        self.save()

    def _reconcile(self, saved_step: str) -> None:
        answers = self.data["answers"]
        for step_id in STEP_IDS:
            if step_id == REVIEW:
                continue
            own = STEP_QUESTION_IDS[step_id]
            prior = {qid: value for qid, value in answers.items() if qid not in own}
            shown = set()
            for question in instruments.questions_for_step(step_id):
                if forms.is_shown(question, prior):
                    shown.add(question.id)
                else:
                    answers.pop(question.id, None)
            if step_id == saved_step or step_id not in self.data["done"]:
                continue
            stored = {qid: answers.get(qid) for qid in shown}
            _cleaned, errors = instruments.validate_step(step_id, stored, prior)
            if errors:
                self.data["done"].remove(step_id)

    def keep_raw(self, step_id: str, raw: dict) -> None:
        """Keep what was entered on a step without validating it (Back, or errors). If it
        differs from the stored answers, the step must be passed again before moving on."""
        stored = forms.raw_from_answers(step_id, self.data["answers"])
        if step_id in self.data["done"] and _same(raw, stored):
            self.data["raw"].pop(step_id, None)
        else:
            self.data["raw"][step_id] = raw
            self.reopen(step_id)
        self.save()

    def reopen(self, step_id: str) -> None:
        if step_id in self.data["done"]:
            self.data["done"].remove(step_id)
        self.save()

    def mark_submitted(self, token: str) -> None:
        """The answers are stored: keep only the key and the token in the session (a replayed
        submit finds the result; the answers no longer sit in the session store)."""
        self.data = {**self._fresh(), "key": self.key, "token": token, "done": list(STEP_IDS)}
        self.save()

    def restore(self, state: dict) -> None:
        """Continue a run saved for "Email me a link" (``links.open_draft``) in this session."""
        fresh = self._fresh()
        data = {name: state.get(name, fresh[name]) for name in fresh}
        if not isinstance(data.get("key"), str) or not data["key"]:
            data["key"] = fresh["key"]
        data["token"] = None
        self.data = data
        self.save()

    def snapshot(self) -> dict:
        """The run's state, to save for "Email me a link" (a copy: plain JSON data)."""
        return {**self.data, "token": None}

    def reset(self) -> None:
        self.data = self._fresh()
        self.save()

    def save(self) -> None:
        self.session[SESSION_KEY] = self.data
        self.session.modified = True


def _same(raw: dict, stored: dict) -> bool:
    def norm(value):
        if isinstance(value, list):
            return sorted(str(item) for item in value)
        return "" if value is None else str(value).strip()

    keys = set(raw) | set(stored)
    return all(norm(raw.get(key)) == norm(stored.get(key)) for key in keys)
