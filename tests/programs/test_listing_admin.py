"""The directory editors' side of freshness in the admin: send links, the review list as a diff
with approve and refuse, the problem-report queue, revoking links, the stale listings report.
A member of the Directory editors role uses them without further permissions; admissions staff
never see them."""

import datetime as dt

import pytest
from django.apps import apps
from django.test import Client
from django.utils import timezone

from admissions import roles
from iop_finder.outbox.models import OutboxEmail
from programs import listing
from programs.models import ListingChange, ListingLink, ListingReport
from tests.admissions.factories import staff_user
from tests.programs.factories import ProgramFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor():
    roles.ensure_roles(apps)
    user = staff_user("dana", roles.DIRECTORY_EDITORS)
    client = Client()
    client.force_login(user)
    client.user = user
    return client


def action(client, url, name, rows):
    return client.post(
        url, {"action": name, "_selected_action": [row.pk for row in rows]}, follow=True
    )


def test_an_editor_sends_links_from_the_program_list(editor):
    with_contact = ProgramFactory(listing_email="intake@a.example")
    without = ProgramFactory(name="No Contact IOP", listing_email="")
    response = action(
        editor, "/admin/programs/program/", "send_listing_links", [with_contact, without]
    )
    page = response.content.decode()
    assert "1 link will be e-mailed to its listing contact." in page
    assert "No Contact IOP has no listing contact e-mail." in page
    link = ListingLink.objects.get()
    assert (link.program, link.created_by) == (with_contact, "dana")
    assert OutboxEmail.objects.get().to == ["intake@a.example"]


def test_the_review_list_shows_a_diff_and_the_editor_approves_or_refuses(editor):
    program = ProgramFactory(intake_phone="502-555-0199")
    first = ListingChange.objects.create(
        program=program,
        submitted_by="listing contact x@a.example",
        changes={"intake_phone": ["502-555-0199", "502-555-0123"]},
        status=ListingChange.Status.PENDING,
    )
    second = ListingChange.objects.create(
        program=program,
        submitted_by="listing contact x@a.example",
        changes={"insurers": ["", "Anthem"]},
        status=ListingChange.Status.PENDING,
    )
    page = editor.get(f"/admin/programs/listingchange/{first.pk}/change/").content.decode()
    assert "<del>502-555-0199</del>" in page and "<ins>502-555-0123</ins>" in page

    action(editor, "/admin/programs/listingchange/", "approve", [first])
    action(editor, "/admin/programs/listingchange/", "refuse", [second])
    program.refresh_from_db()
    assert program.intake_phone == "502-555-0123" and program.insurers == ""
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, first.decided_by) == ("approved", editor.user)
    assert (second.status, second.decided_by) == ("refused", editor.user)
    assert second.decided_at is not None


def test_the_report_queue_closes_reports_and_lifts_the_mark(editor):
    program = ProgramFactory()
    for _ in range(3):
        listing.report_problem(program, "closed", "Sign on the door says closed.")
    program.refresh_from_db()
    assert program.reported_kind == "closed"
    page = editor.get("/admin/programs/listingreport/?status__exact=new").content.decode()
    assert "The program has closed" in page
    action(
        editor, "/admin/programs/listingreport/", "mark_not_a_problem", ListingReport.objects.all()
    )
    program.refresh_from_db()
    assert program.reported_kind == ""
    assert set(ListingReport.objects.values_list("status", flat=True)) == {"not_a_problem"}


def test_an_editor_revokes_a_link(editor):
    link = listing.send_link(ProgramFactory(listing_email="a@a.example"), by="dana")
    action(editor, "/admin/programs/listinglink/", "revoke_links", [link])
    link.refresh_from_db()
    assert link.revoked_at is not None


def test_the_stale_report_lists_old_listings_with_contact_and_last_request(editor):
    old = ProgramFactory(
        name="Old Listing IOP", listing_email="old@a.example", last_verified=dt.date(2025, 1, 1)
    )
    ProgramFactory(name="Fresh Listing IOP", last_verified=timezone.localdate())
    ProgramFactory(name="Never Listing IOP", last_verified=None)
    listing.send_link(old, by="dana")
    page = editor.get("/admin/programs/staleListing/".lower()).content.decode()
    assert "Old Listing IOP" in page and "Never Listing IOP" in page
    assert "Fresh Listing IOP" not in page
    assert "old@a.example" in page
    assert timezone.localdate().strftime("%Y") in page  # the last link's date


def test_admissions_staff_do_not_see_the_directory_pages():
    roles.ensure_roles(apps)
    client = Client()
    client.force_login(staff_user("casey", roles.ADMISSIONS))
    for name in ("listingchange", "listingreport", "listinglink", "stalelisting"):
        assert client.get(f"/admin/programs/{name}/").status_code == 403
