"""The state of one person's way through the self-assessment, kept in their session.

Plain data (JSON-serialisable) under one session key:

* ``key``: the run's ``submit_key``, made when the run starts; the final write is keyed on it.
* ``answers``: cleaned answers of the steps that passed validation, by question id.
* ``raw``: what was typed or ticked on a step that was left with Back (or failed validation),
  unvalidated, so nothing the person entered is ever lost.
* ``done``: ids of the steps whose answers passed validation.
* ``token``: the result token once the answers were sent.
* ``resources``: "pending" when the crisis resources must lead the next page, "shown" after.
* ``crisis``: True once a safety answer called for the crisis panel.

A step can be entered only when every step before it is done, so a POST for a step the person
has not reached yet is sent to the right step instead (never a crash, never a row).
"""

from __future__ import annotations

import secrets

from assessment import forms, instruments

SESSION_KEY = "assessment"
STEP_IDS: tuple[str, ...] = tuple(step.id for step in instruments.STEPS)
REVIEW = forms.REVIEW_STEP
STEP_QUESTION_IDS: dict[str, frozenset[str]] = {
    step_id: frozenset(q.id for q in instruments.questions_for_step(step_id))
    for step_id in STEP_IDS
}
STEP_QUESTION_IDS = {**STEP_QUESTION_IDS, REVIEW: frozenset({forms.CONSENT_FIELD})}


def new_submit_key() -> str:
    return secrets.token_urlsafe(24)


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
    def consent(self) -> bool:
        return bool(self.data.get("answers", {}).get(forms.CONSENT_FIELD))

    def answers_before(self, step_id: str) -> dict:
        """Answers from every other step: what skip logic on ``step_id`` may look at."""
        own = STEP_QUESTION_IDS[step_id]
        return {qid: value for qid, value in self.answers.items() if qid not in own}

    def first_open_step(self) -> str:
        for step_id in STEP_IDS:
            if step_id not in self.data["done"]:
                return step_id
        return REVIEW

    def can_enter(self, step_id: str) -> bool:
        index = STEP_IDS.index(step_id)
        return all(step in self.data["done"] for step in STEP_IDS[:index])

    @staticmethod
    def number(step_id: str) -> int:
        return STEP_IDS.index(step_id) + 1

    @staticmethod
    def previous(step_id: str) -> str | None:
        index = STEP_IDS.index(step_id)
        return STEP_IDS[index - 1] if index > 0 else None

    @staticmethod
    def following(step_id: str) -> str:
        index = STEP_IDS.index(step_id)
        return STEP_IDS[min(index + 1, len(STEP_IDS) - 1)]

    def initial_for(self, step_id: str) -> dict:
        """What the step's form starts with: unvalidated values kept from Back, else the
        stored answers."""
        raw = self.data["raw"].get(step_id)
        if raw is not None:
            return raw
        return forms.raw_from_answers(step_id, self.data["answers"])

    # -- writing -----------------------------------------------------------------------------

    def save_step(self, step_id: str, step_answers: dict) -> None:
        """The step passed validation: replace its answers and mark it done."""
        own = STEP_QUESTION_IDS[step_id]
        answers = {qid: value for qid, value in self.data["answers"].items() if qid not in own}
        answers.update(step_answers)
        self.data["answers"] = answers
        self.data["raw"].pop(step_id, None)
        if step_id not in self.data["done"]:
            self.data["done"].append(step_id)
        self.save()

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

    def note_crisis_resources(self, show: bool) -> None:
        if show and self.data.get("resources") is None:
            self.data["resources"] = "pending"
            self.save()

    def take_pending_resources(self) -> bool:
        """True once, for the first page after a positive answer: it leads with crisis help."""
        if self.data.get("resources") == "pending":
            self.data["resources"] = "shown"
            self.save()
            return True
        return False

    def mark_crisis(self) -> None:
        self.data["crisis"] = True
        self.data["resources"] = "shown"
        self.save()

    @property
    def crisis(self) -> bool:
        return bool(self.data.get("crisis"))

    def mark_submitted(self, token: str) -> None:
        """The answers are stored: keep only the key and the token in the session (a replayed
        submit finds the result; the answers no longer sit in the session store)."""
        self.data = {**self._fresh(), "key": self.key, "token": token, "done": list(STEP_IDS)}
        self.save()

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
