"""Property-based bad query strings to the directory search page and the JSON API.

Every parameter (and unknown ones), repeated, huge, empty, NUL, broken percent-encoding, encoded
surrogates. What must hold: no 500; the API always answers JSON, and a 400 names each bad
parameter with a message (``{"errors": {"<parameter>": [...]}}``); the search page never
crashes, and a refused field says what is wrong.
"""

import json
from urllib.parse import quote

import pytest
from django.test import Client, override_settings
from hypothesis import HealthCheck, given
from hypothesis import settings as hyp_settings
from hypothesis import strategies as st

from programs import filters
from tests.support.nasty import NASTY
from tests.support.pages import make_directory

pytestmark = [pytest.mark.django_db]

#: Every search parameter, and a few that are not (the view must ignore those).
PARAMS = [*filters.PARAMETERS, "page", "q", "sort", "format"]
GOOD = {
    "zip": ["40202", "40202-1234", "99999", "00000"],
    "radius": ["1", "25", "500", "501", "0"],
    "level": ["IOP", "iop", "PHP", "EMERGENCY"],
    "insurance": ["medicaid", "none", "unsure"],
    "day": ["mon", "sun"],
    "time": ["evening"],
    "page": ["1", "2", "1000000"],
}
FUZZ = hyp_settings(
    max_examples=80,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
values = st.one_of(
    st.sampled_from(NASTY),
    st.text(max_size=30),
    st.integers(min_value=-(10**12), max_value=10**12).map(str),
)


@st.composite
def queries(draw):
    pairs = []
    for name in draw(st.lists(st.sampled_from(PARAMS), max_size=6)):
        for _ in range(draw(st.integers(min_value=1, max_value=3))):
            if name in GOOD and draw(st.booleans()):
                pairs.append((name, draw(st.sampled_from(GOOD[name]))))
            else:
                pairs.append((name, draw(values)))
    return "&".join(f"{quote(k, safe='')}={quote(v, safe='')}" for k, v in pairs), pairs


#: Fixed odd queries, each with the parameters the API must name in its 400 (none: a 200; the
#: search page always answers 200 and shows any error beside its field).
RAW_QUERIES = [
    ("zip=%ED%A0%80", {"zip"}),  # an encoded lone surrogate
    ("zip=%00", {"zip"}),
    ("level=%C0%AF&zip=%FF", {"level", "zip"}),
    ("zip=4020%", {"zip"}),
    ("%%%%=%%", set()),  # unknown names are ignored
    ("zip[]=40202&level[$ne]=x", set()),
    ("page=-1", {"page"}),
    ("page=99999999999999999999999", {"page"}),
    ("radius=1e309", {"radius"}),
    ("radius=NaN", {"radius"}),
    ("zip=" + "4" * 10_000, {"zip"}),
    ("&".join(["day=mon"] * 500), set()),
]


@pytest.fixture
def directory(db):
    make_directory()


def api_check(query: str, sent_names: set[str], bad: set[str] | None = None):
    """The API's answer to ``query``. With ``bad`` (the parameters known to be wrong) the answer
    is exact: a 400 naming exactly those, or a 200 when there are none. Without it (arbitrary
    fuzz input, whose validity only the validators themselves could tell) a 200 or a 400 that
    names only parameters that were sent, each with a message."""
    response = Client().get(f"/api/programs/?{query}")
    if bad is not None:
        assert response.status_code == (400 if bad else 200), (query[:120], response.status_code)
    else:
        assert response.status_code in (200, 400), (query[:120], response.status_code)
    assert response["Content-Type"].startswith("application/json")
    body = json.loads(response.content)
    if response.status_code == 400:
        errors = body.get("errors")
        assert isinstance(errors, dict) and errors, body
        if bad is not None:
            assert set(errors) == bad, (query[:120], body)
        for name, messages in errors.items():
            assert name in sent_names or name == "__all__", f"error names {name!r}, not sent"
            assert messages and all(str(m).strip() for m in messages), body
    else:
        assert "results" in body and "count" in body


def page_check(query: str):
    response = Client().get(f"/programs/?{query}")
    # The page answers every query with itself; a refused value is shown beside its field.
    assert response.status_code == 200, (query[:120], response.status_code)
    html = response.content.decode()
    assert "Traceback" not in html
    if 'aria-invalid="true"' in html:
        from tests.support.errors import dom

        page = dom(html)
        for field in page.fields:
            if field.get("aria-invalid") == "true":
                described = field["_described"]
                assert any(page.ids.get(i, "").strip() for i in described), (
                    f"{field.get('name')}: refused without saying why"
                )


@override_settings(RATE_LIMITS={})
def test_any_query_to_the_api_answers_json_and_names_bad_parameters(directory):
    @FUZZ
    @given(queries())
    def run(query):
        text, pairs = query
        api_check(text, {k for k, _v in pairs})

    run()
    for raw, bad in RAW_QUERIES:
        api_check(raw, {part.split("=")[0] for part in raw.split("&")}, bad)


@override_settings(RATE_LIMITS={})
def test_any_query_to_the_search_page_is_answered_kindly(directory):
    @FUZZ
    @given(queries())
    def run(query):
        page_check(query[0])

    run()
    for raw, _bad in RAW_QUERIES:
        page_check(raw)


@override_settings(RATE_LIMITS={})
def test_program_detail_with_odd_slugs_is_a_404_not_a_crash(directory):
    for slug in ["x" * 300, "%00", "..", "a%ED%A0%80", "-" * 10, "DROP-TABLE"]:
        response = Client().get(f"/programs/{slug}/")
        assert response.status_code == 404, (slug[:20], response.status_code)
