"""The follow-up digest: one outbox e-mail per owner per day, nothing personal in it."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.utils import timezone

from admissions import digest
from iop_finder.outbox.models import OutboxEmail
from tests.admissions.factories import SubmissionFactory, staff_user, with_callback

pytestmark = pytest.mark.django_db


def test_one_digest_per_owner_per_day_with_references_only(coordinator, lead, settings):
    settings.SITE_URL = "https://iop.example.org"
    now = timezone.now()
    soon = min(now + dt.timedelta(minutes=20), digest.pipeline.end_of_today(now))
    mine = with_callback(
        owner=coordinator, next_follow_up_at=soon, follow_up_reason="Ask about her son"
    )
    late = SubmissionFactory(owner=coordinator, next_follow_up_at=now - dt.timedelta(hours=2))
    SubmissionFactory(owner=coordinator, next_follow_up_at=now + dt.timedelta(days=3))
    SubmissionFactory(owner=coordinator, status="closed", next_follow_up_at=now)
    SubmissionFactory(owner=lead, next_follow_up_at=now - dt.timedelta(minutes=5))
    SubmissionFactory(next_follow_up_at=now)  # nobody's: no digest
    gone = staff_user("gone", is_active=False)
    SubmissionFactory(owner=gone, next_follow_up_at=now)

    call_command("send_follow_up_digest", stdout=open("/dev/null", "w"))  # noqa: SIM115
    call_command("send_follow_up_digest", stdout=open("/dev/null", "w"))  # noqa: SIM115
    emails = {tuple(e.to): e for e in OutboxEmail.objects.filter(kind=digest.KIND)}
    assert set(emails) == {(coordinator.email,), (lead.email,)}
    body = emails[(coordinator.email,)].body
    assert body.index(late.token[:8]) < body.index(mine.token[:8])  # earliest first
    assert "(overdue)" in body
    assert f"https://iop.example.org/admin/assessment/submission/{mine.pk}/change/" in body
    for private in ("Jordan", "555-0142", "jordan@example.org", "Ask about her son"):
        assert private not in body
    assert emails[(coordinator.email,)].key == digest.digest_key(
        coordinator.pk, timezone.localdate()
    )


def test_the_task_queues_the_same_digests(coordinator, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    from admissions.tasks import send_follow_up_digest

    SubmissionFactory(owner=coordinator, next_follow_up_at=timezone.now())
    result = send_follow_up_digest.enqueue()
    assert result.return_value == 1
    assert OutboxEmail.objects.filter(kind=digest.KIND).count() == 1
