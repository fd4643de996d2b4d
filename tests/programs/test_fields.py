"""CodeListField: a list of codes in one column, searchable the same way on SQLite and PostgreSQL."""

import pytest

from programs.fields import wrap
from programs.models import Program, Provider

pytestmark = pytest.mark.django_db


def make(name, **fields):
    provider = Provider.objects.create(name=f"{name} provider", slug=f"{name}-provider")
    return Program.objects.create(provider=provider, name=name, slug=name, level="IOP", **fields)


def test_lists_round_trip_and_filter_by_one_code():
    make("a", therapies=["cbt", "dbt"], payment=["medicaid"])
    make("b", therapies=["dbtx"], payment=[])
    assert Program.objects.get(slug="a").therapies == ["cbt", "dbt"]
    assert Program.objects.get(slug="b").payment == []
    assert list(
        Program.objects.filter(therapies__contains=wrap("dbt")).values_list("slug", flat=True)
    ) == ["a"]
    assert not Program.objects.filter(payment__contains=wrap("medicare")).exists()


def test_a_plain_model_form_round_trips_the_list():
    from django import forms

    class ProgramForm(forms.ModelForm):
        class Meta:
            model = Program
            fields = ["therapies"]

    program = make("c", therapies=["cbt", "dbt"])
    form = ProgramForm(instance=program)
    assert 'value="cbt, dbt"' in str(form["therapies"])
    form = ProgramForm({"therapies": "cbt, emdr ,"}, instance=program)
    assert form.is_valid(), form.errors
    form.save()
    program.refresh_from_db()
    assert program.therapies == ["cbt", "emdr"]
    assert Program.objects.filter(therapies__contains=wrap("emdr")).count() == 1
