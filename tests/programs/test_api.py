"""GET /api/programs/: the search as JSON for partner sites."""

import pytest
from django.test import Client, override_settings

from tests.programs.factories import ProgramFactory, TelehealthProgramFactory, evening_iop

pytestmark = pytest.mark.django_db

URL = "/api/programs/"


@pytest.fixture
def client():
    return Client()  # rate-limit counters start empty (tests/conftest.py)


def test_shape_of_a_result(client):
    program = evening_iop(
        name="Evening IOP", payment=["medicaid"], therapies=["dbt"], zip_code="40507"
    )
    response = client.get(URL, {"zip": "40202", "radius": "100", "level": "iop"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    data = response.json()
    assert data["count"] == 1 and data["next"] is None
    result = data["results"][0]
    assert result["id"] == program.pk
    assert result["name"] == "Evening IOP"
    assert result["provider"] == program.provider.name
    assert result["level"] == "IOP"
    assert result["distance_miles"] == pytest.approx(69.5, abs=1.5)
    assert result["address"].endswith("Lexington, KY 40507")
    assert isinstance(result["latitude"], float) and isinstance(result["longitude"], float)
    assert result["sessions"][0] == {"day": "mon", "start": "18:00", "end": "21:00", "track": ""}
    assert [s["day"] for s in result["sessions"]] == ["mon", "wed", "thu"]
    assert result["therapies"] == ["dbt"]
    assert result["payment"] == ["medicaid"]
    assert result["url"] == f"http://testserver/programs/{program.slug}/"


def test_distance_is_null_without_zip_and_for_addressless_telehealth(client):
    ProgramFactory()
    TelehealthProgramFactory()
    results = client.get(URL).json()["results"]
    assert [r["distance_miles"] for r in results] == [None, None]
    results = client.get(URL, {"zip": "40202", "telehealth": "1"}).json()["results"]
    assert results[0]["distance_miles"] is None and results[0]["address"] is None


@pytest.mark.parametrize(
    ("params", "name"),
    [
        ({"zip": "00000"}, "zip"),
        ({"zip": "40202", "radius": "abc"}, "radius"),
        ({"level": "XYZ"}, "level"),
        ({"day": "funday"}, "day"),
        ({"page": "0"}, "page"),
        ({"page": "two"}, "page"),
    ],
)
def test_bad_parameter_is_a_400_naming_it(client, params, name):
    response = client.get(URL, params)
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert list(errors) == [name] and errors[name][0]


def test_page_past_the_end_is_a_400(client):
    ProgramFactory()
    response = client.get(URL, {"page": "3"})
    assert response.status_code == 400 and "last page is 1" in response.json()["errors"]["page"][0]


def test_next_link_pages_through_all_results(client):
    for index in range(25):
        ProgramFactory(name=f"P{index:02d}")
    first = client.get(URL, {"level": "IOP"}).json()
    assert first["count"] == 25 and len(first["results"]) == 20
    assert first["next"] == "http://testserver/api/programs/?level=IOP&page=2"
    second = client.get(first["next"]).json()
    assert len(second["results"]) == 5 and second["next"] is None


def test_get_only(client):
    assert client.post(URL).status_code == 405
    assert client.put(URL).status_code == 405


@override_settings(RATE_LIMITS={"api": 2})
def test_rate_limited_with_json(client):
    assert client.get(URL).status_code == 200
    assert client.get(URL).status_code == 200
    response = client.get(URL)
    assert response.status_code == 429 and response.json()["error"] == "rate_limited"


def test_fixed_query_count(client, django_assert_num_queries):
    for _index in range(30):
        evening_iop()
    with django_assert_num_queries(3):
        response = client.get(URL, {"zip": "40202", "time": "evening"})
    assert response.json()["count"] == 30
