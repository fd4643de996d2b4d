"""Issue 15: the step and result pages keep what does not change between views (a question
without a message, the told programs of a snapshot, the first-visit section, the rules' texts).
What a person sees must still follow their answers, their language and the day."""

from __future__ import annotations

import datetime as dt
import re
from unittest import mock

import pytest
from django.http import QueryDict
from django.utils import translation

from assessment import forms, services, views


def _html(form) -> str:
    return str(form.questions_html())


def test_a_kept_question_still_shows_the_answer_ticked_and_the_language():
    first = forms.StepForm("now")
    blank = _html(first)
    assert " checked" not in blank
    ticked = _html(forms.StepForm("now", initial={"phq9_1": "2"}))
    assert re.search(r'value="2" id="id_phq9_1_2" checked', ticked)
    assert _html(forms.StepForm("now")) == blank
    with translation.override("es"):
        spanish = _html(forms.StepForm("now"))
    assert spanish != blank
    assert "Ningún día" in spanish


def test_a_question_with_a_message_or_typed_text_is_never_kept():
    data = QueryDict(mutable=True)
    data["phq9_1"] = "9"
    form = forms.StepForm("now", data)
    assert not form.is_valid()
    assert 'aria-invalid="true"' in _html(form)
    [with_message] = [qf for b in form.blocks() for qf in b.fields if qf.question.id == "phq9_1"]
    assert with_message._cache_key() is None
    fit = forms.StepForm("fit", initial={"zip_code": "40202"})
    [zip_box] = [qf for b in fit.blocks() for qf in b.fields if qf.question.id == "zip_code"]
    assert zip_box._cache_key() is None
    assert 'value="40202"' in zip_box.html


@pytest.mark.django_db
def test_told_programs_are_worded_again_on_another_day_and_language(make_submission):
    submission = make_submission()
    submission.matched_programs = [
        {"name": "Riverside IOP", "slug": "riverside-iop", "level": "IOP", "wait_days": 5}
    ]
    english = views.told_programs_section(submission, "/programs/")
    assert english[0] and "Riverside IOP" in english[1]
    with translation.override("es"):
        spanish = views.told_programs_section(submission, "/programs/")
    assert spanish[1] != english[1]
    later = dt.date.today() + dt.timedelta(days=3)
    submission.matched_programs = [{**submission.matched_programs[0], "next_intake": str(later)}]
    changed = views.told_programs_section(submission, "/programs/")
    assert changed[1] != english[1]


@pytest.mark.django_db
def test_the_rules_texts_are_worked_out_once_per_answers(make_submission):
    submission = make_submission()
    first = services.patient_texts(submission)
    with mock.patch.object(services.rules, "recommend", side_effect=AssertionError):
        again = services.patient_texts(submission)
    assert [str(text) for text in again[0]] == [str(text) for text in first[0]]
    assert not any("phq9" in key for key in services._LAZY_TEXTS)
