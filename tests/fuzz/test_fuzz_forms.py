"""Property-based bad input to every form: each assessment step, the call-back form, the admin
login. Huge strings, wrong types, missing fields, unknown choices, NUL, right-to-left marks,
broken UTF-8 and encoded surrogates, replayed and out-of-order wizard steps.

What must hold for every input: no 500; a refused form says what is wrong next to each field
and in a summary linked to it; nothing half-written reaches the database (at most one
Submission per wizard run, never one with empty required fields; a call back only with consent
and a way to reach the person).
"""

import pytest
from django.conf import settings
from django.test import Client, override_settings
from hypothesis import HealthCheck, given
from hypothesis import settings as hyp_settings
from hypothesis import strategies as st

from assessment.models import Submission
from programs import levels
from tests.support.errors import assert_errors_announced
from tests.support.forms import (
    RESULT_RE,
    client_data,
    fill_form,
    main_form,
    parse_forms,
    walk_with_client,
)
from tests.support.nasty import NASTY

pytestmark = [pytest.mark.django_db]

FUZZ = hyp_settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
values = st.one_of(
    st.sampled_from(NASTY),
    st.text(max_size=40),
    st.integers(min_value=-(10**20), max_value=10**20).map(str),
    st.text(alphabet="0123456789-", max_size=12),
)
RAW_BODIES = [
    b"\xff\xfe\x00garbage",
    b"%ED%A0%80=%ED%A0%80",  # an encoded lone surrogate
    b"a=%00&b=%C0%AF",
    b"&&&===&&",
    b"x" * 20_000,
    "zip_code=4020\u0000".encode(),
]


def check_submissions_are_whole():
    recommendable = {str(level) for level in levels.RECOMMENDABLE_LEVELS}
    for row in Submission.objects.all():
        assert row.token and row.submit_key and row.ruleset_version, row.pk
        assert row.level in recommendable, row.level
        assert row.answers and row.scores, f"submission {row.pk} has empty answers/scores"
        if row.callback_requested:
            assert row.contact_consent, "a call back was stored without consent"
            assert row.contact_phone or row.contact_email, "a call back with no way to reach"


def check_refusal(label: str, response):
    assert response.status_code < 500, f"{label}: answered {response.status_code}"
    if response.status_code == 200 and b'aria-invalid="true"' in response.content:
        assert_errors_announced(label, response.content.decode())


# --------------------------------------------------------------------------- assessment steps


@pytest.fixture
def ready_session(db):
    """A session that has answered every step but the review, and each step's form fields."""
    client = Client()
    forms = {}

    def keep(path, response):
        form = main_form(response.content.decode())
        if form is not None and not RESULT_RE.search(path):
            forms[path] = form

    with override_settings(RATE_LIMITS={}):
        response = client.get("/assessment/", follow=True)
        for _ in range(40):
            path = response.request["PATH_INFO"]
            keep(path, response)
            form = main_form(response.content.decode())
            if path.rstrip("/").endswith("review") or form is None:
                break
            response = client.post(form.action or path, client_data(fill_form(form)), follow=True)
    assert any(p.rstrip("/").endswith("review") for p in forms), f"never reached review: {forms}"
    return dict(client.session.items()), forms


def client_with(session_data) -> Client:
    client = Client()
    session = client.session
    session.update(session_data)
    session.save()
    return client


@st.composite
def step_posts(draw, forms):
    path = draw(st.sampled_from(sorted(forms)))
    form = forms[path]
    names = form.names + ["unknown_field", "action", "return", "csrfmiddlewaretoken"]
    valid = dict(client_data(fill_form(form)))
    data = {}
    for name in draw(st.lists(st.sampled_from(names), max_size=len(names), unique=True)):
        if draw(st.booleans()) and name in valid:
            data[name] = valid[name]  # a correct answer beside wrong ones
        else:
            data[name] = draw(st.lists(values, min_size=1, max_size=3))
    return path, data


@override_settings(RATE_LIMITS={})
def test_any_post_to_any_step_is_refused_kindly_or_accepted_whole(ready_session):
    session_data, forms = ready_session

    @FUZZ
    @given(st.data())
    def run(data):
        path, post = data.draw(step_posts(forms))
        before = Submission.objects.count()
        response = client_with(session_data).post(path, post)
        check_refusal(path, response)
        assert Submission.objects.count() - before in (0, 1)

    run()
    # Every example shared one wizard key: at most one row in all, and a whole one.
    assert Submission.objects.count() <= 1
    check_submissions_are_whole()


@override_settings(RATE_LIMITS={})
def test_broken_encodings_and_raw_bodies_never_crash_a_step(ready_session):
    session_data, forms = ready_session
    for path in forms:
        for body in RAW_BODIES:
            for content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
                response = client_with(session_data).generic(
                    "POST", path, body, content_type=content_type
                )
                assert response.status_code < 500, (path, body[:30], content_type)
    check_submissions_are_whole()


@override_settings(RATE_LIMITS={})
def test_out_of_order_and_replayed_steps_never_write_twice(db):
    walked = []
    client = Client()
    result = walk_with_client(client, on_page=lambda path, _r: walked.append(path))
    steps = [p for p in walked if "/step/" in p]
    assert len(steps) >= 5
    assert Submission.objects.count() == 1
    # A new person posting straight to a later step is sent to the first one; the first step
    # itself shows its messages (its answers are missing). No row.
    stranger = Client()
    first = steps[0]
    for path in reversed(steps):
        response = stranger.post(path, {"consent_to_store": "on"})
        if path == first:
            assert response.status_code == 200, (path, response.status_code)
            assert 'aria-invalid="true"' in response.content.decode()
        else:
            assert response.status_code == 302, (path, response.status_code)
            assert response["Location"] == first, path
    assert Submission.objects.count() == 1
    # The person who finished replays every step, the final one many times: the final step
    # leads to the same result, the others to the start; no row.
    for path in steps + [steps[-1]] * 5:
        response = client.post(path, {"consent_to_store": "on"})
        assert response.status_code == 302, (path, response.status_code)
        if path == steps[-1]:
            assert response["Location"] == result, path
        else:
            assert response["Location"] == "/assessment/", path
    assert Submission.objects.count() == 1
    # Going back to the start after finishing starts afresh: the start page never shows the
    # previous run's result link (a shared device, issue 10), and nothing is written twice.
    start = client.get("/assessment/")
    assert start.status_code == 200
    assert RESULT_RE.search(result).group(0) not in start.content.decode()
    check_submissions_are_whole()


# --------------------------------------------------------------------------- call back


@pytest.fixture
def result_page(db):
    client = Client()
    with override_settings(RATE_LIMITS={}):
        result = walk_with_client(client)
    html = client.get(result).content.decode()
    forms = [f for f in parse_forms(html) if f.method == "post" and "call-back" in f.action]
    assert forms, "the result page has no call-back form"
    token = RESULT_RE.search(result).group(1)
    return token, forms[0]


@override_settings(RATE_LIMITS={})
def test_any_call_back_request_is_refused_kindly_or_stored_with_consent(result_page):
    token, form = result_page
    names = form.names + ["unknown_field"]
    valid = dict(client_data(fill_form(form)))

    @FUZZ
    @given(st.data())
    def run(data):
        Submission.objects.filter(token=token).update(
            callback_requested=False,
            contact_consent=False,
            contact_name="",
            contact_phone="",
            contact_email="",
        )
        post = {}
        for name in data.draw(st.lists(st.sampled_from(names), unique=True)):
            if data.draw(st.booleans()) and name in valid:
                post[name] = valid[name]
            else:
                post[name] = data.draw(st.lists(values, min_size=1, max_size=2))
        response = Client().post(form.action, post)
        check_refusal(form.action, response)
        check_submissions_are_whole()

    run()
    for body in RAW_BODIES:
        response = Client().generic(
            "POST", form.action, body, content_type="application/x-www-form-urlencoded"
        )
        assert response.status_code < 500


# --------------------------------------------------------------------------- admin login


@override_settings(RATE_LIMITS={}, AXES_ENABLED=True)
def test_any_admin_login_attempt_is_refused_without_a_crash(db):
    login = "/" + settings.ADMIN_URL + "login/"

    @hyp_settings(
        max_examples=25,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(
        st.dictionaries(
            st.sampled_from(["username", "password", "next", "otp_token", "otp_device", "x"]),
            st.lists(values, min_size=1, max_size=2),
        )
    )
    def run(post):
        response = Client().post(login, post)
        assert response.status_code < 500, (
            response.status_code,
            {k: str(v)[:40] for k, v in post.items()},
        )
        assert b"Traceback" not in response.content

    run()


@pytest.mark.parametrize("length", [151, 256, 10_000])
def test_an_overlong_admin_username_is_refused_not_a_crash(db, length):
    """Found by the fuzzer on PostgreSQL: Django's AuthenticationForm sets the username's
    max_length after the field is built, so it is never validated; authenticate() runs and
    django-axes stores the attempt in a varchar(255): DataError, a 500."""
    login = "/" + settings.ADMIN_URL + "login/"
    response = Client(raise_request_exception=False).post(
        login, {"username": "x" * length, "password": "not-the-password"}
    )
    # Refused by the form before any authentication: the login page again, saying why.
    assert response.status_code == 200, response.status_code
    assert f"at most 150 characters (it has {length})".encode() in response.content
