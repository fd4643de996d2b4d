"""Issue 10: the result page's reasons and flags render in the active language. Stored texts are
English (for staff); under the current ruleset the page asks the (deterministic) rules again
with the stored answers and shows their lazily translated texts; else the stored text."""

from __future__ import annotations

import html as html_lib

import pytest
from django.conf import settings
from django.utils import translation
from django.utils.functional import Promise

from assessment import rules, services
from assessment.models import Submission
from tests.support.answers import complete_answers

pytestmark = pytest.mark.django_db


@pytest.fixture
def marked_spanish(monkeypatch):
    """A stand-in Spanish catalogue: every message, looked up in "es", comes back marked."""
    translation.gettext("warm up")  # the lookup is bound on first use
    real = translation._trans.gettext

    def fake(message):
        text = real(message)
        return f"ES:{text}" if translation.get_language() == "es" else text

    monkeypatch.setattr(translation._trans, "gettext", fake)


def stored(make_submission, **answers) -> Submission:
    submission = make_submission(**answers)
    assert submission.reasons and submission.ruleset_version == rules.RULESET_VERSION
    return submission


def test_same_answers_same_level_and_the_texts_are_the_lazy_ones(make_submission):
    submission = stored(make_submission, phq9_1=3, phq9_2=3)
    again = rules.recommend(complete_answers(phq9_1=3, phq9_2=3))
    assert again.level.value == submission.level
    reasons, flags = services.patient_texts(submission)
    assert reasons and all(isinstance(reason, Promise) for reason in reasons)
    assert [str(reason) for reason in reasons] == submission.reasons
    assert [flag["code"] for flag in flags] == [flag["code"] for flag in submission.flags]
    assert [str(flag["text"]) for flag in flags] == [flag["text"] for flag in submission.flags]


def test_under_spanish_the_texts_come_from_the_catalogue(make_submission, marked_spanish):
    submission = stored(make_submission, phq9_1=3, phq9_2=3)
    with translation.override("es"):
        reasons, _flags = services.patient_texts(submission)
        shown = [str(reason) for reason in reasons]
    assert all(text.startswith("ES:") for text in shown), shown
    # The stored English is untouched: staff read it.
    submission.refresh_from_db()
    assert not any(text.startswith("ES:") for text in submission.reasons)


def test_the_page_shows_the_active_language(client, make_submission, marked_spanish):
    submission = stored(make_submission, phq9_1=3, phq9_2=3)
    with translation.override("es"):
        expected = [str(reason) for reason in services.patient_texts(submission)[0]]
    # override(): the request activates Spanish in this thread; put English back afterwards, or
    # later tests' reverse() would make Spanish URLs.
    with translation.override(settings.LANGUAGE_CODE):
        page = client.get(submission.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="es", follow=True)
    text = html_lib.unescape(page.content.decode())
    assert page.status_code == 200
    for reason in expected:
        assert reason in text


def test_an_older_ruleset_shows_the_stored_texts(make_submission):
    submission = stored(make_submission, phq9_1=3, phq9_2=3)
    Submission.objects.filter(pk=submission.pk).update(
        ruleset_version="2001.1.1", reasons=["An older reason."], flags=[]
    )
    submission.refresh_from_db()
    assert services.patient_texts(submission) == (["An older reason."], [])


def test_answers_that_no_longer_validate_show_the_stored_texts(make_submission):
    submission = stored(make_submission, phq9_1=3, phq9_2=3)
    submission.answers = {**submission.answers, "phq9_1": 99}
    assert services.patient_texts(submission) == (submission.reasons, submission.flags)
