"""templates/programs/includes/match_list.html: what the assessment result page shows."""

import re

import pytest
from django.template import Context, Template

from programs.search import Preferences, match_programs
from tests.programs.factories import ProgramFactory, evening_iop

pytestmark = pytest.mark.django_db

INCLUDE = Template('{% include "programs/includes/match_list.html" with matches=matches %}')


def render(matches):
    return re.sub(r"\s+", " ", INCLUDE.render(Context({"matches": matches})))


def test_matches_render_with_link_level_distance_fits_and_misses():
    program = evening_iop(name="Riverside IOP", payment=["private"], intake_phone="502-555-0199")
    matches = match_programs(
        "IOP", Preferences(zip_code="40202", insurance="medicaid", times=["evening"])
    )
    html = render(matches)
    assert f'<a href="/programs/{program.slug}/">Riverside IOP</a>' in html
    assert "Intensive outpatient (IOP)" in html
    assert "less than a mile away" in html
    assert '<span aria-hidden="true">✓</span> evening sessions Mon/Wed/Thu' in html
    assert "Things to check:" in html and "<li>does not list Medicaid</li>" in html
    assert 'href="tel:+15025550199"' in html
    assert "Another option" not in html


def test_alternatives_are_labelled():
    ProgramFactory(name="PHP nearby", level="PHP")
    html = render(match_programs("IOP", Preferences(zip_code="40202")))
    assert "Another option" in html
    assert "one step more intensive than IOP" in html
    assert "match-alternative" in html


def test_no_matches_points_to_the_search():
    html = render([])
    assert 'href="/programs/"' in html and "search all programs" in html
