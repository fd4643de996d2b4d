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


def test_cards_and_filters_written_in_python_escape_what_they_show(client):
    evening_iop(name="<b>Bold</b> & Co", payment=["medicaid"])
    page = client.get("/programs/", {"zip": "40202", "radius": '"><script>x</script>'})
    html = page.content.decode()
    assert 'value="&quot;&gt;&lt;script&gt;x&lt;/script&gt;"' in html
    assert "<script>x" not in html
    html = client.get("/programs/", {"zip": "40202"}).content.decode()
    assert "&lt;b&gt;Bold&lt;/b&gt; &amp; Co" in html and "<b>Bold</b>" not in html


def test_the_filters_keep_what_was_chosen_and_open_more_filters_when_used(client):
    html = client.get(
        "/programs/", {"zip": "40202", "day": ["mon", "wed"], "soon": "1", "language": "es"}
    ).content.decode()
    assert 'value="40202"' in html
    assert 'value="mon" id="id_day_0" checked' in html and 'id="id_day_1">' in html
    assert 'value="wed" id="id_day_2" checked' in html
    assert '<option value="es" selected>Spanish</option>' in html
    assert 'id="id_soon" checked' in html
    assert '<details class="more-filters mb-3" open>' in html
    closed = client.get("/programs/", {"zip": "40202"}).content.decode()
    assert '<details class="more-filters mb-3">' in closed
