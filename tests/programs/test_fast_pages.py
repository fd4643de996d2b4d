"""What makes the search, the API and the program page fast must not change what they show:
the filter form kept per process, the filter set's shared form fields, the schedule texts kept
per process, the sessions attached without ``prefetch_related``, one ``reverse()`` a list."""

import datetime as dt

import pytest
from django.utils import translation

from programs.filters import ProgramFilter
from programs.models import Program, Session
from programs.search import Hit, load_programs
from programs.templatetags.programs_tags import card_facts, schedule_summary
from tests.programs.factories import evening_iop

pytestmark = pytest.mark.django_db


def test_filter_sets_share_their_form_fields_but_not_their_data_or_errors():
    good, bad = ProgramFilter({"level": "iop"}), ProgramFilter({"level": "nope"})
    assert good.is_valid() and not bad.is_valid()
    assert good.form.fields["level"] is bad.form.fields["level"]
    assert list(bad.errors) == ["level"] and not good.errors
    assert good.filters["level"] is not bad.filters["level"]
    assert good.filters["insurance"].parent is good and bad.filters["insurance"].parent is bad


def test_each_filter_set_filters_by_its_own_values():
    evening_iop(name="Pays Medicaid", payment=["medicaid"])
    evening_iop(name="Pays privately", payment=["private"])
    medicaid = ProgramFilter({"insurance": ["medicaid"]}, queryset=Program.objects.all())
    private = ProgramFilter({"insurance": ["private"]}, queryset=Program.objects.all())
    assert medicaid.is_valid() and private.is_valid()
    assert [p.name for p in private.qs] == ["Pays privately"]
    assert [p.name for p in medicaid.qs] == ["Pays Medicaid"]


def test_a_kept_filter_form_still_shows_each_search_its_own_values_and_errors(client):
    first = client.get("/programs/", {"zip": "40202", "level": "IOP"}).content.decode()
    again = client.get("/programs/", {"zip": "40202", "level": "IOP"}).content.decode()
    bad = client.get("/programs/", {"zip": "4020", "level": "IOP"}).content.decode()
    assert '<option value="IOP" selected>' in first and '<option value="IOP" selected>' in again
    assert 'aria-invalid="true"' not in first and 'aria-invalid="true"' not in again
    assert 'aria-invalid="true"' in bad and 'value="4020"' in bad
    other = client.get("/programs/", {"zip": "40202", "level": "PHP"}).content.decode()
    assert '<option value="PHP" selected>' in other and '<option value="IOP" selected>' not in other


def test_a_kept_filter_form_follows_the_language(client):
    english = client.get("/programs/", {"zip": "40202"}).content.decode()
    with translation.override("es"):
        spanish = client.get("/programs/", {"zip": "40202"}, HTTP_ACCEPT_LANGUAGE="es")
    assert "More filters" in english
    assert spanish.content.decode() != english


def test_a_changed_session_changes_the_schedule_text():
    made = evening_iop(days=(0,))
    (program,) = load_programs([made.pk])
    assert schedule_summary(program) == [("Mon", "6 p.m.–9 p.m.", "")]
    Session.objects.filter(program=made).update(start=dt.time(17, 0))
    (program,) = load_programs([made.pk])
    assert schedule_summary(program) == [("Mon", "5 p.m.–9 p.m.", "")]


def test_loaded_programs_have_their_own_sessions_in_order(django_assert_num_queries):
    first = evening_iop(days=(3, 0))
    second = evening_iop(days=(1,))
    with django_assert_num_queries(2):
        programs = load_programs([second.pk, first.pk])
    with django_assert_num_queries(0):
        assert [s.weekday for s in programs[0].sessions.all()] == [1]
        assert [s.weekday for s in programs[1].sessions.all()] == [0, 3]
        assert programs[1].sessions.count() == 2


def test_the_detail_path_of_a_list_is_the_programs_own_url():
    made = evening_iop()
    (program,) = load_programs([made.pk])
    assert Program.detail_path_maker()(program.slug) == program.get_absolute_url()
    assert card_facts(Hit(program, None), "?zip=40202")["url"] == (
        f"{program.get_absolute_url()}?zip=40202"
    )


def test_the_api_links_each_result_to_its_program_page(client):
    made = evening_iop()
    body = client.get("/api/programs/", {"zip": "40202"}).json()
    assert body["results"][0]["url"] == f"http://testserver{made.get_absolute_url()}"
