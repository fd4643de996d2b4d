"""The one write of a finished assessment: atomic, idempotent, complete, and signalled once."""

from unittest import mock

import pytest
from django.db import IntegrityError

from assessment import instruments, rules, services
from assessment.models import Submission
from assessment.signals import callback_requested, submission_created
from programs.levels import LevelOfCare
from tests.support.answers import complete_answers

pytestmark = pytest.mark.django_db


@pytest.fixture
def received():
    calls = []

    def receiver(sender, submission, **kwargs):
        calls.append((sender, submission.pk))

    submission_created.connect(receiver, weak=False)
    yield calls
    submission_created.disconnect(receiver)


def test_the_same_key_twice_stores_one_row_and_signals_once(
    received, django_capture_on_commit_callbacks
):
    answers = complete_answers(phq9_1=2)
    with django_capture_on_commit_callbacks(execute=True):
        first, created = services.create_submission("key-1", answers, consent_to_store=True)
    assert created is True
    with django_capture_on_commit_callbacks(execute=True):
        second, created_again = services.create_submission("key-1", answers, consent_to_store=True)
    assert created_again is False
    assert second.pk == first.pk
    assert Submission.objects.count() == 1
    assert received == [(Submission, first.pk)]


def test_signal_waits_for_the_commit(received, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.create_submission("key-2", complete_answers(), consent_to_store=True)
    assert received == []
    assert len(callbacks) == 1


def test_a_race_on_the_key_returns_the_row_the_other_request_wrote(received):
    winner, _ = services.create_submission("race", complete_answers(), consent_to_store=True)
    with (
        mock.patch.object(Submission.objects, "filter") as filter_,
        mock.patch.object(Submission.objects, "get_or_create", side_effect=IntegrityError),
    ):
        filter_.return_value.first.return_value = None  # the check ran before the other insert
        submission, created = services.create_submission(
            "race", complete_answers(), consent_to_store=True
        )
    assert created is False and submission.pk == winner.pk
    assert Submission.objects.count() == 1


def test_incomplete_answers_store_nothing():
    # PHQ-2 at 2 opens the rest of the PHQ-9, so item 3 is asked and must be answered.
    answers = complete_answers(phq9_1=2, phq9_3=0)
    del answers["phq9_3"]
    with pytest.raises(instruments.AnswerError) as error:
        services.create_submission("key-3", answers, consent_to_store=True)
    assert error.value.question_id == "phq9_3"
    assert Submission.objects.count() == 0


def test_every_field_matches_the_engine():
    answers = complete_answers(
        phq9_1=3,
        phq9_2=3,
        gad7_1=2,
        cssrs_1=1,
        auditc_1=2,
        auditc_2=1,
        auditc_3=1,
        sex_at_birth="female",
    )
    submission, _ = services.create_submission("key-4", answers, consent_to_store=True)
    recommendation = rules.recommend(answers)
    scores = instruments.score_all(answers)
    assert submission.level == recommendation.level.value
    assert submission.rules_fired == recommendation.rules_fired
    assert submission.ruleset_version == rules.RULESET_VERSION
    assert submission.reasons == [str(reason) for reason in recommendation.reasons]
    assert submission.flags == [flag.to_dict() for flag in recommendation.flags]
    assert submission.dimensions == recommendation.dimensions
    assert submission.urgent is recommendation.urgent
    for instrument, score in scores.items():
        # Everything the score says is kept: status (complete, prorated, screened negative,
        # incomplete), the screen score and what was missing, not only the total.
        assert submission.scores[instrument] == {**score.to_dict(), "positive": score.positive}
        assert submission.scores[instrument]["status"] == score.status
    assert submission.phq9_total == scores["phq9"].total == 6
    assert submission.phq9_band == scores["phq9"].band
    assert submission.gad7_total == scores["gad7"].total
    assert submission.gad7_band == scores["gad7"].band
    assert submission.cssrs_risk == instruments.cssrs_risk(answers) == "low"
    assert submission.answers == answers
    # Reproducible later from what was stored.
    assert rules.recommend(submission.answers).level.value == submission.level


def test_emergency_answers_give_an_urgent_emergency_row_with_no_program_matches():
    submission, _ = services.create_submission(
        "key-5", complete_answers(cssrs_6=2), consent_to_store=True
    )
    assert submission.level == LevelOfCare.EMERGENCY
    assert submission.urgent is True
    assert submission.matched_programs == []


def test_match_snapshot_keeps_what_staff_need():
    program = mock.Mock(pk=7, slug="evening-iop", level="IOP")
    program.name = "Evening IOP"
    match = mock.Mock(
        program=program,
        distance_miles=3.2,
        fits=["Meets on Monday"],
        misses=[],
        is_alternative=False,
    )
    assert services.match_snapshot([match]) == [
        {
            "id": 7,
            "name": "Evening IOP",
            "slug": "evening-iop",
            "level": "IOP",
            "distance_miles": 3.2,
            "fits": ["Meets on Monday"],
            "misses": [],
            "is_alternative": False,
        }
    ]


def test_matches_are_asked_for_with_the_persons_preferences():
    with mock.patch.object(services, "match_programs", return_value=[]) as match_programs:
        services.create_submission(
            "key-6",
            complete_answers(phq9_1=3, phq9_2=3, phq9_4=3, daily_functioning=2),
            consent_to_store=True,
        )
    level, prefs = match_programs.call_args.args
    assert prefs.zip_code == "40202" and prefs.insurance == "medicaid"
    assert list(prefs.days) == ["mon", "wed"] and list(prefs.times) == ["evening"]
    assert prefs.modality == "in_person" and prefs.language == "en" and prefs.age_group == "adult"
    assert match_programs.call_args.kwargs == {"limit": 5}
    assert level == Submission.objects.get().level


def test_call_back_is_stored_once_and_signalled(django_capture_on_commit_callbacks):
    submission, _ = services.create_submission("key-7", complete_answers(), consent_to_store=True)
    calls = []

    def receiver(sender, submission, **kwargs):
        calls.append(submission.pk)

    callback_requested.connect(receiver, weak=False)
    try:
        contact = {
            "contact_name": "",
            "contact_phone": "+15025550142",
            "contact_email": "",
            "best_time": "",
        }
        with django_capture_on_commit_callbacks(execute=True):
            assert services.request_callback(submission, contact) is True
            assert services.request_callback(submission, {**contact, "contact_phone": "x"}) is False
    finally:
        callback_requested.disconnect(receiver)
    submission.refresh_from_db()
    assert submission.contact_phone == "+15025550142" and submission.contact_consent
    assert calls == [submission.pk]
