"""The parts every public page repeats (head links, quick exit, header, footer, crisis numbers)
are written once per language by ``{% site_part %}`` (issue 15): the same markup as rendering
their template, in the page's language, never anything personal."""

import re
from pathlib import Path

import pytest
from django.template import engines
from django.template.loader import render_to_string
from django.utils import translation

from iop_finder.core.templatetags import site_chrome

PARTS = [
    "includes/head_links.html",
    "includes/site_header.html",
    "includes/site_footer.html",
    "includes/crisis_resources_text.html",
    "assessment/includes/quick_exit.html",
]
TEMPLATES = Path(__file__).resolve().parents[2] / "templates"


@pytest.fixture(autouse=True)
def _empty_store():
    site_chrome._PARTS.clear()
    yield
    site_chrome._PARTS.clear()


def part(name):
    return (
        engines["django"]
        .from_string("{% load site_chrome %}{% site_part name %}")
        .render({"name": name})
    )


@pytest.mark.parametrize("name", PARTS)
@pytest.mark.parametrize("language", ["en", "es"])
def test_a_part_is_its_template_rendered_once_per_language(name, language):
    with translation.override(language):
        expected = render_to_string(name).removesuffix("\n")
        assert part(name) == expected
        assert part(name) == expected  # the kept text
    assert (name, language) in {key[:2] for key in site_chrome._PARTS}


def test_english_and_spanish_are_kept_apart():
    with translation.override("en"):
        english = part("includes/site_header.html")
    with translation.override("es"):
        spanish = part("includes/site_header.html")
    assert english != spanish
    assert 'href="/es/programs/"' in spanish and 'hreflang="en"' in spanish
    assert 'href="/programs/"' in english and 'hreflang="es"' in english


@pytest.mark.parametrize("name", PARTS + ["includes/language_switch.html"])
def test_a_part_reads_nothing_personal(name):
    """Rendered without a request: no CSRF token, no user, no session, no data."""
    tags = re.findall(r"\{[{%].*?[%}]\}", (TEMPLATES / name).read_text())
    assert tags
    assert not [tag for tag in tags if re.search(r"csrf|request|user|messages|perms|DEMO", tag)]


def test_a_changed_setting_is_seen_at_once(settings):
    with translation.override("en"):
        assert 'href="/static/css/site.css"' in part("includes/head_links.html")
        settings.STATIC_URL = "/assets/"
        assert 'href="/assets/css/site.css"' in part("includes/head_links.html")


def test_the_store_is_capped(monkeypatch):
    monkeypatch.setattr(site_chrome, "PARTS_LIMIT", 2)
    with translation.override("en"):
        for name in PARTS[:3]:
            part(name)
    assert len(site_chrome._PARTS) <= 2


def test_nothing_is_kept_with_debug_on(settings):
    settings.DEBUG = True
    with translation.override("en"):
        part("includes/site_footer.html")
    assert not site_chrome._PARTS


@pytest.mark.django_db
def test_each_page_shows_the_parts_in_its_own_language(client):
    """English first, then Spanish, then English again: each page gets its language's parts."""
    for path, words, other in [
        ("/", "Leave this site", "Salir de este sitio"),
        ("/es/", "Salir de este sitio", "Leave this site"),
        ("/crisis/", "Self-assessment", "Autoevaluación"),
        ("/es/crisis/", "Autoevaluación", "Self-assessment"),
        ("/", "Leave this site", "Salir de este sitio"),
    ]:
        html = client.get(path).content.decode()
        assert words in html and other not in html
        assert html.count('<header class="site-header">') == 1
        assert html.count('<footer class="site-footer">') == 1
