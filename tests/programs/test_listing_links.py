"""Listing update links: signing, expiry, revocation, single-program scope, the confirmed
listing's timestamp, availability live at once, other changes to the review list (a diff,
approved or refused), the e-mail through the outbox, and the weekly command."""

import datetime as dt
import re

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from iop_finder.outbox.models import OutboxEmail
from programs import listing
from programs.models import ListingChange, ListingLink, Program
from tests.programs.factories import ProgramFactory, SessionFactory
from tests.support.rate_window import one_window

pytestmark = pytest.mark.django_db


@pytest.fixture
def program():
    program = ProgramFactory(
        name="Riverside Evening IOP",
        listing_email="intake@riverside.example",
        last_verified=dt.date(2025, 1, 10),
        payment=["medicaid", "private"],
    )
    SessionFactory(program=program, weekday=0, start=dt.time(18), end=dt.time(21))
    return program


def link_url(link):
    return listing.link_path(link)


def form_data(program, **changes):
    data = {
        "accepting_new_patients": "yes",
        "next_intake": "",
        "wait_days": "",
        "sessions": "Mon 18:00-21:00",
        "payment": list(program.payment),
        "insurers": program.insurers,
        "intake_phone": program.intake_phone,
    }
    data.update(changes)
    return data


def test_sending_a_link_writes_the_row_and_an_outbox_email_with_the_signed_url(program, settings):
    settings.SITE_URL = "https://finder.example"
    link = listing.send_link(program, by="editor")
    email = OutboxEmail.objects.get(kind="listing_update_link")
    assert email.to == ["intake@riverside.example"]
    assert "Riverside Evening IOP" in email.subject
    url = re.search(r"https://finder\.example/programs/\S+", email.body).group(0)
    assert url == "https://finder.example" + link_url(link)
    assert link.expires_at - link.created_at == dt.timedelta(days=30)


def test_no_contact_or_a_link_this_week_means_no_second_link(program):
    listing.send_link(program, by="editor")
    with pytest.raises(listing.CannotSend, match="last 7 days"):
        listing.send_link(program, by="editor")
    with pytest.raises(listing.CannotSend, match="no listing contact"):
        listing.send_link(ProgramFactory(listing_email=""), by="editor")
    assert OutboxEmail.objects.count() == 1


def test_a_revoked_link_does_not_count_toward_the_week(program):
    listing.revoke(ListingLink.objects.filter(pk=listing.send_link(program, by="e").pk))
    listing.send_link(program, by="editor")
    assert ListingLink.objects.count() == 2


def test_the_link_opens_the_page_for_its_program_only(client, program):
    link = listing.send_link(program, by="editor")
    response = client.get(link_url(link))
    assert response.status_code == 200
    assert "Check your listing: Riverside Evening IOP" in response.content.decode()
    assert response["Cache-Control"] == "private, no-store"

    other = ProgramFactory(listing_email="x@other.example")
    token = listing.link_token(link)
    response = client.get(reverse("programs:listing_update", args=[other.slug, token]))
    assert response.status_code == 403
    assert "not one we sent" in response.content.decode()


def test_a_tampered_token_is_refused(client, program):
    link = listing.send_link(program, by="editor")
    response = client.get(link_url(link)[:-3] + "abc/")
    assert response.status_code == 403


def test_an_expired_link_is_refused_kindly(client, program):
    link = listing.send_link(program, by="editor")
    ListingLink.objects.filter(pk=link.pk).update(expires_at=timezone.now())
    response = client.get(link_url(link))
    assert response.status_code == 410
    assert "This link has expired" in response.content.decode()
    assert "Nothing has been changed" in response.content.decode()


def test_a_link_is_refused_after_its_days(program):
    link = listing.send_link(program, by="editor")
    token = listing.link_token(link)
    almost = timezone.now() + dt.timedelta(days=29, hours=23)
    assert listing.check_link(program, token, now=almost).problem == ""
    later = timezone.now() + dt.timedelta(days=30)
    assert listing.check_link(program, token, now=later).problem == "expired"


def test_the_signature_itself_expires(program, monkeypatch):
    link = listing.send_link(program, by="editor")
    token = listing.link_token(link)
    real_time = listing.signing.time.time
    monkeypatch.setattr(listing.signing.time, "time", lambda: real_time() + 31 * 86400)
    assert listing.check_link(program, token).problem == "expired"


def test_a_revoked_link_is_refused(client, program):
    link = listing.send_link(program, by="editor")
    assert listing.revoke(ListingLink.objects.all()) == 1
    response = client.get(link_url(link))
    assert response.status_code == 410
    assert "cancelled by our directory editors" in response.content.decode()


def test_confirming_stamps_last_verified_with_who_and_when_and_uses_the_link(client, program):
    link = listing.send_link(program, by="editor")
    response = client.post(link_url(link), form_data(program))
    assert response.status_code == 302
    assert response["Location"] == reverse("programs:listing_thanks", args=[program.slug])
    program.refresh_from_db()
    assert program.last_verified == timezone.localdate()
    assert program.last_verified_by == "listing contact intake@riverside.example"
    change = ListingChange.objects.get()
    assert change.status == ListingChange.Status.CONFIRMED and change.changes == {}

    again = client.get(link_url(link))
    assert again.status_code == 410
    assert "already been used" in again.content.decode()
    assert client.post(link_url(link), form_data(program)).status_code == 410


def test_availability_goes_live_at_once_and_the_rest_waits_for_review(client, program):
    link = listing.send_link(program, by="editor")
    data = form_data(
        program,
        accepting_new_patients="no",
        wait_days="21",
        sessions="Mon 18:00-21:00\nThu 18:00-21:00 Evening track",
        intake_phone="502-555-0123",
    )
    response = client.post(link_url(link), data)
    assert response["Location"].endswith("?review=1")
    program.refresh_from_db()
    assert program.accepting_new_patients is False
    assert program.wait_days == 21
    assert program.intake_phone == "502-555-0199"  # not yet
    assert program.sessions.count() == 1
    applied = ListingChange.objects.get(status=ListingChange.Status.APPLIED)
    assert applied.changes == {"accepting_new_patients": [True, False], "wait_days": [None, 21]}
    pending = ListingChange.objects.get(status=ListingChange.Status.PENDING)
    assert pending.changes == {
        "sessions": ["Mon 18:00-21:00", "Mon 18:00-21:00\nThu 18:00-21:00 Evening track"],
        "intake_phone": ["502-555-0199", "502-555-0123"],
    }


def test_a_bad_value_is_explained_and_nothing_is_lost(client, program):
    link = listing.send_link(program, by="editor")
    data = form_data(program, sessions="Mon 9pm to late", wait_days="21", insurers="Anthem")
    response = client.post(link_url(link), data)
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page
    assert "Line 1 (“Mon 9pm to late”)" in page
    assert 'value="21"' in page and 'value="Anthem"' in page and "Mon 9pm to late" in page
    assert ListingLink.objects.get().used_at is None


def _pending(client, program):
    link = listing.send_link(program, by="editor")
    data = form_data(
        program, sessions="Tue 09:00-12:00 Morning", intake_phone="502-555-0123", payment=["free"]
    )
    client.post(link_url(link), data)
    return ListingChange.objects.get(status=ListingChange.Status.PENDING)


def test_approving_applies_the_change_and_records_who_and_when(client, program):
    change = _pending(client, program)
    editor = get_user_model().objects.create_user("dana")
    assert listing.decide(change, True, editor)
    program.refresh_from_db()
    assert program.intake_phone == "502-555-0123"
    assert program.payment == ["free"]
    assert [str(s) for s in program.sessions.all()] == ["Tuesday 09:00-12:00"]
    change.refresh_from_db()
    assert change.status == ListingChange.Status.APPROVED
    assert change.decided_by == editor and change.decided_at is not None
    assert not listing.decide(change, False, editor)  # decided once


def test_refusing_leaves_the_listing_and_records_who_and_when(client, program):
    change = _pending(client, program)
    editor = get_user_model().objects.create_user("dana")
    assert listing.decide(change, False, editor)
    program.refresh_from_db()
    assert program.intake_phone == "502-555-0199"
    change.refresh_from_db()
    assert change.status == ListingChange.Status.REFUSED and change.decided_by == editor


@override_settings(RATE_LIMITS={"listing_update": 2})
def test_the_update_page_is_rate_limited(client, program, monkeypatch):
    one_window(monkeypatch)
    link = listing.send_link(program, by="editor")
    assert client.get(link_url(link)).status_code == 200
    assert client.get(link_url(link)).status_code == 200
    assert client.get(link_url(link)).status_code == 429


def test_the_command_sends_links_to_old_listings_once_a_week(program, capsys):
    fresh = ProgramFactory(listing_email="a@fresh.example", last_verified=timezone.localdate())
    never = ProgramFactory(listing_email="b@never.example", last_verified=None)
    ProgramFactory(listing_email="", last_verified=None)  # no contact: nothing to send
    call_command("request_listing_updates", "--older-than", "90", "--dry-run")
    assert "2 program(s) would be sent a link (dry run)." in capsys.readouterr().out
    assert not ListingLink.objects.exists() and not OutboxEmail.objects.exists()

    call_command("request_listing_updates", "--older-than", "90")
    assert "2 link(s) written to the outbox." in capsys.readouterr().out
    assert set(ListingLink.objects.values_list("program", flat=True)) == {program.pk, never.pk}
    assert OutboxEmail.objects.count() == 2

    call_command("request_listing_updates", "--older-than", "90")
    assert "0 link(s)" in capsys.readouterr().out
    ListingLink.objects.update(created_at=timezone.now() - dt.timedelta(days=8))
    call_command("request_listing_updates", "--older-than", "90")
    assert "2 link(s)" in capsys.readouterr().out
    assert not fresh.listing_links.exists()
    assert Program.objects.count() == 4
