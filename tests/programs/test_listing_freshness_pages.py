"""What people see of freshness: stale and wait labels on results and the program page, stale
listings after fresh ones in a distance band, the "can start within 2 weeks" filter, imported
source and date, groups in Spanish vs an interpreter, the API's added fields; query counts
unchanged."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from programs import snapshot
from programs.demo import demo_data_present
from programs.models import Program
from tests.programs.factories import ProgramFactory

pytestmark = pytest.mark.django_db

SEARCH = reverse("programs:search")
API = reverse("programs-api")


def today():
    return timezone.localdate()


def test_a_stale_listing_is_labelled_and_listed_after_a_fresh_one_in_its_band(client):
    stale = ProgramFactory(name="A Stale IOP", last_verified=dt.date(2026, 3, 2))
    ProgramFactory(name="B Fresh IOP", location__zip_code="40202")
    ProgramFactory(name="C Far Fresh IOP", location__zip_code="40507")  # ~70 miles
    page = client.get(SEARCH, {"zip": "40202", "radius": 100}).content.decode()
    assert page.index("B Fresh IOP") < page.index("A Stale IOP") < page.index("C Far Fresh IOP")
    assert "Not confirmed since March 2026: call to check" in page
    detail = client.get(stale.get_absolute_url()).content.decode()
    assert "Not confirmed since March 2026: call to check" in detail
    data = client.get(API, {"zip": "40202", "radius": 100}).json()["results"]
    assert [r["name"] for r in data] == ["B Fresh IOP", "A Stale IOP", "C Far Fresh IOP"]
    assert [r["stale"] for r in data] == [False, True, False]


def test_without_a_zip_fresh_listings_come_first(client):
    ProgramFactory(name="A Never Confirmed", last_verified=None)
    ProgramFactory(name="B Confirmed")
    names = [r["name"] for r in client.get(API).json()["results"]]
    assert names == ["B Confirmed", "A Never Confirmed"]


def test_wait_times_show_and_the_soon_filter_keeps_known_short_waits(client):
    ProgramFactory(name="Next Week IOP", next_intake=today() + dt.timedelta(days=7))
    ProgramFactory(name="Ten Day Wait IOP", wait_days=10)
    ProgramFactory(name="Long Wait IOP", wait_days=30)
    ProgramFactory(name="Unknown Wait IOP")
    ProgramFactory(name="Closed Short Wait IOP", wait_days=3, accepting_new_patients=False)
    page = client.get(SEARCH, {"zip": "40202"}).content.decode()
    assert "Typical wait: about 10 days" in page and "Next intake:" in page
    soon = client.get(SEARCH, {"zip": "40202", "soon": "1"}).content.decode()
    assert "2 programs" in soon and "Can start within 2 weeks" in soon
    assert "Next Week IOP" in soon and "Ten Day Wait IOP" in soon
    assert "Long Wait IOP" not in soon and "Closed Short Wait IOP" not in soon
    results = client.get(API, {"zip": "40202", "soon": "1"}).json()["results"]
    assert sorted(r["wait_days"] for r in results) == [7, 10]


def test_a_known_short_wait_comes_first_among_equals(client):
    ProgramFactory(name="A Unknown Wait", location__zip_code="40202")
    ProgramFactory(name="B Short Wait", location__zip_code="40202", wait_days=5)
    names = [r["name"] for r in client.get(API, {"zip": "40202"}).json()["results"]]
    assert names == ["B Short Wait", "A Unknown Wait"]


def test_the_program_page_shows_source_date_and_wait(client):
    program = ProgramFactory(
        source="samhsa", source_id="1:IOP", source_date=dt.date(2025, 10, 1), wait_days=3
    )
    page = client.get(program.get_absolute_url()).content.decode()
    assert "Imported from SAMHSA treatment locator (FindTreatment.gov), data dated" in page
    assert "Oct. 1, 2025" in page
    assert "Typical wait: about 3 days." in page


def test_spanish_groups_and_interpreters_are_told_apart(client):
    ProgramFactory(name="Grupos IOP", languages=["en", "es"])
    ProgramFactory(name="Interpreter IOP", interpreters=["es"])
    ProgramFactory(name="English IOP")
    page = client.get(SEARCH, {"zip": "40202", "language": "es"}).content.decode()
    assert "2 programs" in page
    assert "Groups in Spanish" in page and "Spanish through an interpreter only" in page
    assert "English IOP" not in page
    detail = client.get(Program.objects.get(name="Grupos IOP").get_absolute_url())
    assert "Groups in Spanish" in detail.content.decode()


def test_the_api_adds_its_fields_and_keeps_the_old_ones(client):
    ProgramFactory(
        source="hsds:miami",
        source_id="s1",
        source_date=dt.date(2025, 9, 30),
        next_intake=today() + dt.timedelta(days=3),
        interpreters=["ht"],
    )
    ProgramFactory()
    first, second = client.get(API, {"zip": "40202"}).json()["results"]
    assert {"id", "name", "accepting_new_patients", "last_verified", "sessions", "url"} <= set(
        first
    )
    assert first["wait_days"] == 3
    assert first["next_intake"] == (today() + dt.timedelta(days=3)).isoformat()
    assert first["source"] == {
        "code": "hsds:miami",
        "name": "Open Referral directory miami",
        "date": "2025-09-30",
    }
    assert first["interpreters"] == ["ht"]
    assert first["last_verified"] == today().isoformat() and first["reported"] is False
    assert second["source"] is None and second["wait_days"] is None


def test_query_counts_stay_as_pinned(client, django_assert_num_queries):
    demo_data_present()  # the banner flag is cached for a minute; warm it
    for n in range(5):
        ProgramFactory(wait_days=n, last_verified=None if n % 2 else today(), languages=["es"])
    with django_assert_num_queries(3):  # cold: no program snapshot kept yet
        client.get(SEARCH, {"zip": "40202", "soon": "1", "language": "es"})
    with django_assert_num_queries(1):  # warm: the ranking query only
        client.get(SEARCH, {"zip": "40202", "soon": "1", "language": "es"})
    snapshot.clear()
    with django_assert_num_queries(3):
        client.get(API, {"zip": "40202"})
    with django_assert_num_queries(1):
        client.get(API, {"zip": "40202"})
    with django_assert_num_queries(3):  # without a ZIP the page's rows are read as today
        client.get(SEARCH)
    program = Program.objects.first()
    snapshot.clear()
    with django_assert_num_queries(2):
        client.get(program.get_absolute_url())
    with django_assert_num_queries(1):  # warm: the program's row only
        client.get(program.get_absolute_url())


def test_matches_carry_the_wait_and_the_listing_note_and_prefer_a_short_wait():
    from programs.search import Preferences, match_programs

    ProgramFactory(name="A Unknown Wait", location__zip_code="40202")
    ProgramFactory(name="B Short Wait", location__zip_code="40202", wait_days=5, last_verified=None)
    ProgramFactory(name="C Ten Days", location__zip_code="40202", wait_days=10)
    matches = match_programs("IOP", Preferences(zip_code="40202"))
    by_name = {m.program.name: m for m in matches}
    assert by_name["C Ten Days"].wait == "Typical wait: about 10 days"
    assert "can usually start within 2 weeks" in by_name["C Ten Days"].fits
    assert by_name["B Short Wait"].listing_note == ("Not confirmed with the program: call to check")
    assert by_name["A Unknown Wait"].wait == "" and by_name["A Unknown Wait"].listing_note == ""
    assert [m.program.name for m in matches][0] == "C Ten Days"
