"""Every public page, with the data it needs, for the accessibility, HTML and reflow checks.

Pages are collected two ways: by Django's test client (fast: HTML validation, static scans), and
in a real browser (axe-core, keyboard, reflow). Pages that only a POST or an outage can produce
(429, 503, the CSRF 403, 500) are rendered by the real code path on the server side and served to
the browser at a live-server URL with ``page.route``, so their CSS and layout are real.
"""

from __future__ import annotations

import io
import random
import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command, get_commands
from django.db import OperationalError
from django.test import Client
from django.urls import reverse

from assessment.instruments import DECLINED
from loadtest.run import RESULT_RE, fill_form, main_form, parse_forms, walk_with_client

ROOT = Path(__file__).resolve().parents[2]
AXE_JS = ROOT / "node_modules" / "axe-core" / "axe.min.js"
VNU_JAR = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
SEARCH_URL = "/programs/?zip=40202&level=IOP&insurance=medicaid"
API_URL = "/api/programs/?zip=40202&level=IOP"


def need_node_tools():
    missing = [str(p.relative_to(ROOT)) for p in (AXE_JS, VNU_JAR) if not p.exists()]
    if missing:
        pytest.fail(
            f"missing {missing}: run 'npm ci --ignore-scripts' in the repository root "
            "(quality tests are never skipped)"
        )


@pytest.fixture(autouse=True)
def _no_rate_limits(settings):
    """Walking the assessment many times from one address would hit the per-minute limits."""
    settings.RATE_LIMITS = {}


# --------------------------------------------------------------------------- data


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


@dataclass
class SiteData:
    program_url: str
    result_url: str
    steps: list[str] = field(default_factory=list)  # every assessment page on the way


def make_site_data() -> SiteData:
    program = make_directory()
    steps: list[str] = []
    result = walk_with_client(Client(), on_page=lambda path, _response: steps.append(path))
    return SiteData(program_url=program.get_absolute_url(), result_url=result, steps=steps[:-1])


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


ADMIN_LOGIN = "/" + settings.ADMIN_URL + "login/"


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


# --------------------------------------------------------------------------- browser helpers


@pytest.fixture
def site_data(transactional_db, live_server) -> SiteData:
    return make_site_data()


@pytest.fixture
def served_errors(page, live_server):
    """Serve the error pages at /__error/<name>/ on the live server's origin."""
    pages = error_pages()
    urls = {}
    for name, (status, html) in pages.items():
        slug = re.sub(r"[^a-z0-9]+", "-", name.lower())
        url = f"/__error/{slug}/"

        def fulfil(route, _request=None, *, status=status, html=html):
            route.fulfill(status=status, body=html, content_type="text/html; charset=utf-8")

        page.route(f"**{url}", fulfil)
        urls[name] = url
    return urls


def run_axe(page) -> list[dict]:
    """axe-core's WCAG 2.2 AA violations on the current page.

    axe is evaluated through the DevTools protocol (``page.evaluate``), which our CSP
    (script-src 'self') does not block, so the page keeps its real policy during the test.
    """
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(AXE_JS.read_text(encoding="utf-8"))
    result = page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags},"
        " resultTypes: ['violations']})",
        WCAG_TAGS,
    )
    return result["violations"]


def describe_violations(label: str, violations: list[dict]) -> str:
    lines = [f"{label}: {len(violations)} axe violation(s)"]
    for v in violations:
        lines.append(f"  - {v['id']} ({v['impact']}): {v['help']} [{v['helpUrl']}]")
        summaries: dict[str, list[str]] = {}
        for node in v["nodes"]:
            summary = " ".join(node.get("failureSummary", "").split())
            summary = summary.replace("Fix any of the following: ", "")
            summaries.setdefault(summary, []).append(" ".join(map(str, node["target"])))
        for summary, targets in summaries.items():
            lines.append(f"      {targets[:6]}: {summary}")
    return "\n".join(lines)


def most_severe(form, pairs):
    """The "last" answers, but never "Prefer not to say" where a real answer exists: the crisis
    path must give the most severe answers."""
    last_real: dict[str, str] = {}
    for f in form.fields:
        if f.type == "radio" and f.value != DECLINED:
            last_real[f.name] = f.value
    return [
        (name, last_real.get(name, value) if value == DECLINED else value) for name, value in pairs
    ]


def fill_in_browser(page, rng=None, mode="first"):
    """Answer the current step in the browser (same answers as the load test) and go on."""
    form = main_form(page.content())
    assert form is not None, f"no form on {page.url}"
    pairs = fill_form(form, rng or random.Random(0), mode=mode)
    if mode == "last":
        pairs = most_severe(form, pairs)
    by_value = {(f.name, f.value): f for f in form.fields}
    by_name = {f.name: f for f in form.fields}
    for name, value in pairs:
        f = by_value.get((name, value)) or by_name.get(name)
        if f is None or f.type in ("hidden", "submit"):
            continue
        if f.attrs.get("id"):
            element = page.locator(f"[id='{f.attrs['id']}']")
        else:
            element = page.locator(f'main form [name="{name}"]').first
        if not element.is_visible():  # follow-up questions that do not apply stay hidden
            continue
        if f.type in ("radio", "checkbox"):
            element.check()
        elif f.type == "select":
            element.select_option(value)
        else:
            element.fill(value)
    button = form.forward_button
    assert button is not None, f"no button to go on at {page.url}"
    text = button.attrs.get("_text", "").strip() or button.value
    page.locator("main form").locator("button[type=submit], input[type=submit]").filter(
        has_text=re.compile(re.escape(text))
    ).first.click()
    page.wait_for_load_state()


def walk_in_browser(page, on_page, max_steps=20, mode="first"):
    """Take the whole assessment in the browser; ``on_page(label)`` at every page and result."""
    page.goto("/assessment/")
    visited = []
    for _ in range(max_steps * 2):
        path = page.url.split(page.url.split("/")[2], 1)[1]
        invalid = page.locator("[aria-invalid=true]")
        if visited and visited[-1] == path and invalid.count():
            names = [invalid.nth(i).get_attribute("name") for i in range(invalid.count())]
            raise AssertionError(f"the answers were refused on {path}: {names}")
        visited.append(path)
        on_page(path)
        if RESULT_RE.search(path):
            return path
        if main_form(page.content()) is None:
            onward = page.locator('main a[href^="/assessment/step/"]')
            assert onward.count(), f"no form and no way onward on {path}"
            onward.last.click()
            page.wait_for_load_state()
            continue
        fill_in_browser(page, mode=mode)
    raise AssertionError(f"the assessment did not end within the step limit: {visited}")


def console_csp_errors(page) -> list[str]:
    errors: list[str] = []
    page.on(
        "console",
        lambda msg: (
            errors.append(msg.text)
            if msg.type == "error" and "Content Security Policy" in msg.text
            else None
        ),
    )
    return errors
