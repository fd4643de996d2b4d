"""One person, one record: a new shared run with the phone or e-mail of an open case from the
last 30 days is linked to it as "returning"; staff can unlink or merge, and both are audited."""

import datetime as dt

import pytest
from django.utils import timezone

from admissions.models import AuditEvent, Case
from tests.admissions.factories import SubmissionFactory, with_callback

pytestmark = pytest.mark.django_db

QUEUE = "/admin/assessment/submission/"


def page_url(submission):
    return f"{QUEUE}{submission.pk}/change/"


def test_same_phone_written_differently_or_same_email_is_returning(coordinator_client):
    first = with_callback(contact_phone="(502) 555-0142", contact_email="a@example.org")
    again = with_callback(contact_phone="+1 502-555-0142", contact_email="other@example.org")
    by_email = with_callback(contact_phone="", contact_email=" A@Example.org ")
    stranger = with_callback(contact_phone="502-555-0199", contact_email="b@example.org")
    cases = {s: Case.objects.get(pk=s.pk) for s in (first, again, by_email, stranger)}
    assert cases[first].returning_of is None
    assert cases[again].returning_of_id == first.pk
    assert cases[by_email].returning_of_id == first.pk
    assert cases[stranger].returning_of is None
    assert AuditEvent.objects.filter(action="linked_returning").count() == 2
    queue = coordinator_client.get(QUEUE).content.decode()
    assert queue.count('class="adm-returning"') == 2
    page = coordinator_client.get(page_url(again)).content.decode()
    assert f'href="{page_url(first)}"' in page and "Same person" in page


def test_closed_or_older_than_30_days_is_not_linked():
    old = with_callback(created_at=timezone.now() - dt.timedelta(days=31))
    closed = with_callback(status="closed", contact_phone="502-555-0177")
    again_old = with_callback()
    again_closed = with_callback(contact_phone="502-555-0177", contact_email="z@example.org")
    assert Case.objects.get(pk=again_old.pk).returning_of is None
    assert Case.objects.get(pk=again_closed.pk).returning_of is None
    assert old and closed


def test_no_contact_details_never_link():
    SubmissionFactory()
    assert Case.objects.get(pk=SubmissionFactory().pk).returning_of is None


def test_unlink_and_merge_are_audited(coordinator_client, coordinator):
    first = with_callback()
    second, third = with_callback(), with_callback()
    response = coordinator_client.post(
        page_url(second), {"status": "new", "_unlink_returning": "1"}
    )
    assert response.status_code == 302 and response["Location"] == page_url(second)
    assert Case.objects.get(pk=second.pk).returning_of is None
    event = AuditEvent.objects.get(action="unlinked")
    assert (event.actor, event.submission_id) == (coordinator, second.pk)

    coordinator_client.post(page_url(third), {"status": "new", "_merge_returning": "1"})
    case = Case.objects.get(pk=third.pk)
    assert (case.merged_into_id, case.status) == (first.pk, "closed")
    assert AuditEvent.objects.filter(action="merged", submission_id=third.pk).exists()
    page = coordinator_client.get(page_url(third)).content.decode()
    assert "Merged into" in page
