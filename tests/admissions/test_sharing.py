"""Sharing is the person's choice (issue 10): staff see a run only once it is shared.

An unshared submission has no case, no queue row, no page (404), is left out of exports,
search, the dashboard and the reports, and writes no urgent notice; sharing it opens its case
and writes the notice in the same transaction."""

import pytest
from django.core import mail

from admissions import dashboard, notify
from admissions.models import AuditEvent, Case
from iop_finder.outbox.models import OutboxEmail
from tests.admissions.factories import SubmissionFactory, emergency_reachable, with_callback
from tests.admissions.sharing import share

pytestmark = pytest.mark.django_db

QUEUE = "/admin/assessment/submission/"


@pytest.fixture
def oncall(settings):
    settings.ADMISSIONS_ONCALL_EMAIL = "oncall@clinic.example"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    return settings


def test_an_unshared_submission_is_invisible_to_staff(coordinator_client, lead_client, oncall):
    hidden = emergency_reachable(shared=False, contact_name="Hidden Person")
    seen = with_callback()
    assert not Case.objects.filter(pk=hidden.pk).exists()
    assert not OutboxEmail.objects.filter(key=notify.notice_key(hidden.pk)).exists()

    queue = coordinator_client.get(QUEUE).content.decode()
    assert hidden.token[:8] not in queue and seen.token[:8] in queue
    for query in ("Hidden", "502-555-0142", "jordan@example.org", hidden.token[:8]):
        html = coordinator_client.get(QUEUE, {"q": query}).content.decode()
        assert f'adm-ref">{hidden.token[:8]}<' not in html, query

    for client in (coordinator_client, lead_client):
        assert client.get(f"{QUEUE}{hidden.pk}/change/").status_code == 404
        assert client.get(f"{QUEUE}{hidden.pk}/history/").status_code == 404
    assert not AuditEvent.objects.filter(submission_id=hidden.pk).exists()

    for action in ("export_csv", "export_fhir"):
        response = coordinator_client.post(
            QUEUE, {"action": action, "_selected_action": [hidden.pk, seen.pk]}
        )
        body = response.content.decode()
        assert response.status_code == 200
        assert f"{seen.pk}" in body and hidden.token[:8] not in body
        assert f"submission-{hidden.pk}" not in body and "Hidden Person" not in body

    data = dashboard.summary()
    assert data["new_today"] == 1
    assert data["urgent_open"] == 0


def test_sharing_opens_the_case_and_writes_the_notice_once(coordinator_client, oncall):
    submission = emergency_reachable(shared=False)
    share(submission)
    case = Case.objects.get(pk=submission.pk)
    assert case.priority == Case.Priority.EMERGENCY
    assert case.phone_digits == "5025550142"
    assert OutboxEmail.objects.filter(key=notify.notice_key(submission.pk)).count() == 1
    share(submission)  # a second share changes nothing
    assert Case.objects.filter(pk=submission.pk).count() == 1
    assert OutboxEmail.objects.filter(key=notify.notice_key(submission.pk)).count() == 1
    assert mail.outbox == []  # sent by the worker, never in the request
    assert coordinator_client.get(f"{QUEUE}{submission.pk}/change/").status_code == 200


def test_the_case_takes_the_referral_source_the_person_gave():
    submission = SubmissionFactory(
        shared=False, referral_source="other", referral_source_other="A poster at the library"
    )
    share(submission)
    case = Case.objects.get(pk=submission.pk)
    assert (case.referral_source, case.referral_source_other) == (
        "other",
        "A poster at the library",
    )


def test_the_view_on_site_shortcut_does_not_open_an_unshared_run(coordinator_client):
    from django.contrib.contenttypes.models import ContentType

    from assessment.models import Submission

    hidden = SubmissionFactory(shared=False)
    ct = ContentType.objects.get_for_model(Submission).pk
    response = coordinator_client.get(f"/admin/r/{ct}/{hidden.pk}/")
    assert response.status_code == 404
    assert hidden.token not in response.get("Location", "")
    assert not AuditEvent.objects.filter(submission_id=hidden.pk).exists()


def test_closing_an_emergency_from_the_queue_drops_it_from_the_top(coordinator_client):
    first = emergency_reachable()
    newest = SubmissionFactory()
    coordinator_client.post(QUEUE, {"action": "set_status_closed", "_selected_action": [first.pk]})
    case = Case.objects.get(pk=first.pk)
    assert (case.status, case.priority) == ("closed", Case.Priority.ROUTINE)
    html = coordinator_client.get(QUEUE).content.decode()
    assert html.index(newest.token[:8]) < html.index(first.token[:8])


def test_a_call_back_asked_after_sharing_refreshes_the_case_when_the_signal_comes_again():
    from django.utils import timezone

    submission = SubmissionFactory(level="EMERGENCY", urgent=True, shared=False)
    share(submission)
    case = Case.objects.get(pk=submission.pk)
    assert case.no_contact and case.priority == Case.Priority.ROUTINE
    for name, value in {
        "callback_requested": True,
        "contact_consent": True,
        "contact_consent_at": timezone.now(),
        "contact_phone": "(502) 555-0142",
        "referral_source": "search",
    }.items():
        setattr(submission, name, value)
    submission.save()
    share(submission)  # the share flow sends submission_shared again
    case.refresh_from_db()
    assert not case.no_contact and case.priority == Case.Priority.EMERGENCY
    assert (case.phone_digits, case.referral_source) == ("5025550142", "search")
    assert Case.objects.count() == 1
