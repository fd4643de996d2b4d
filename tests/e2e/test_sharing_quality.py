"""The pages issue 10 added, checked like every public page (tests/quality): 0 axe violations
(WCAG 2.2 AA) in a real browser and 0 Nu HTML Checker errors. The resume page and its refusal,
"Email me a link" refused on a step and on the result, a shared result, the page after "Finish
and clear"."""

from __future__ import annotations

import re
import shutil

import pytest
from django.test import Client

from iop_finder.outbox.models import OutboxEmail
from tests.quality.test_html_valid import vnu
from tests.support.browser import describe_violations, need_node_tools, run_axe
from tests.support.pages import make_directory
from tests.support.wizard_walk import walk

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def new_pages() -> dict[str, tuple[str, int]]:
    """{label: (path or html, status)} of the issue 10 pages, made with the test client."""
    make_directory()
    client = Client()
    walk(client, until="mood")
    pages = {}
    refused = client.post("/assessment/step/mood/email-link/", {"email": "nope"})
    pages["step: email link refused"] = (refused.content.decode(), refused.status_code)
    client.post("/assessment/step/mood/email-link/", {"email": "person@example.org"})
    link = re.search(r"http://testserver(/\S+)", OutboxEmail.objects.get().body).group(1)
    confirm = Client().get(link)
    pages["resume: continue"] = (confirm.content.decode(), confirm.status_code)
    other = Client()
    other.post(link)
    gone = Client().get(link)
    pages["resume: refused"] = (gone.content.decode(), gone.status_code)
    result = walk(other)["Location"]
    token = result.rstrip("/").rsplit("/", 1)[-1]
    bad = other.post(f"/assessment/r/{token}/email-link/", {"email": "nope"})
    pages["result: email link refused"] = (bad.content.decode(), bad.status_code)
    other.post(
        f"/assessment/r/{token}/call-back/",
        {"contact_phone": "502-555-0142", "contact_consent": "on"},
    )
    shared = other.get(result)
    pages["result: shared"] = (shared.content.decode(), shared.status_code)
    other.post("/assessment/finish/")
    home = other.get("/")
    pages["home after finish and clear"] = (home.content.decode(), home.status_code)
    return pages


def test_the_new_pages_are_valid_html(tmp_path):
    need_node_tools()
    java = shutil.which("java")
    assert java, "Java is needed for the HTML checker: apt-get install -y default-jre-headless"
    files = {}
    for label, (html, status) in new_pages().items():
        assert status in (200, 410), (label, status)
        name = re.sub(r"[^A-Za-z0-9]+", "_", label).strip("_") + ".html"
        (tmp_path / name).write_text(html, encoding="utf-8")
        files[name] = label
    messages = vnu([tmp_path / name for name in files], java)
    errors = [
        f"{files.get(str(m.get('url', '')).rsplit('/', 1)[-1])}: {m.get('message')}"
        for m in messages
        if m.get("type") == "error" or m.get("subType") == "fatal"
    ]
    assert len(files) == 6
    assert not errors, "\n".join(errors)


def serving(html: str):
    def fulfil(route):
        route.fulfill(body=html, content_type="text/html")

    return fulfil


def test_the_new_pages_have_no_axe_violations(page, live_server):
    need_node_tools()
    failures = []
    for label, (html, _status) in new_pages().items():
        # The page as served, with our CSS and scripts (the same origin, so they load).
        page.route(f"{live_server.url}/__issue10__", serving(html))
        page.goto("/__issue10__")
        page.wait_for_load_state()
        violations = run_axe(page)
        if violations:
            failures.append(describe_violations(label, violations))
        page.unroute(f"{live_server.url}/__issue10__")
    assert not failures, "\n".join(failures)
