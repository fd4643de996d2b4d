"""The address a person types for "Email me a link" is used to send and not kept (the page says
so): the outbox row is marked to forget its address and body once the mail server accepted it
(tests/core/test_outbox.py shows the blanking itself)."""

import pytest

from assessment.models import Submission
from iop_finder.outbox.models import OutboxEmail
from tests.support.wizard_walk import walk

pytestmark = pytest.mark.django_db


def test_both_link_emails_forget_the_address_once_sent(client):
    walk(client, {"phq9_1": 2, "phq9_2": 1}, until="substances")
    client.post("/assessment/step/substances/email-link/", {"email": "me@example.org"})
    walk(client)
    token = Submission.objects.get().token
    client.post(f"/assessment/r/{token}/email-link/", {"email": "me@example.org"})
    kinds = dict(OutboxEmail.objects.values_list("kind", "forget_when_sent"))
    assert kinds == {"assessment_resume_link": True, "assessment_result_link": True}
