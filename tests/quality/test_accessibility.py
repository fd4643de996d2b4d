"""WCAG 2.2 AA with axe-core in a real browser (Chromium), on every public page.

axe-core comes from npm (``npm ci --ignore-scripts``) and runs with the tags wcag2a, wcag2aa,
wcag21a, wcag21aa and wcag22aa. A failure lists each rule id, its impact and the CSS selectors
of the elements, so it can be fixed without rerunning anything. Automated checks find only part
of the problems: the keyboard test and a manual screen-reader pass cover more.

Also here: form errors are announced (an error summary that links to each field; the field has
aria-invalid and aria-describedby pointing at its message), checked on the DOM.
"""

import re

import pytest
from django.conf import settings

from tests.support.browser import (
    console_csp_errors,
    describe_violations,
    fill_in_browser,
    need_node_tools,
    run_axe,
    walk_in_browser,
)
from tests.support.errors import assert_errors_announced
from tests.support.forms import client_data, main_form, parse_forms, walk_with_client
from tests.support.pages import SEARCH_URL, expire_a_result, make_directory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _tools():
    need_node_tools()


def test_home_crisis_search_detail_and_404_have_no_axe_violations(page, transactional_db):
    program = make_directory()
    csp_errors = console_csp_errors(page)
    failures = []
    for label, path in [
        ("home", "/"),
        ("crisis", "/crisis/"),
        ("crisis panel", "/assessment/reach-out/"),
        ("program search", SEARCH_URL),
        ("program search, no filters", "/programs/"),
        ("program detail", program.get_absolute_url()),
        ("404", "/no-such-page/"),
    ]:
        page.goto(path)
        violations = run_axe(page)
        if violations:
            failures.append(describe_violations(f"{label} {path}", violations))
    assert not csp_errors, f"the browser blocked content under our CSP: {csp_errors}"
    assert not failures, "\n".join(failures)


def test_every_assessment_step_and_the_result_have_no_axe_violations(page, transactional_db):
    make_directory()
    csp_errors = console_csp_errors(page)
    failures = []
    seen = []

    def check(path):
        seen.append(path)
        violations = run_axe(page)
        if violations:
            failures.append(describe_violations(path, violations))

    result = walk_in_browser(page, check)
    assert len(seen) >= 5, f"only {seen} were visited"
    # The result page with a call-back form showing its errors.
    callback = page.locator("form[action*='call-back'] button[type=submit]")
    if callback.count():
        callback.first.click()
        page.wait_for_load_state()
        check(f"{result} (call-back errors)")
    # Coming back after sending, and the result link once it has expired.
    page.goto("/assessment/")
    check("/assessment/ (already finished)")
    page.goto(expire_a_result())
    check("result link expired")
    assert not csp_errors, f"the browser blocked content under our CSP: {csp_errors}"
    assert not failures, "\n".join(failures)


def test_the_staff_login_page_has_no_axe_violations(page, transactional_db):
    """Staff are people too (WCAG applies to the admin): the login page a coordinator meets."""
    page.goto("/" + settings.ADMIN_URL + "login/")
    violations = run_axe(page)
    assert not violations, describe_violations("admin login", violations)


def test_the_crisis_path_has_no_axe_violations(page, transactional_db):
    """The most severe answers: the crisis panel shows, then the EMERGENCY result."""
    make_directory()
    failures = []
    panels = []

    def check(path):
        if path.endswith("/assessment/reach-out/"):
            assert main_form(page.content()) is None, "the crisis panel asks nothing"
            panels.append(path)
        violations = run_axe(page)
        if violations:
            failures.append(describe_violations(f"{path} (crisis path)", violations))

    visited = []
    walk_in_browser(page, lambda path: (visited.append(path), check(path)), mode="last")
    assert panels, "the most severe answers did not show the crisis panel"
    # Crisis help comes right after the first page, before anything else is asked.
    assert visited.index(panels[0]) == 1, visited
    assert page.locator('main a[href="tel:988"]').count(), "the result must show 988"
    assert not failures, "\n".join(failures)


def test_live_crisis_help_next_to_an_answer_has_no_axe_violations(page, transactional_db):
    """The box the script shows under an answer that calls for the crisis panel."""
    make_directory()
    page.goto("/assessment/")
    for _ in range(12):
        marked = page.locator('main input[data-crisis="panel"]')
        if marked.count():
            break
        fill_in_browser(page)
    else:
        raise AssertionError("no step marks an answer that calls for the crisis panel")
    option = next(
        marked.nth(i)
        for i in range(marked.count())
        if page.locator(f"label[for='{marked.nth(i).get_attribute('id')}']").is_visible()
    )
    question_id = option.get_attribute("name")
    page.locator(f"label[for='{option.get_attribute('id')}']").click()
    box = page.locator(f"#live-crisis-{question_id}")
    assert box.is_visible()
    violations = run_axe(page)
    assert not violations, describe_violations(f"{page.url} (live crisis help)", violations)


def test_an_assessment_step_showing_errors_has_no_axe_violations(page, transactional_db):
    make_directory()
    page.goto("/assessment/")
    page.locator("main form button[type=submit]").last.click()
    page.wait_for_load_state()
    assert page.locator("[aria-invalid=true]").count() > 0, "an empty step was accepted"
    violations = run_axe(page)
    assert not violations, describe_violations(f"{page.url} (errors)", violations)


def test_the_kind_error_pages_have_no_axe_violations(page, served_errors, transactional_db):
    failures = []
    for name, url in served_errors.items():
        page.goto(url)
        assert page.locator("h1").count() == 1, f"{name}: one h1"
        violations = run_axe(page)
        if violations:
            failures.append(describe_violations(f"error page {name}", violations))
    assert not failures, "\n".join(failures)


# --------------------------------------------------------------------------- error announcements


def _empty_post(client, path):
    response = client.get(path, follow=True)
    path = response.request["PATH_INFO"]
    form = main_form(response.content.decode())
    assert form is not None, f"no form at {path}"
    keep = [(f.name, f.value) for f in form.fields if f.type == "hidden"]
    return path, client.post(form.action or path, client_data(keep))


def test_an_empty_step_announces_its_errors_linked_to_the_fields(client):
    make_directory()
    path, response = _empty_post(client, "/assessment/")
    assert response.status_code == 200, response.status_code
    html = response.content.decode()
    assert_errors_announced(path, html)
    assert re.search(r"<title>[^<]*(error|problem|fix)", html, re.I), (
        "the title should say there is a problem, so screen readers hear it first"
    )


def test_the_call_back_form_announces_its_errors_and_keeps_what_was_typed(client):
    make_directory()
    result = walk_with_client(client)
    html = client.get(result).content.decode()
    form = next(f for f in parse_forms(html) if f.method == "post" and "call-back" in f.action)
    data = {f.name: f.value for f in form.fields if f.type == "hidden"}
    typed = "Sam Typed-Name"
    name_fields = [n for n in form.names if "name" in n]
    if name_fields:
        data[name_fields[0]] = typed
    response = client.post(form.action, data)
    assert response.status_code == 200, (
        f"an incomplete call-back request answered {response.status_code}"
    )
    html = response.content.decode()
    assert_errors_announced(form.action, html)
    if name_fields:
        assert typed in html, "what the person typed must be kept when errors are shown"


# --------------------------------------------------------------------------- the Spanish site


def test_the_spanish_pages_have_no_axe_violations(page_es, transactional_db):
    """A browser set to Spanish: home, crisis, the directory, a program, a 404, every step of
    the assessment, the result, a step showing its errors (issue 10)."""
    program = make_directory()
    csp_errors = console_csp_errors(page_es)
    failures = []
    seen = []

    def check(label):
        assert page_es.locator("html").get_attribute("lang") == "es", f"{label} is not Spanish"
        seen.append(label)
        violations = run_axe(page_es)
        if violations:
            failures.append(describe_violations(f"{label} (es)", violations))

    for path in ["/", "/crisis/", "/assessment/reach-out/", SEARCH_URL, "/programs/"]:
        page_es.goto(path)
        check(page_es.url)
    page_es.goto(program.get_absolute_url())
    check(page_es.url)
    page_es.goto("/no-such-page/")
    check("404")
    result = walk_in_browser(page_es, check)
    assert "/es/assessment/r/" in result, result
    page_es.goto("/assessment/")  # a new run after a finished one starts at the first step
    page_es.context.clear_cookies()
    page_es.goto("/assessment/")
    page_es.locator("main form button[type=submit]").last.click()
    page_es.wait_for_load_state()
    assert page_es.locator("[aria-invalid=true]").count() > 0, "an empty step was accepted"
    check(f"{page_es.url} (errors)")
    assert len(seen) >= 12, seen
    assert not csp_errors, f"the browser blocked content under our CSP: {csp_errors}"
    assert not failures, "\n".join(failures)


def test_the_spanish_error_pages_have_no_axe_violations(page_es, served_errors_es):
    failures = []
    for name, url in served_errors_es.items():
        page_es.goto(url)
        assert page_es.locator("h1").count() == 1, f"{name}: one h1"
        violations = run_axe(page_es)
        if violations:
            failures.append(describe_violations(f"error page {name} (es)", violations))
    assert not failures, "\n".join(failures)
