"""The search result card: its facts are worked out once in Python, with no query."""

import pytest

from programs.search import Hit, load_programs
from programs.templatetags.programs_tags import card_facts
from tests.programs.factories import evening_iop

pytestmark = pytest.mark.django_db


def test_card_facts_say_what_the_card_shows_without_a_query(django_assert_num_queries):
    made = evening_iop(
        name="Riverside Evening IOP",
        payment=["medicaid", "sliding_scale"],
        accepting_new_patients=True,
        modality="both",
    )
    (program,) = load_programs([made.pk])
    with django_assert_num_queries(0):
        card = card_facts(Hit(program, 12.34), "?zip=40202")
    assert card["url"] == f"/programs/{program.slug}/?zip=40202"
    assert card["name"] == "Riverside Evening IOP"
    assert card["level"] == "Intensive outpatient (IOP)"
    assert card["place"] == "Louisville, KY"
    assert card["distance"] == "12 miles"
    assert card["telehealth_too"] is True
    assert card["rows"] == [("Mon, Wed, Thu", "6 p.m.–9 p.m.", "")]
    assert len(card["next"]) == 2
    assert card["payment"] == "Medicaid, Sliding-scale fees"
    assert card["accepting"] is True


def test_a_card_without_distance_or_sessions_says_so(django_assert_num_queries):
    made = evening_iop(days=(), payment=[])
    (program,) = load_programs([made.pk])
    card = card_facts(Hit(program, None))
    assert (card["distance"], card["rows"], card["next"]) == ("", [], [])
    assert card["payment"] == "Payment options not listed: call to check"
    assert card["url"] == f"/programs/{program.slug}/"
