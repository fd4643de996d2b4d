"""Walking the self-assessment through Django's test client, following the wizard wherever it
goes (skipped steps, the crisis panel), for the web tests of the wizard.

``walk(client, answers, until=...)`` answers each step the wizard shows with ``step_post`` (the
least severe answers, the "fit" preferences, and ``answers`` where given) and follows its
redirects; it stops before posting ``until`` (a step id), or at the result.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from assessment import instruments
from assessment.wizard import STEP_IDS, Wizard
from tests.support.answers import ABOUT as FIT

CRISIS_PANEL_URL = "/assessment/reach-out/"
START_URL = "/assessment/"


def step_url(step_id: str, return_to_review: bool = False) -> str:
    url = f"/assessment/step/{step_id}/"
    return f"{url}?return=review" if return_to_review else url


def step_of(url: str) -> str | None:
    parts = urlsplit(url).path.strip("/").split("/")
    return parts[2] if len(parts) >= 3 and parts[1] == "step" else None


def own_answers(step_id: str, answers: dict) -> dict:
    return {
        key: value
        for key, value in answers.items()
        if key in instruments.QUESTIONS_BY_ID and instruments.QUESTIONS_BY_ID[key].step == step_id
    }


def wizard_of(client) -> Wizard:
    return Wizard(client.session)


def step_data(step_id: str, prior: dict | None = None, **overrides) -> dict:
    """A step's form data as a browser posts it: every question the page asks (given the
    earlier answers ``prior`` and the answers before it on the page) gets its least severe
    answer, the "fit" questions sensible preferences; ``overrides`` replace single answers
    (``None`` leaves a question blank) and other keys (``action``) are posted as given."""
    prior = dict(prior or {})
    data: dict = {}
    given: dict = {}
    for question in instruments.questions_for_step(step_id):
        if question.id in overrides:
            value = overrides[question.id]
        elif not question.is_asked({**prior, **given}):
            value = None
        elif question.id in FIT:
            value = FIT[question.id]
        elif question.kind == "multi":
            value = []
        elif question.kind == "text":
            value = ""
        else:
            value = question.options[0][0]
        if value is None:
            continue
        given[question.id] = value
        data[question.id] = [str(v) for v in value] if isinstance(value, list) else str(value)
    for key, value in overrides.items():
        if key not in instruments.QUESTIONS_BY_ID and value is not None:
            data[key] = value
    data.setdefault("action", "next")
    return data


def post_data(client, step_id: str, **overrides) -> dict:
    """:func:`step_data` with the earlier answers this client's run holds."""
    return step_data(step_id, wizard_of(client).answers_before(step_id), **overrides)


def walk(client, answers: dict | None = None, until: str | None = None, keep_going=True):
    """Answer step after step as the wizard leads; returns the last response (a 302 to the
    result, or the GET of ``until``). Steps visited are in ``walk.visited``."""
    answers = answers or {}
    visited: list[str] = []
    walk.visited = visited
    response = client.get(START_URL)
    for _ in range(len(STEP_IDS) * 3):
        location = response["Location"] if response.status_code == 302 else None
        if location is None:
            raise AssertionError(f"the wizard stopped with {response.status_code}")
        if "/assessment/r/" in location:
            return response
        if location == CRISIS_PANEL_URL:
            panel = client.get(CRISIS_PANEL_URL)
            if not keep_going:
                return panel
            location = _after_panel_url(client)
        step_id = step_of(location)
        assert step_id, f"unexpected redirect to {location}"
        if step_id == until:
            return client.get(location)
        visited.append(step_id)
        data = post_data(client, step_id, **own_answers(step_id, answers))
        if "return=review" in location:
            data["return"] = "review"
        response = client.post(step_url(step_id), data)
        assert response.status_code == 302, (step_id, response.content.decode()[:2000])
    raise AssertionError(f"the walk did not end: {visited}")


def _after_panel_url(client) -> str:
    from assessment.views import outcome_url

    return outcome_url(wizard_of(client).after_panel())
