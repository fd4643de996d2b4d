"""One vocabulary registry (``programs.vocab.VOCABULARIES``): a new therapy or payment type
added there reaches the search filter, the admin, the API and the program page, with no other
file touched."""

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.test import Client

from programs import vocab
from tests.programs.factories import ProgramFactory

pytestmark = pytest.mark.django_db

ART = ("art_therapy", "Art therapy (registry test)")
CRYPTO = ("crypto_pay", "Paid in seashells (registry test)")


@pytest.fixture
def extended(monkeypatch):
    monkeypatch.setitem(vocab.VOCABULARIES, "therapies", [*vocab.THERAPIES, ART])
    monkeypatch.setitem(vocab.VOCABULARIES, "payment", [*vocab.PAYMENT, CRYPTO])
    cache.clear()
    yield
    cache.clear()


def test_a_new_therapy_and_payment_type_are_search_filter_choices(client, extended):
    page = client.get("/programs/").content.decode()
    assert 'name="therapy" value="art_therapy"' in page
    assert ART[1] in page
    assert 'name="insurance" value="crypto_pay"' in page


def test_a_new_therapy_and_payment_type_filter_the_api(client, extended):
    art = ProgramFactory(therapies=["art_therapy"], payment=["crypto_pay"])
    ProgramFactory(therapies=["cbt"], payment=["medicaid"])
    for params in ({"therapy": "art_therapy"}, {"insurance": "crypto_pay"}):
        response = client.get("/api/programs/", params)
        assert response.status_code == 200, response.content
        assert [row["id"] for row in response.json()["results"]] == [art.pk]


def test_a_new_therapy_is_an_admin_checkbox(extended):
    program = ProgramFactory(therapies=["art_therapy"])
    staff = Client()
    staff.force_login(
        get_user_model().objects.create_superuser("editor", "editor@example.org", "x" * 16)
    )
    page = staff.get(f"/admin/programs/program/{program.pk}/change/").content.decode()
    assert 'type="checkbox" name="therapies" value="art_therapy"' in page
    assert 'name="payment" value="crypto_pay"' in page


def test_a_new_therapy_and_payment_type_are_labelled_on_the_program_page(client, extended):
    program = ProgramFactory(therapies=["art_therapy"], payment=["crypto_pay"])
    page = client.get(program.get_absolute_url()).content.decode()
    assert ART[1] in page
    assert CRYPTO[1] in page


def test_without_the_patch_the_code_is_unknown_to_the_search(client):
    response = client.get("/api/programs/", {"therapy": "art_therapy"})
    assert response.status_code == 400
    assert "therapy" in response.json()["errors"]
