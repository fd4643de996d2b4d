"""What a person sees on the home, crisis and error pages, and the health check."""

from unittest import mock

import pytest
from django.db import OperationalError
from django.test import override_settings

from programs.levels import LEVEL_INFO, RECOMMENDABLE_LEVELS

pytestmark = pytest.mark.django_db

PUBLIC_PAGES = ["/", "/crisis/"]


def test_home_shows_the_five_levels_with_hours_and_both_calls_to_action(client):
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    for level in RECOMMENDABLE_LEVELS:
        assert str(LEVEL_INFO[level].name) in html
        assert str(LEVEL_INFO[level].hours) in html
    assert "Take the self-assessment" in html
    assert "Browse programs" in html
    assert "9 to 19 hours a week" in html
    assert "20 or more hours a week" in html


@pytest.mark.parametrize("url", PUBLIC_PAGES)
def test_every_page_has_the_crisis_link_disclaimer_and_landmarks(client, url):
    html = client.get(url).content.decode()
    assert 'href="/crisis/"' in html
    assert "In crisis? Call or text 988" in html
    assert "does not give a diagnosis or medical advice" in html
    assert '<html lang="en">' in html
    assert 'class="skip-link" href="#main"' in html
    for landmark in ("<header", "<main", "<footer", "<nav"):
        assert landmark in html


def test_crisis_page_lists_988_911_and_the_crisis_text_line(client):
    html = client.get("/crisis/").content.decode()
    assert 'href="tel:988"' in html
    assert 'href="sms:988"' in html
    assert 'href="tel:911"' in html
    assert "741741" in html and "HOME" in html


@pytest.mark.parametrize("url", PUBLIC_PAGES + ["/does-not-exist/"])
def test_pages_reference_no_other_host(client, url, assert_same_origin):
    assert_same_origin(client.get(url))


def test_static_files_are_self_hosted(client):
    html = client.get("/").content.decode()
    assert "/static/bootstrap/css/bootstrap.min.css" in html
    css = client.get("/static/bootstrap/css/bootstrap.min.css")
    assert css.status_code == 200


def test_404_page_is_styled_and_kind(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "We couldn&#x27;t find that page" in html or "We couldn't find that page" in html
    assert "/static/css/site.css" in html
    assert 'href="tel:988"' in html


def test_500_page_renders_without_a_stack_trace(client):
    from iop_finder.core import views

    request = client.get("/").wsgi_request
    response = views.error_500(request)
    assert response.status_code == 500
    assert b"Something went wrong" in response.content
    assert b"Traceback" not in response.content


def test_healthz_answers_200_when_the_database_answers(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "up"}


def test_healthz_answers_503_when_the_database_is_unreachable(client):
    with mock.patch(
        "django.db.backends.base.base.BaseDatabaseWrapper.cursor",
        side_effect=OperationalError("could not connect to server"),
    ):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["status"] == "unavailable"


class _Outage:
    def __iter__(self):
        raise OperationalError("server closed the connection unexpectedly")


@override_settings(DEBUG=False)
def test_database_outage_gives_a_kind_503_page(client):
    with mock.patch("pages.views.RECOMMENDABLE_LEVELS", _Outage()):
        response = client.get("/")
    assert response.status_code == 503
    html = response.content.decode()
    assert "short technical problem" in html
    assert 'href="tel:988"' in html
    assert "Traceback" not in html


def test_security_headers_on_pages(client):
    response = client.get("/")
    csp = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "unsafe-inline" not in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert "camera=()" in response.headers["Permissions-Policy"]


def test_database_outage_inside_middleware_still_gives_the_503_page():
    """A lost connection raised outside a view (e.g. saving the session) is not a stack trace."""
    from django.test import Client

    client = Client(raise_request_exception=False)
    with mock.patch(
        "django.contrib.sessions.middleware.SessionMiddleware.process_response",
        side_effect=OperationalError("terminating connection due to administrator command"),
    ):
        response = client.get("/crisis/")
    assert response.status_code == 503
    assert "short technical problem" in response.content.decode()


def test_a_form_posted_without_its_security_token_gets_a_kind_page(client):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    response = strict.post("/crisis/", {"x": "1"})
    assert response.status_code == 403
    assert "Please try that again" in response.content.decode()


def test_a_session_save_that_fails_for_lack_of_a_database_is_a_503_not_a_400(rf):
    """The database session backend reports a failed update as SessionInterrupted (a 400),
    with the database error as its context: that is an outage, not a bad request."""
    from django.contrib.sessions.backends.base import UpdateError
    from django.contrib.sessions.exceptions import SessionInterrupted

    from iop_finder.core import views

    try:
        try:
            try:
                raise OperationalError("server closed the connection unexpectedly")
            except OperationalError:
                raise UpdateError from None
        except UpdateError as update_error:
            raise SessionInterrupted("The request's session was deleted.") from update_error
    except SessionInterrupted as error:
        interrupted = error
    # "from None" hides the context for display, but __context__ is still set; be robust to both.
    interrupted.__cause__.__context__ = OperationalError("server closed the connection")
    response = views.error_400(rf.get("/"), interrupted)
    assert response.status_code == 503
    assert views.error_400(rf.get("/"), SessionInterrupted("x")).status_code == 400
