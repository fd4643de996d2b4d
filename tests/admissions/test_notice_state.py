"""What staff see of the urgent notice: its state on the submission page, and an alarm on the
admin home when a notice is not sent 15 minutes after it was written."""

import datetime as dt

import pytest
from django.db import transaction
from django.utils import timezone

from admissions import notify
from iop_finder.outbox.models import OutboxEmail
from tests.admissions.factories import SubmissionFactory, emergency

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _oncall(settings):
    settings.ADMISSIONS_ONCALL_EMAIL = "oncall@clinic.example"
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def written(submission, **changes):
    with transaction.atomic():
        email = notify.queue_urgent_notice(submission)
    OutboxEmail.objects.filter(pk=email.pk).update(**changes)
    return email


def page(client, submission):
    return client.get(f"/admin/assessment/submission/{submission.pk}/change/").content.decode()


def test_the_submission_page_says_the_notice_is_waiting(coordinator_client):
    submission = emergency()
    written(submission)
    html = page(coordinator_client, submission)
    assert "Urgent notice waiting to be sent" in html
    assert "Alarm:" not in html


def test_the_submission_page_says_the_notice_is_failing_after_n_tries(coordinator_client):
    submission = emergency()
    written(submission, attempts=4, last_error="ConnectionRefusedError")
    html = page(coordinator_client, submission)
    assert "Urgent notice not sent yet: the mail server is failing" in html
    assert "4 tries so far; last error: ConnectionRefusedError." in html


def test_the_submission_page_says_when_the_notice_was_sent(coordinator_client):
    submission = emergency()
    written(submission, status="sent", sent_at=timezone.now())
    html = page(coordinator_client, submission)
    assert "Urgent notice sent" in html and "Accepted by the mail server at" in html


def test_a_routine_submission_shows_no_notice(coordinator_client):
    assert "adm-notice" not in page(coordinator_client, SubmissionFactory())


def test_a_notice_failing_for_15_minutes_is_an_alarm_on_the_admin_home(coordinator_client):
    fresh, stuck, sent = emergency(), emergency(), emergency()
    written(fresh, attempts=1, last_error="TimeoutError")
    written(
        stuck,
        attempts=6,
        last_error="ConnectionRefusedError",
        created_at=timezone.now() - dt.timedelta(minutes=16),
    )
    written(sent, status="sent", created_at=timezone.now() - dt.timedelta(hours=2))
    html = coordinator_client.get("/admin/").content.decode()
    assert "Alarm: 1 urgent notice not sent after 15 minutes" in html
    alarm = html.split('class="adm-alarm"')[1].split("</div>")[0]
    assert f"/admin/assessment/submission/{stuck.pk}/change/" in alarm
    assert "6 tries" in alarm and "ConnectionRefusedError" in alarm
    assert f"/submission/{fresh.pk}/" not in alarm and f"/submission/{sent.pk}/" not in alarm
    assert "alarm" in page(coordinator_client, stuck).lower()


def test_no_alarm_when_every_notice_went_out(coordinator_client):
    written(emergency(), status="sent", created_at=timezone.now() - dt.timedelta(hours=1))
    html = coordinator_client.get("/admin/").content.decode()
    assert 'class="adm-alarm"' not in html
