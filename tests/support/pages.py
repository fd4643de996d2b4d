"""Every public page with the data it needs: the demo directory, the assessment walked end to
end, and the pages only a POST flood, an outage or a forged POST can produce (rendered by the
real code path). The accessibility, HTML, reflow, header, CSRF and rate-limit checks use these.
"""

from __future__ import annotations

import io

from django.conf import settings
from django.core.management import call_command, get_commands
from django.db import OperationalError
from django.test import Client
from django.urls import reverse

from tests.support.forms import RESULT_RE, main_form, parse_forms, walk_with_client

SEARCH_URL = "/programs/?zip=40202&level=IOP&insurance=medicaid"
API_URL = "/api/programs/?zip=40202&level=IOP"
ADMIN_LOGIN = "/" + settings.ADMIN_URL + "login/"


def make_directory():
    """The demo directory around Louisville, KY (seed_demo), or a few rows if it is missing."""
    from programs.demo import forget_demo_flag
    from programs.models import Location, Program, Provider, Session

    if "seed_demo" in get_commands():
        call_command("seed_demo", verbosity=0, stdout=io.StringIO())
    if not Program.objects.exists():
        provider = Provider.objects.create(name="Riverside Behavioral Health", slug="riverside")
        location = Location.objects.create(
            provider=provider,
            name="Downtown",
            street="100 W Main St",
            city="Louisville",
            state="KY",
            zip_code="40202",
            latitude=38.2542,
            longitude=-85.7594,
        )
        for level in ("IOP", "PHP", "OP"):
            program = Program.objects.create(
                provider=provider,
                location=location,
                name=f"Riverside {level}",
                slug=f"riverside-{level.lower()}",
                level=level,
                age_groups=["adult"],
                payment=["medicaid", "private"],
                languages=["en"],
                intake_phone="502-555-0100",
            )
            Session.objects.create(program=program, weekday=0, start="18:00", end="21:00")
    forget_demo_flag()
    return Program.objects.filter(is_active=True).order_by("pk").first()


def expire_a_result() -> str:
    """A result page whose link has expired (RESULT_LINK_DAYS passed): its URL."""
    from datetime import timedelta

    from django.conf import settings as django_settings
    from django.utils import timezone

    from assessment.models import Submission

    row = Submission.objects.order_by("pk").first()
    assert row is not None, "take the assessment first"
    old = timezone.now() - timedelta(days=django_settings.RESULT_LINK_DAYS + 1)
    Submission.objects.filter(pk=row.pk).update(created_at=old)
    return row.get_absolute_url()


# --------------------------------------------------------------------------- error pages


def _request(path="/"):
    request = Client().get("/").wsgi_request
    request.path = path
    return request


def error_pages() -> dict[str, tuple[int, str]]:
    """The pages only a POST flood, an outage or a forged POST can produce, by the real code."""
    from iop_finder.core import ratelimit
    from iop_finder.core.middleware import DatabaseUnavailableMiddleware
    from iop_finder.core.views import error_500

    pages = {}
    response = ratelimit.too_many_requests(_request("/assessment/"))
    pages["429"] = (response.status_code, response.content.decode())
    response = DatabaseUnavailableMiddleware(lambda r: None).process_exception(
        _request("/assessment/"), OperationalError("connection refused")
    )
    pages["503"] = (response.status_code, response.content.decode())
    response = error_500(_request())
    pages["500"] = (response.status_code, response.content.decode())
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("assessment:restart"), {})
    pages["403 CSRF"] = (response.status_code, response.content.decode())
    return pages


def all_public_pages() -> dict[str, str]:
    """Every public page's HTML by the test client: the assessment walked end to end (each
    step, the result), the directory, the admin login and the error pages."""
    program = make_directory()
    client = Client()
    pages: dict[str, str] = {}
    walk_with_client(
        client, on_page=lambda path, response: pages.setdefault(path, response.content.decode())
    )
    crisis_panel = "/assessment/reach-out/"
    for path in (
        "/",
        "/crisis/",
        crisis_panel,
        SEARCH_URL,
        "/programs/",
        program.get_absolute_url(),
    ):
        response = client.get(path)
        assert response.status_code == 200, f"{path} answered {response.status_code}"
        pages[path] = response.content.decode()
    pages["404"] = client.get("/no-such-page/").content.decode()
    # The crisis path (most severe answers: the crisis panel, the EMERGENCY result).
    walk_with_client(
        Client(),
        mode="last",
        on_page=lambda path, response: pages.setdefault(
            f"crisis path {path}", response.content.decode()
        ),
    )
    # A step and the call-back form showing their errors.
    fresh = Client()
    first = fresh.get("/assessment/", follow=True)
    form = main_form(first.content.decode())
    hidden = {f.name: f.value for f in form.fields if f.type == "hidden"}
    refused = fresh.post(form.action or first.request["PATH_INFO"], hidden)
    assert refused.status_code == 200, refused.status_code
    pages["step with errors"] = refused.content.decode()
    result_html = pages[next(p for p in pages if RESULT_RE.search(p))]
    callback = next(
        f for f in parse_forms(result_html) if f.method == "post" and "call-back" in f.action
    )
    refused = client.post(callback.action, {})
    assert refused.status_code == 200, refused.status_code
    pages["call-back with errors"] = refused.content.decode()
    # Coming back to /assessment/ after sending: the "you already finished" page.
    finished = client.get("/assessment/")
    assert finished.status_code == 200, finished.status_code
    pages["assessment finished"] = finished.content.decode()
    expired_url = expire_a_result()
    expired = client.get(expired_url)
    assert expired.status_code == 410, expired.status_code
    pages["result link expired"] = expired.content.decode()
    pages[ADMIN_LOGIN] = Client().get(ADMIN_LOGIN).content.decode()
    for name, (_status, html) in error_pages().items():
        pages[f"error {name}"] = html
    return pages
