"""The public directory pages: /programs/ (search) and /programs/<slug>/ (detail)."""

import re

import pytest
from django.test import Client

from programs.demo import demo_data_present
from tests.programs.factories import (
    ProgramFactory,
    TelehealthProgramFactory,
    add_sessions,
    evening_iop,
)
from tests.support.html import foreign_urls

pytestmark = pytest.mark.django_db

URL = "/programs/"


@pytest.fixture
def client():
    return Client()


def text(response):
    return re.sub(r"\s+", " ", response.content.decode())


def test_search_page_without_filters_lists_programs_and_the_form(client):
    evening_iop(name="Evening IOP", payment=["medicaid"])
    response = client.get(URL)
    assert response.status_code == 200
    page = text(response)
    assert "<h1>Find a program</h1>" in page
    assert "Evening IOP" in page
    assert 'for="id_zip"' in page and 'name="zip"' in page
    assert "Add your ZIP code" in page
    assert "Medicaid" in page  # payment summary
    assert "Mon, Wed, Thu: 6 p.m.–9 p.m." in page  # schedule summary


def test_search_with_zip_shows_distance_level_and_summary(client):
    ProgramFactory(name="Lexington IOP", location__zip_code="40507")
    response = client.get(URL, {"zip": "40202", "radius": "100", "level": "IOP"})
    page = text(response)
    assert "1 program within 100 miles of 40202 (Louisville, KY)" in page
    assert "69 miles away" in page or "70 miles away" in page
    assert "Intensive outpatient (IOP)" in page
    assert "Filters: IOP" in page
    assert 'value="40202"' in page and 'value="100"' in page  # keeps what was typed


@pytest.mark.parametrize(
    ("params", "anchor", "words"),
    [
        ({"zip": "00000"}, "id_zip", "We couldn&#x27;t find ZIP code 00000"),
        ({"zip": "40202", "radius": "abc"}, "id_radius", "whole number of miles"),
        ({"level": "XYZ"}, "id_level", "“XYZ” is not a level of care we list"),
        ({"day": "funday"}, "id_day_0", "“funday” is not a day of the week"),
    ],
)
def test_bad_value_shows_a_message_in_the_summary_and_by_the_field_and_no_list(
    client, params, anchor, words
):
    ProgramFactory(name="Should not show")
    response = client.get(URL, params)
    assert response.status_code == 200
    page = text(response)
    assert "There is a problem with your search" in page
    assert f'href="#{anchor}"' in page
    assert page.count(words) == 2  # in the summary and next to the field
    assert 'aria-invalid="true"' in page
    assert "Should not show" not in page
    assert "<title>Error:" in page
    for name in ("zip", "radius"):  # what they typed is kept (lists and checkboxes can't)
        if name in params:
            assert f'value="{params[name]}"' in page


def test_nothing_found_says_what_to_widen(client):
    ProgramFactory(name="Far away", level="IOP", location__zip_code="40507")
    response = client.get(URL, {"zip": "40202", "level": "IOP", "time": "evening"})
    page = text(response)
    assert "No programs match all of these filters." in page
    assert "Search within 50 miles" in page
    assert "Include programs that meet by video" in page
    assert "Look at PHP programs (one step more intensive)" in page
    assert "Look at Outpatient programs (one step less intensive)" in page
    assert "Remove the day and time filters" in page
    assert "radius=50" in page and "telehealth=1" in page and "level=PHP" in page


def test_pagination_links_keep_filters(client):
    for index in range(23):
        ProgramFactory(name=f"P{index:02d}", payment=["medicaid"])
    page = text(client.get(URL, {"insurance": "medicaid"}))
    assert "Page 1 of 2" in page
    assert "?insurance=medicaid&amp;page=2" in page
    page2 = text(client.get(URL, {"insurance": "medicaid", "page": "2"}))
    assert "P22" in page2 and "Page 2 of 2" in page2


def test_telehealth_only_program_is_described_as_online(client):
    TelehealthProgramFactory(name="Video group")
    page = text(client.get(URL, {"zip": "40202", "telehealth": "1"}))
    assert "Video group" in page and "Online only (telehealth)" in page


def test_search_page_fixed_query_count(client, django_assert_num_queries):
    demo_data_present()  # the banner flag is cached for a minute; warm it
    for count in (5, 50):
        for _index in range(count - (5 if count == 50 else 0)):
            add_sessions(ProgramFactory(payment=["medicaid"]))
        with django_assert_num_queries(3):
            response = client.get(URL, {"zip": "40202", "insurance": "medicaid"})
        assert response.status_code == 200


def test_search_page_loads_nothing_from_other_hosts_and_has_no_inline_script(client):
    evening_iop()
    html = client.get(URL, {"zip": "40202"}).content.decode()
    assert foreign_urls(html) == []
    assert "<script>" not in html and 'style="' not in html and " onclick=" not in html


def test_post_is_not_allowed(client):
    assert client.post(URL).status_code == 405


# ---- detail ----------------------------------------------------------------------------------


def test_detail_shows_the_program_in_full(client):
    program = evening_iop(
        name="Evening DBT IOP",
        therapies=["dbt", "group"],
        conditions=["depression"],
        languages=["es"],
        payment=["medicaid", "sliding_scale"],
        intake_phone="(502) 555-0199",
        location__street="200 Main Street",
    )
    response = client.get(f"/programs/{program.slug}/")
    assert response.status_code == 200
    page = text(response)
    assert '<h1 id="program-title">Evening DBT IOP</h1>' in page
    assert "<caption>Weekly schedule (local time)</caption>" in page
    assert '<th scope="col">Day</th>' in page and '<th scope="row">Monday</th>' in page
    assert "Dialectical behavior therapy (DBT)" in page
    assert "Depression" in page and "Spanish" in page
    assert "Medicaid, Sliding-scale fees" in page
    assert 'href="tel:+15025550199"' in page
    assert "200 Main Street" in page
    assert "https://www.google.com/maps/dir/?api=1&amp;destination=200+Main+Street" in page
    assert "What Intensive outpatient (IOP) means" in page
    assert "Last checked with the program on" in page


def test_detail_only_links_out_never_loads_from_other_hosts(client):
    program = evening_iop(location__street="1 Main St")
    html = client.get(f"/programs/{program.slug}/").content.decode()
    # Outbound <a> links (directions, intake page) are allowed; nothing else may be foreign.
    from tests.support.html import urls_in

    loaded = [url for tag, _attr, url in urls_in(html) if tag != "a"]
    assert foreign_urls("".join(f'<img src="{url}">' for url in loaded)) == []


def test_detail_opened_from_a_search_shows_distance_and_a_way_back(client):
    program = ProgramFactory(location__zip_code="40507")
    page = text(client.get(f"/programs/{program.slug}/", {"zip": "40202", "level": "IOP"}))
    assert re.search(r"Distance from 40202: (69|70) miles, in a straight line", page)
    assert 'href="/programs/?zip=40202&amp;level=IOP"' in page
    page = text(client.get(f"/programs/{program.slug}/", {"zip": "00000"}))
    assert "Distance from" not in page  # a bad ZIP is ignored here, the search explains it


def test_detail_for_unverified_and_inactive_programs(client):
    program = ProgramFactory(last_verified=None)
    assert "We have not checked these details" in text(client.get(f"/programs/{program.slug}/"))
    gone = ProgramFactory(is_active=False)
    assert client.get(f"/programs/{gone.slug}/").status_code == 404
    assert client.get("/programs/no-such-program/").status_code == 404


def test_detail_query_count_is_fixed(client, django_assert_num_queries):
    program = evening_iop(days=(0, 1, 2, 3, 4))
    demo_data_present()
    with django_assert_num_queries(2):
        client.get(f"/programs/{program.slug}/")


def test_fullwidth_zip_digits_are_refused_on_the_search_page_with_a_message(client):
    """Review fix: "１２３４５" used to reach the zipcodes package and panic (a 500). The search
    page answers 200 with the field marked invalid and a message that says what to type."""
    response = client.get("/programs/", {"zip": "１２３４５"})
    assert response.status_code == 200
    html = response.content.decode()
    error = re.search(r'<div id="id_zip_error" class="invalid-feedback">(.*?)</div>', html)
    assert error is not None, "no error under the ZIP field"
    assert "Enter a 5-digit US ZIP code, like 40202." in error.group(1)
    assert 'aria-invalid="true" aria-describedby="id_zip_helptext id_zip_error"' in html
    assert 'href="#id_zip"' in html, "the error summary must link to the ZIP field"


def test_fullwidth_zip_digits_are_a_400_naming_the_zip_parameter_in_the_api(client):
    """The same input to the API: a 400 whose errors name ``zip`` with a message."""
    response = client.get("/api/programs/", {"zip": "１２３４５"})
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert list(errors) == ["zip"]
    assert errors["zip"] == ["Enter a 5-digit US ZIP code, like 40202."]
