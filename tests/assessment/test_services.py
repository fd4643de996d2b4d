"""The one write of a finished assessment: atomic, idempotent, complete, and signalled once."""

from unittest import mock

import pytest
from django.db import IntegrityError

from assessment import instruments, rules, services
from assessment.models import Submission
from assessment.signals import submission_created, submission_stored
from programs.levels import LevelOfCare
from programs.search import Preferences, match_programs
from tests.programs.factories import TelehealthProgramFactory, evening_iop
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


def test_a_replay_is_found_at_the_insert_and_sends_nothing(django_capture_on_commit_callbacks):
    stored = []

    def on_stored(sender, submission, **kwargs):
        stored.append(submission.pk)

    winner, _ = services.create_submission("race", complete_answers(), consent_to_store=True)
    submission_stored.connect(on_stored, weak=False)
    try:
        # As when another request with the same key won the race: no read before the insert,
        # the unique key refuses the second row and the stored one is returned.
        with django_capture_on_commit_callbacks() as callbacks:
            submission, created = services.create_submission(
                "race", complete_answers(phq9_1=1), consent_to_store=True
            )
    finally:
        submission_stored.disconnect(on_stored)
    assert created is False and submission.pk == winner.pk
    assert submission.answers == winner.answers  # the first answers, not the replayed ones
    assert Submission.objects.count() == 1
    assert stored == [] and callbacks == []


def test_a_receiver_that_fails_is_not_taken_for_a_replay():
    def failing(sender, submission, **kwargs):
        raise IntegrityError("the receiver's own write failed")

    submission_stored.connect(failing, weak=False)
    try:
        with pytest.raises(IntegrityError):
            services.create_submission("key-8", complete_answers(), consent_to_store=True)
    finally:
        submission_stored.disconnect(failing)
    assert Submission.objects.count() == 0  # rolled back with the receiver's write


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


def test_match_snapshot_keeps_what_the_result_page_showed():
    program = evening_iop(name="Evening IOP", payment=["private"], intake_phone="502-555-0199")
    video = TelehealthProgramFactory(name="Video IOP", level="IOP", intake_phone="")
    matches = match_programs(
        "IOP", Preferences(zip_code="40202", insurance="medicaid", times=["evening"])
    )
    assert [match.program for match in matches] == [program, video]
    near = matches[0]
    assert services.match_snapshot(matches) == [
        {
            "id": program.pk,
            "name": "Evening IOP",
            "slug": program.slug,
            "provider": program.provider.name,
            "level": "IOP",
            "distance_miles": near.distance_miles,
            "phone": "502-555-0199",
            "telehealth_only": False,
            "fits": [str(text) for text in near.fits],
            "misses": ["does not list Medicaid"],
            "is_alternative": False,
            "alternative_note": "",
        },
        {
            "id": video.pk,
            "name": "Video IOP",
            "slug": video.slug,
            "provider": video.provider.name,
            "level": "IOP",
            "distance_miles": None,
            "phone": "",
            "telehealth_only": True,
            "fits": [str(text) for text in matches[1].fits],
            "misses": [str(text) for text in matches[1].misses],
            "is_alternative": False,
            "alternative_note": "",
        },
    ]
    assert near.distance_miles < 1 and near.fits


def test_told_programs_show_a_snapshot_as_the_page_showed_it():
    program = evening_iop(name="Evening IOP", intake_phone="502-555-0199")
    matches = match_programs("IOP", Preferences(zip_code="40202", times=["evening"]))
    [told] = services.told_programs(services.match_snapshot(matches))
    assert told == {
        "name": "Evening IOP",
        "url": program.get_absolute_url(),
        "level_info": LevelOfCare.IOP.info,
        "provider": program.provider.name,
        "distance_miles": matches[0].distance_miles,
        "phone": "502-555-0199",
        "telehealth_only": False,
        "fits": matches[0].fits,
        "misses": matches[0].misses,
        "is_alternative": False,
        "alternative_note": "",
    }


@pytest.mark.parametrize(
    "item",
    [
        # Stored before the provider, phone and notes were kept.
        {
            "id": 1,
            "name": "Old IOP",
            "slug": "old-iop",
            "level": "IOP",
            "distance_miles": 3.2,
            "fits": ["takes Medicaid"],
            "misses": [],
            "is_alternative": False,
        },
        # The first form: reasons instead of fits, no distance.
        {
            "id": 1,
            "name": "Old IOP",
            "slug": "old-iop",
            "level": "IOP",
            "reasons": ["takes Medicaid"],
        },
    ],
)
def test_told_programs_read_old_snapshots(item):
    [told] = services.told_programs([item])
    assert told["name"] == "Old IOP" and told["url"] == "/programs/old-iop/"
    assert told["level_info"] == LevelOfCare.IOP.info and told["fits"] == ["takes Medicaid"]
    assert told["provider"] == "" and told["phone"] == "" and told["alternative_note"] == ""
    assert told["distance_miles"] == item.get("distance_miles")


def test_told_programs_skip_what_cannot_be_shown():
    assert services.told_programs(None) == []
    assert services.told_programs({"name": "not a list"}) == []
    assert services.told_programs(["text", {}, {"name": ""}]) == []
    [told] = services.told_programs(
        [{"name": "No slug", "level": "unknown", "distance_miles": "x"}]
    )
    assert told["url"] == "" and told["level_info"] is None and told["distance_miles"] is None


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


def test_sharing_stores_the_details_once_marks_the_run_shared_and_signals_once():
    from django.db import connection

    from assessment.signals import submission_shared

    submission, _ = services.create_submission("key-7", complete_answers())
    assert submission.shared_at is None
    sent = []

    def receiver(sender, submission, **kwargs):
        sent.append((submission.pk, connection.in_atomic_block))

    submission_shared.connect(receiver)
    try:
        details = {
            "contact_name": "Jordan",
            "contact_phone": "+15025550142",
            "contact_email": "",
            "best_time": "after 5 pm",
            "referral_source": "doctor",
            "insurance_payer": "Acme Health",
            "insurance_member_id": "XZ123",
        }
        assert services.share_submission(submission, details) is True
        # What the caller holds is what was stored, without a second read.
        assert submission.callback_requested and submission.contact_consent
        assert submission.contact_phone == "+15025550142"
        first_at = submission.shared_at
        again = Submission.objects.get(pk=submission.pk)
        replay = {**details, "contact_phone": "+15025550100"}
        assert services.share_submission(again, replay) is False
    finally:
        submission_shared.disconnect(receiver)
    assert sent == [(submission.pk, True)]  # once, inside the transaction
    again.refresh_from_db()
    assert again.shared_at == again.callback_requested_at == again.contact_consent_at == first_at
    assert (again.contact_name, again.contact_phone, again.best_time) == (
        "Jordan",
        "+15025550142",
        "after 5 pm",
    )
    assert (again.referral_source, again.insurance_payer, again.insurance_member_id) == (
        "doctor",
        "Acme Health",
        "XZ123",
    )
    assert Submission.objects.shared().get() == again
