"""Choosing Spanish (issue 10; docs/spanish.md): the /es/ URLs, the browser's Accept-Language,
the switch in the header and its cookie, and what never moves (admin, health check, API)."""

from __future__ import annotations

import re

import pytest
from django.conf import settings

from tests.support.pages import make_directory
from tests.support.wizard_walk import post_data, step_data

pytestmark = pytest.mark.django_db

SPANISH = {"HTTP_ACCEPT_LANGUAGE": "es-US,es;q=0.9,en;q=0.5"}
COOKIE = settings.LANGUAGE_COOKIE_NAME


def switch_link(html: str) -> str:
    match = re.search(r'<ul class="site-nav language-switch"><li><a href="([^"]+)"', html)
    assert match, "no language switch on the page"
    return match.group(1).replace("&amp;", "&")


@pytest.mark.parametrize("path", ["/", "/crisis/", "/assessment/", "/programs/"])
def test_a_browser_that_prefers_spanish_is_sent_to_the_spanish_page(client, path):
    response = client.get(path, **SPANISH)
    assert response.status_code == 302
    assert response["Location"] == "/es" + path
    assert "Accept-Language" in response["Vary"]
    page = client.get(response["Location"], follow=True, **SPANISH)
    assert page.status_code == 200
    assert '<html lang="es">' in page.content.decode()


def test_english_urls_stay_english_for_an_english_browser(client):
    html = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert '<html lang="en">' in html
    assert "Take the self-assessment" in html


def test_the_query_string_survives_the_move(client):
    response = client.get("/programs/?zip=40202&level=IOP", **SPANISH)
    assert response["Location"] == "/es/programs/?zip=40202&level=IOP"


def test_the_spanish_pages_are_in_spanish(client):
    html = client.get("/es/").content.decode()
    assert "Hacer la autoevaluación" in html
    assert "¿En crisis? Llame o envíe un mensaje de texto al 988" in html
    assert "Take the self-assessment" not in html


@pytest.mark.parametrize(
    "path",
    ["/healthz", "/api/programs/", "/" + settings.ADMIN_URL + "login/", "/static/css/site.css"],
)
def test_the_admin_health_check_api_and_static_files_never_move(client, path):
    response = client.get(path, **SPANISH)
    assert response.status_code != 302 or "/es/" not in response["Location"], response["Location"]
    assert client.get("/es" + path).status_code == 404


def test_a_form_post_is_never_redirected(client):
    response = client.post("/assessment/step/now/", step_data("now"), **SPANISH)
    assert not response.get("Location", "").startswith("/es/assessment/step/now/")


def test_the_switch_remembers_spanish_and_opens_the_same_page(client):
    html = client.get("/crisis/").content.decode()
    link = switch_link(html)
    assert link == "/language/es/"
    response = client.get(link, HTTP_REFERER="http://testserver/crisis/")
    assert response.status_code == 302 and response["Location"] == "/es/crisis/"
    cookie = response.cookies[COOKIE]
    assert cookie.value == "es" and cookie["max-age"] == settings.LANGUAGE_COOKIE_AGE
    assert cookie["samesite"] == "Lax" and cookie["httponly"]
    # The choice sticks: an English link now opens in Spanish.
    assert client.get("/programs/")["Location"] == "/es/programs/"


def test_choosing_english_wins_over_a_spanish_browser(client):
    html = client.get("/es/crisis/").content.decode()
    link = switch_link(html)
    assert link == "/language/en/"
    response = client.get(link, HTTP_REFERER="http://testserver/es/crisis/", **SPANISH)
    assert response["Location"] == "/crisis/"
    assert response.cookies[COOKIE].value == "en"
    page = client.get("/crisis/", **SPANISH)
    assert page.status_code == 200 and '<html lang="en">' in page.content.decode()


def test_the_switch_keeps_the_person_at_their_step_with_their_answers(client):
    make_directory()
    client.get("/assessment/")
    client.post("/assessment/step/now/", step_data("now"))
    html = client.get("/assessment/step/mood/").content.decode()
    response = client.get(switch_link(html), HTTP_REFERER="http://testserver/assessment/step/mood/")
    assert response["Location"] == "/es/assessment/step/mood/"
    page = client.get(response["Location"]).content.decode()
    assert "Estado de ánimo y experiencias" in page
    # Back to the first step in Spanish: the answers given in English are still ticked.
    first = client.get("/es/assessment/step/now/").content.decode()
    assert first.count("checked") >= 4


def test_the_switch_refuses_to_leave_the_site_and_unknown_languages(client):
    assert client.get("/language/es/?next=https://evil.example/")["Location"] == "/es/"
    evil = client.get("/language/es/", HTTP_REFERER="https://evil.example/programs/")
    assert evil["Location"] == "/es/"
    assert client.get("/language/es/")["Location"] == "/es/"
    search = client.get("/language/es/", HTTP_REFERER="http://testserver/programs/?zip=40202")
    assert search["Location"] == "/es/programs/?zip=40202"
    assert client.get("/language/fr/?next=/").status_code == 404


def test_the_wizard_keeps_spanish_through_its_redirects_and_to_the_result(client):
    make_directory()
    response = client.get("/es/assessment/")
    location = response["Location"]
    seen = []
    for _ in range(20):
        assert location.startswith("/es/"), f"the wizard left Spanish: {location}"
        seen.append(location)
        if "/assessment/r/" in location:
            break
        step_id = re.search(r"/assessment/step/([\w-]+)/", location).group(1)
        response = client.post(location, post_data(client, step_id))
        assert response.status_code == 302, response.content.decode()[:500]
        location = response["Location"]
    assert "/es/assessment/r/" in location, seen
    html = client.get(location).content.decode()
    assert '<html lang="es">' in html and "Su resultado" in html


def test_an_unknown_url_is_not_found_in_the_preferred_language(client):
    response = client.get("/no-such-page/", **SPANISH)
    assert response.status_code == 404
    assert "No encontramos esa página" in response.content.decode()
