"""The freshness pages meet the same bar as the other public pages: the listing contact's form
(blank and with errors), a refused link, the thanks page and the problem report (blank and with
errors) have no axe violations, are valid HTML, and announce their errors."""

import re
import shutil

import pytest
from django.test import Client

from programs import listing
from tests.programs.factories import evening_iop
from tests.quality.test_html_valid import vnu
from tests.support.browser import console_csp_errors, describe_violations, need_node_tools, run_axe
from tests.support.errors import assert_errors_announced

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _pages():
    """{label: (path, html)} for every freshness page, rendered by the test client."""
    program = evening_iop(name="Riverside Evening IOP", listing_email="intake@a.example")
    client = Client()
    link = listing.send_link(program, by="test")
    path = listing.link_path(link)
    bad_update = {"accepting_new_patients": "no", "sessions": "Mon late", "wait_days": "400"}
    report = f"/programs/{program.slug}/report/"
    pages = {
        "update form": (path, client.get(path)),
        "update form, errors": (path, client.post(path, bad_update)),
        "report form": (report, client.get(report)),
        "report form, errors": (report, client.post(report, {"kind": "other"})),
    }
    client.post(path, {"accepting_new_patients": "yes"})
    pages["link used"] = (path, client.get(path))
    thanks = f"/programs/{program.slug}/listing/updated/?review=1"
    pages["thanks"] = (thanks, client.get(thanks))
    return {label: (url, response.content.decode()) for label, (url, response) in pages.items()}


def test_freshness_pages_have_no_axe_violations_and_announce_errors(page, live_server):
    need_node_tools()
    pages = _pages()
    for label in ("update form, errors", "report form, errors"):
        assert_errors_announced(label, pages[label][1])
    csp_errors = console_csp_errors(page)
    failures = []
    for label, (url, html) in pages.items():
        page.route(
            f"**{url}",
            lambda route, _request=None, html=html: route.fulfill(
                status=200, body=html, content_type="text/html; charset=utf-8"
            ),
        )
        page.goto(url)
        page.unroute(f"**{url}")
        violations = run_axe(page)
        if violations:
            failures.append(describe_violations(label, violations))
    assert not csp_errors, csp_errors
    assert not failures, "\n".join(failures)


def test_freshness_pages_are_valid_html(tmp_path):
    need_node_tools()
    java = shutil.which("java")
    assert java, "Java is needed for the HTML checker: apt-get install -y default-jre-headless"
    files = {}
    for label, (_url, html) in _pages().items():
        path = tmp_path / (re.sub(r"[^A-Za-z0-9]+", "_", label) + ".html")
        path.write_text(html, encoding="utf-8")
        files[path.name] = label
    errors = [
        f"{files.get(str(m.get('url', '')).rsplit('/', 1)[-1])} line {m.get('lastLine')}: "
        f"{m.get('message')}"
        for m in vnu(list(tmp_path.iterdir()), java)
        if m.get("type") == "error" or m.get("subType") == "fatal"
    ]
    assert not errors, "\n".join(errors)
