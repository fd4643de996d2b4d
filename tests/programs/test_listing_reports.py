""" "Report a problem with this listing": no account, CSRF, rate limited, a queue for editors
(new, fixed, not a problem); three open reports of one kind mark the listing until an editor acts."""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client, override_settings
from django.urls import reverse

from programs import listing
from programs.models import ListingReport, Program
from tests.programs.factories import ProgramFactory
from tests.support.rate_window import one_window

pytestmark = pytest.mark.django_db


def report_url(program):
    return reverse("programs:report", args=[program.slug])


def test_the_program_page_links_to_the_report_form(client):
    program = ProgramFactory()
    page = client.get(program.get_absolute_url()).content.decode()
    assert f'href="{report_url(program)}">Report a problem with this listing</a>' in page


def test_a_report_is_stored_as_new_and_the_person_is_thanked(client):
    program = ProgramFactory()
    response = client.post(
        report_url(program),
        {"kind": "wrong_phone", "details": "It rings a pizza shop."},
        follow=True,
    )
    assert "your report went to our directory editors" in response.content.decode()
    report = ListingReport.objects.get()
    assert (report.program, report.kind, report.status) == (program, "wrong_phone", "new")
    assert report.details == "It rings a pizza shop." and report.email == ""


def test_a_bad_report_is_explained_and_keeps_what_was_typed(client):
    program = ProgramFactory()
    response = client.post(report_url(program), {"kind": "other", "email": "not-an-address"})
    page = response.content.decode()
    assert response.status_code == 200 and "There is a problem" in page
    assert "Tell us what is wrong, in a few words." in page
    assert 'value="not-an-address"' in page
    assert not ListingReport.objects.exists()


def test_the_report_form_needs_the_csrf_token():
    program = ProgramFactory()
    strict = Client(enforce_csrf_checks=True)
    assert strict.post(report_url(program), {"kind": "closed"}).status_code == 403
    assert not ListingReport.objects.exists()


@override_settings(RATE_LIMITS={"listing_report": 2})
def test_reports_are_rate_limited(client, monkeypatch):
    one_window(monkeypatch)
    program = ProgramFactory()
    for _ in range(2):
        client.post(report_url(program), {"kind": "closed"})
    assert client.post(report_url(program), {"kind": "closed"}).status_code == 429
    assert ListingReport.objects.count() == 2


def test_three_open_reports_of_one_kind_mark_the_listing_until_an_editor_acts(client):
    program = ProgramFactory(name="Riverside Evening IOP")
    for kind in ("wrong_phone", "wrong_phone", "closed", "closed"):
        listing.report_problem(program, kind)
    program.refresh_from_db()
    assert program.reported_kind == ""
    listing.report_problem(program, "wrong_phone")
    program.refresh_from_db()
    assert program.reported_kind == "wrong_phone"
    assert (
        "Reported: may be out of date." in client.get(program.get_absolute_url()).content.decode()
    )
    search = client.get(reverse("programs:search"), {"zip": "40202"}).content.decode()
    assert "Reported: may be out of date." in search

    editor = get_user_model().objects.create_user("dana")
    reports = ListingReport.objects.filter(kind="wrong_phone")
    assert listing.decide_reports(reports, ListingReport.Status.FIXED, editor) == 3
    assert Program.objects.get(pk=program.pk).reported_kind == ""
    assert set(reports.values_list("status", "decided_by")) == {("fixed", editor.pk)}
    assert ListingReport.objects.filter(status="new").count() == 2
