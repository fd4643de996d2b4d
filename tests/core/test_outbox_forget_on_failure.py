"""A link e-mail that is finally given up forgets the typed address too (issue 10's privacy rule:
the address a person typed only to receive a link is never kept once nobody will send it)."""

import pytest
from django.utils import timezone

from iop_finder import outbox
from iop_finder.outbox.models import OutboxEmail
from iop_finder.outbox.tasks import send_outbox_email
from tests.core.mailservers import use_real_smtp


@pytest.fixture
def smtp(settings):
    return use_real_smtp(settings)  # no server listens: every attempt fails


def _give_up(email):
    assert send_outbox_email.call(email.pk) == "retry"
    OutboxEmail.objects.filter(pk=email.pk).update(next_attempt_at=timezone.now())
    assert send_outbox_email.call(email.pk) == "failed"
    email.refresh_from_db()


@pytest.mark.django_db
def test_a_given_up_link_email_keeps_neither_address_nor_body(smtp):
    email = outbox.enqueue_email(
        kind="resume_link",
        subject="Your link",
        body="https://x/r/secret",
        to=["me@example.org"],
        max_attempts=2,
        forget_when_sent=True,
    )
    email.refresh_from_db()
    assert email.to == ["me@example.org"]  # kept while it may still be sent
    _give_up(email)
    assert (email.status, email.to, email.body) == ("failed", [], "")
    assert email.last_error  # staff still see that it failed, and why (the error's class)


@pytest.mark.django_db
def test_a_given_up_staff_notice_keeps_its_address_for_the_staff_to_see(smtp):
    email = outbox.enqueue_email(
        kind="notice", subject="S", body="B", to=["oncall@x.org"], max_attempts=2
    )
    _give_up(email)
    assert (email.status, email.to, email.body) == ("failed", ["oncall@x.org"], "B")
