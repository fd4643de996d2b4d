"""Row-level behaviour of a Submission: its token, its link's expiry, the queue order."""

from datetime import timedelta

import pytest
from django.db import IntegrityError
from django.utils import timezone

from assessment.models import Submission, new_token

pytestmark = pytest.mark.django_db


def make(**fields):
    defaults = {"submit_key": new_token(), "level": "IOP", "ruleset_version": "test"}
    return Submission.objects.create(**{**defaults, **fields})


def test_tokens_are_long_random_and_unique():
    tokens = {new_token() for _ in range(200)}
    assert len(tokens) == 200
    assert all(len(token) >= 32 for token in tokens)


def test_result_url_uses_the_token():
    submission = make()
    assert submission.get_absolute_url() == f"/assessment/r/{submission.token}/"


def test_link_expires_after_the_configured_days(settings):
    settings.RESULT_LINK_DAYS = 30
    fresh = make()
    assert not fresh.is_expired
    old = make(created_at=timezone.now() - timedelta(days=30, seconds=1))
    assert old.is_expired
    assert old.expires_at == old.created_at + timedelta(days=30)


def test_submit_key_is_unique():
    make(submit_key="same")
    with pytest.raises(IntegrityError):
        make(submit_key="same")


def test_queue_puts_urgent_first_then_newest():
    old_urgent = make(urgent=True, created_at=timezone.now() - timedelta(days=2))
    new_plain = make()
    new_urgent = make(urgent=True)
    assert list(Submission.objects.queue_order()) == [new_urgent, old_urgent, new_plain]


def test_contact_details_are_empty_until_asked():
    submission = make()
    assert submission.callback_requested is False
    assert (submission.contact_phone, submission.contact_email, submission.contact_name) == (
        "",
        "",
        "",
    )
