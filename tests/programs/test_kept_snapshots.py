"""Kept program snapshots (``programs.snapshot``): a repeat search, API call or program page
costs one query, and every way what a listing shows can change shows up at once: the program
itself, its provider, its site, its sessions (saved, deleted, replaced), the importer,
problem reports, the admin's bulk action, a listing contact's update and an editor's approval,
a new day, the stale setting, the language, the distance and the search's own query string."""

import datetime as dt
import json
from io import StringIO
from pathlib import Path
from unittest import mock

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client, override_settings
from django.utils import timezone

from programs import listing, snapshot
from programs.demo import demo_data_present
from programs.models import Location, Program, Provider, Session
from tests.programs.factories import ProgramFactory, SessionFactory, add_sessions

pytestmark = pytest.mark.django_db

SEARCH = "/programs/"
API = "/api/programs/"
NEAR = {"zip": "40202"}


def shown(client, program, params=NEAR, prefix=""):
    """(search page, the program's API item, program page) as a person and a partner see them."""
    page = client.get(f"{prefix}{SEARCH}", params).content.decode()
    items = client.get(API, params).json()["results"]
    item = next((item for item in items if item["id"] == program.pk), None)
    detail = client.get(f"{prefix}/programs/{program.slug}/").content.decode()
    return page, item, detail


@pytest.fixture
def program():
    program = ProgramFactory(name="Riverside Evening IOP", provider__name="Riverbend Health")
    add_sessions(program, days=(0, 2))
    return program


@pytest.fixture
def warm(client, program):
    """The pages seen once, so their snapshot is kept."""
    shown(client, program)
    assert snapshot.size() == 1
    return client


def test_a_repeat_page_costs_one_query_and_a_cold_one_what_was_pinned(
    client, program, django_assert_num_queries
):
    demo_data_present()  # the banner flag is cached for a minute; warm it
    with django_assert_num_queries(3):
        client.get(SEARCH, NEAR)
    for url, params in ((SEARCH, NEAR), (API, NEAR), (f"/programs/{program.slug}/", {})):
        client.get(url, params)  # the program page keeps its body the first time
        with django_assert_num_queries(1):
            assert client.get(url, params).status_code == 200


def test_a_warm_page_is_the_same_page(client, program):
    first = shown(client, program)
    assert shown(client, program) == first


def test_a_program_edit_shows(warm, program):
    program.name = "Riverside Renamed IOP"
    program.save()
    page, item, detail = shown(warm, program)
    assert "Riverside Renamed IOP" in page and "Riverside Renamed IOP" in detail
    assert item["name"] == "Riverside Renamed IOP"


def test_a_provider_edit_shows(warm, program):
    provider = Provider.objects.get(pk=program.provider_id)
    provider.name = "Lakeside Health"
    provider.website = "https://lakeside.example"
    provider.save()
    page, item, detail = shown(warm, program)
    assert "Lakeside Health" in page and item["provider"] == "Lakeside Health"
    assert "Run by Lakeside Health" in detail and "https://lakeside.example" in detail


def test_a_provider_phone_edit_shows_on_the_program_page(warm, program):
    Program.objects.filter(pk=program.pk).update(
        intake_phone="", intake_url="", updated_at=timezone.now()
    )
    warm.get(f"/programs/{program.slug}/")
    Location.objects.filter(pk=program.location_id).update(phone="")
    Program.objects.filter(pk=program.pk).update(updated_at=timezone.now())
    assert "Call: 502-555-0100" in warm.get(f"/programs/{program.slug}/").content.decode()
    provider = Provider.objects.get(pk=program.provider_id)
    provider.phone = "502-555-0177"
    provider.save()
    assert "Call: 502-555-0177" in warm.get(f"/programs/{program.slug}/").content.decode()


def test_a_site_edit_shows(warm, program):
    site = Location.objects.get(pk=program.location_id)
    site.street = "9 New Street"
    site.city = "Jeffersontown"
    site.save()
    page, item, detail = shown(warm, program)
    assert "Jeffersontown, KY" in page and item["address"].startswith("9 New Street")
    assert "9 New Street" in detail


def test_a_deleted_site_shows(warm, program):
    Location.objects.filter(pk=program.location_id).delete()
    page, item, detail = shown(warm, program, params={})
    assert "Online only (telehealth)" in page and item["address"] is None
    assert "No street address: this program meets online." in detail


def test_a_session_added_changed_and_deleted_shows(warm, program):
    SessionFactory(program=program, weekday=4, start=dt.time(9), end=dt.time(12), track="Friday")
    page, item, detail = shown(warm, program)
    assert "(Friday)" in page and "Friday" in detail
    assert [s["day"] for s in item["sessions"]] == ["mon", "wed", "fri"]

    session = Session.objects.get(program=program, weekday=4)
    session.track = "Late week"
    session.save()
    page, item, detail = shown(warm, program)
    assert "(Late week)" in page and "Late week" in detail
    assert item["sessions"][-1]["track"] == "Late week"

    session.delete()
    page, item, detail = shown(warm, program)
    assert "Late week" not in page and "Late week" not in detail
    assert [s["day"] for s in item["sessions"]] == ["mon", "wed"]

    program.sessions.all().delete()
    page, item, detail = shown(warm, program)
    assert "Session times not listed: call to ask" in page and item["sessions"] == []
    assert "Session times are not listed. Call intake to ask." in detail


def test_three_reports_show_and_deciding_them_clears_the_mark(warm, program):
    for _index in range(3):
        listing.report_problem(program, kind="wrong_phone")
    page, item, detail = shown(warm, program)
    assert "Reported: may be out of date." in page and "Reported: may be out of date." in detail
    assert item["reported"] is True
    editor = get_user_model().objects.create_user("dana")
    listing.decide_reports(program.reports.all(), "fixed", editor)
    page, item, detail = shown(warm, program)
    assert "Reported: may be out of date." not in page and item["reported"] is False
    assert "Reported: may be out of date." not in detail


def test_the_admin_bulk_verification_shows(client, program):
    Program.objects.filter(pk=program.pk).update(
        last_verified=dt.date(2020, 1, 1), updated_at=timezone.now()
    )
    page, item, detail = shown(client, program)
    assert "Not confirmed since" in page and item["stale"] is True
    editor = get_user_model().objects.create_superuser("ed", "ed@example.org", "x" * 16)
    admin = Client()
    admin.force_login(editor)
    admin.post(
        "/admin/programs/program/",
        {"action": "mark_verified_today", "_selected_action": [program.pk]},
    )
    page, item, detail = shown(client, program)
    assert "Not confirmed since" not in page and item["stale"] is False
    assert "Last checked with the program on" in detail


def test_a_listing_contacts_update_and_an_approved_change_show(warm, program):
    program.listing_email = "intake@riverside.example"
    program.save()
    shown(warm, program)
    link = listing.send_link(program, by="editor")
    data = {
        "accepting_new_patients": "no",
        "next_intake": "",
        "wait_days": "21",
        "sessions": "Tue 09:00-12:00 Morning",
        "payment": list(program.payment),
        "insurers": program.insurers,
        "intake_phone": program.intake_phone,
    }
    Client().post(listing.link_path(link), data)
    page, item, detail = shown(warm, program)
    assert "Not taking new patients right now" in page and item["accepting_new_patients"] is False
    assert "Typical wait: about 21 days" in page and item["wait_days"] == 21
    assert "Not taking new patients right now." in detail

    change = program.listing_changes.get(status="pending")
    listing.decide(change, True, get_user_model().objects.create_user("dana"))
    page, item, detail = shown(warm, program)
    assert "(Morning)" in page and [s["day"] for s in item["sessions"]] == ["tue"]
    assert "Morning" in detail


def test_a_new_day_changes_the_freshness_and_wait_wording(warm, program):
    today = timezone.localdate()
    Program.objects.filter(pk=program.pk).update(
        last_verified=today - dt.timedelta(days=170),
        next_intake=today + dt.timedelta(days=3),
        updated_at=timezone.now(),
    )
    page, item, detail = shown(warm, program)
    assert "Not confirmed since" not in page and item["stale"] is False
    assert "Next intake:" in page and item["wait_days"] == 3
    later = today + dt.timedelta(days=20)
    with mock.patch("django.utils.timezone.localdate", return_value=later):
        page, item, detail = shown(warm, program)
    assert "Not confirmed since" in page and "Not confirmed since" in detail
    assert item["stale"] is True and item["wait_days"] is None
    assert "Next intake:" not in page and "Next intake:" not in detail


def test_the_stale_setting_is_part_of_the_key(warm, program):
    Program.objects.filter(pk=program.pk).update(
        last_verified=timezone.localdate() - dt.timedelta(days=60), updated_at=timezone.now()
    )
    assert "Not confirmed since" not in shown(warm, program)[0]
    with override_settings(LISTING_STALE_DAYS=30):
        page, item, detail = shown(warm, program)
    assert "Not confirmed since" in page and "Not confirmed since" in detail and item["stale"]


def test_each_language_has_its_own_words(warm, program):
    english = shown(warm, program)
    spanish = shown(warm, program, prefix="/es")
    assert "Taking new patients" in english[0] and "Taking new patients" not in spanish[0]
    assert 'lang="es"' in spanish[2] and "/es/programs/" in spanish[0]
    assert shown(warm, program) == english


def test_distance_and_the_search_query_are_the_pages_own(warm, program):
    near = warm.get(SEARCH, {"zip": "40202", "radius": "50"}).content.decode()
    far = warm.get(SEARCH, {"zip": "40507", "radius": "100"}).content.decode()
    assert "zip=40202&amp;radius=50" in near and "zip=40507&amp;radius=100" in far
    assert "zip=40202" not in far
    assert "less than a mile away" in near and "less than a mile away" not in far
    items = [warm.get(API, {"zip": z, "radius": "100"}).json()["results"][0] for z in NEAR_FAR]
    assert items[0]["distance_miles"] < 1 < items[1]["distance_miles"]
    detail = warm.get(f"/programs/{program.slug}/", {"zip": "40507"}).content.decode()
    assert "Distance from 40507:" in detail and "Back to your search results" in detail
    detail = warm.get(f"/programs/{program.slug}/").content.decode()
    assert "Distance from" not in detail and "Search all programs" in detail


NEAR_FAR = ("40202", "40507")


def test_the_next_session_times_follow_the_clock(warm, program):
    monday = timezone.make_aware(dt.datetime(2026, 11, 30, 12, 0))  # a Monday, noon
    with mock.patch("django.utils.timezone.now", return_value=monday):
        before = warm.get(SEARCH, NEAR).content.decode()
    with mock.patch("django.utils.timezone.now", return_value=monday + dt.timedelta(hours=8)):
        after = warm.get(SEARCH, NEAR).content.decode()
    assert "Next: today, 6 p.m." in before
    assert "Next: today, 6 p.m." not in after and "Next: Wed" in after


def test_a_reimport_of_a_changed_provider_or_site_shows(tmp_path, client):
    fixture = Path(__file__).resolve().parents[1] / "fixtures" / "samhsa_locator_sample.json"
    rows = json.loads(fixture.read_text())["rows"][:1]

    def import_rows():
        path = tmp_path / "locator.json"
        path.write_text(json.dumps({"rows": rows}))
        call_command("import_programs", str(path), "--format", "samhsa", stdout=StringIO())

    import_rows()
    program = Program.objects.filter(source="samhsa", is_active=True).first()
    params = {"zip": rows[0]["zip"]}
    page, item, detail = shown(client, program, params)
    assert item is not None and rows[0]["street1"] in detail
    rows[0]["website"] = "https://allies.example"
    rows[0]["street1"] = "1 Renamed Road"
    import_rows()
    page, item, detail = shown(client, program, params)
    assert "https://allies.example" in detail and "1 Renamed Road" in detail
    assert item["address"].startswith("1 Renamed Road")


def test_the_store_keeps_at_most_its_limit(client, settings):
    settings.PROGRAM_SNAPSHOTS = 2
    for _index in range(4):
        add_sessions(ProgramFactory())
    client.get(SEARCH, NEAR)
    assert snapshot.size() == 2
    assert client.get(SEARCH, NEAR).content.decode().count('class="result-card"') == 4
