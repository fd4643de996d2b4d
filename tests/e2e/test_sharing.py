"""Issue 10 in a real browser: an unshared result leaves no row visible in the admin (until the
person shares); a resume link from one browser continues in another; quick exit clears the run;
Back and refresh are safe; the result page on a narrow phone (day names whole, copy link)."""

from __future__ import annotations

import re

import pytest
from django.apps import apps

from assessment.models import Submission
from iop_finder.outbox.models import OutboxEmail
from tests.e2e.test_assessment import PHONE, RESULT_URL, Person, scenarios

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

#: The neutral site, for the browser tests: a page of our own server standing in for the real
#: one (a redirect to another host is not reliably caught by Playwright's routing; the real
#: default is tested in tests/assessment/test_shared_device.py).
NEUTRAL_PATH = "/static/favicon.svg"
URGENT = {"cssrs_1": 1, "cssrs_2": 0, "cssrs_6": 0, "phq9_9": 1}


@pytest.fixture
def neutral(live_server, settings):
    settings.QUICK_EXIT_URL = live_server.url + NEUTRAL_PATH
    return settings.QUICK_EXIT_URL


@pytest.fixture
def contexts(browser, live_server, neutral):
    """Separate browsers (no shared cookies), phone-sized, with any request to the real neutral
    site answered here (no request ever leaves this machine)."""
    made = []

    def new(**options):
        context = browser.new_context(base_url=live_server.url, viewport=PHONE, **options)
        context.route(
            re.compile(r"https://www\.weather\.gov/.*"),
            lambda route: route.fulfill(body="<title>Weather</title><h1>Weather</h1>"),
        )
        page = context.new_page()
        page.set_default_timeout(15000)
        made.append(context)
        return page

    yield new
    for context in made:
        context.close()


def mild(page) -> Person:
    person = Person(page, dict(scenarios()["MILD"]))
    person.start_from_home()
    return person


def test_an_unshared_result_leaves_no_row_visible_in_the_admin(contexts, settings):
    """Needs the admissions side to open the case and the notice on ``submission_shared`` and
    to show only shared runs (helper "admit")."""
    from admissions import roles
    from tests.admissions.factories import PASSWORD, staff_user

    settings.STAFF_REQUIRE_2FA = False
    settings.ADMISSIONS_ONCALL_EMAIL = "oncall@example.org"
    roles.ensure_roles(apps)
    staff_user("casey", roles.ADMISSIONS)

    person = Person(contexts(), {**scenarios()["MILD"], **URGENT})
    person.start_from_home()
    person.take()
    assert RESULT_URL.match(person.page.url)
    submission = Submission.objects.get()
    assert submission.urgent and submission.shared_at is None
    assert person.page.get_by_text("Nobody is watching this page.").is_visible()

    staff = contexts()
    staff.goto("/admin/")
    staff.get_by_label("Username").fill("casey")
    staff.get_by_label("Password").fill(PASSWORD)
    staff.get_by_role("button", name="Log in").click()
    staff.wait_for_load_state()
    staff.goto("/admin/assessment/submission/")
    assert submission.token[:8] not in staff.locator("main").inner_text()
    opened = staff.goto(f"/admin/assessment/submission/{submission.pk}/change/")
    assert submission.token[:8] not in staff.locator("main").inner_text() or opened.status != 200
    assert not OutboxEmail.objects.filter(kind="urgent_notice").exists()

    # The person shares: now the team sees the run.
    page = person.page
    page.get_by_label("Phone number").fill("(502) 555-0142")
    page.locator('label[for="id_contact_consent"]').click()
    page.get_by_role("button", name="Share my answers and ask for a call").click()
    page.wait_for_load_state()
    assert page.get_by_text("We have your request for a call back.").is_visible()
    staff.goto("/admin/assessment/submission/")
    assert submission.token[:8] in staff.locator("main").inner_text()


def test_a_resume_link_from_one_browser_continues_in_another(contexts):
    first = contexts()
    person = mild(first)
    person.take(stop_at="substances")
    first.get_by_text("Email me a link to finish later").click()
    first.get_by_label("Your email address").fill("person@example.org")
    first.get_by_role("button", name="Email me a link", exact=True).click()
    first.wait_for_load_state()
    assert first.get_by_text("We are sending the link to your email address now.").is_visible()
    link = re.search(r"http://\S+", OutboxEmail.objects.get().body).group(0)
    assert "phq9" not in link

    second = contexts()
    second.goto(link)
    second.get_by_role("button", name="Continue").click()
    second.wait_for_load_state()
    assert second.url.endswith("/assessment/step/substances/")
    # The answers came along: Back shows the mood answers as given in the first browser.
    second.locator("main form button[value=back]").click()
    second.wait_for_load_state()
    assert second.url.endswith("/assessment/step/mood/")
    assert second.locator("main form input[type=radio]:checked").count() >= 5
    # Finishing in the second browser stores one result.
    Person(second, dict(scenarios()["MILD"])).take()
    assert RESULT_URL.match(second.url) and Submission.objects.count() == 1

    third = contexts()
    refused = third.goto(link)
    assert refused.status == 410
    assert third.get_by_role("link", name="Start again").is_visible()


def test_quick_exit_clears_the_run_and_back_does_not_return(contexts, neutral):
    page = contexts()
    person = mild(page)
    person.take(stop_at="substances")
    page.get_by_role("link", name=re.compile("Leave this site")).click()
    page.wait_for_url(neutral)
    page.go_back()
    page.wait_for_load_state()
    assert not page.url.endswith("/assessment/step/substances/")  # replaced, not stacked
    # Whatever Back shows, this browser no longer holds the run: a fresh first step.
    page.goto("/assessment/step/substances/")
    assert page.url.endswith("/assessment/step/now/")
    assert page.locator("main form input:checked").count() == 0


def test_escape_three_times_leaves_too(contexts, neutral):
    page = contexts()
    mild(page).take(stop_at="mood")
    for _ in range(3):
        page.keyboard.press("Escape")
    page.wait_for_url(neutral)
    page.goto("/assessment/step/mood/")
    assert page.url.endswith("/assessment/step/now/")


def test_quick_exit_without_javascript_clears_and_leaves(contexts, neutral):
    page = contexts(java_script_enabled=False)
    mild(page).take(stop_at="mood")
    page.get_by_role("link", name=re.compile("Leave this site")).click()
    page.wait_for_url(neutral)
    page.goto("/assessment/step/mood/")
    assert page.url.endswith("/assessment/step/now/")


def test_back_and_refresh_are_safe_after_the_result_and_the_share(contexts):
    page = contexts()
    mild(page).take()
    result = page.url
    page.reload()
    assert page.url == result and page.locator("h1").inner_text() == "Your result"
    page.go_back()  # to the review step: the run was sent, nothing is posted again
    page.wait_for_load_state()
    assert Submission.objects.count() == 1
    assert Submission.objects.get().token not in page.content()
    page.go_forward()
    page.wait_for_load_state()
    page.get_by_label("Email address", exact=True).fill("person@example.org")
    page.locator('label[for="id_contact_consent"]').click()
    page.get_by_role("button", name="Share my answers and ask for a call").click()
    page.wait_for_load_state()
    shared_at = Submission.objects.get().shared_at
    page.reload()
    page.go_back()
    page.wait_for_load_state()
    assert Submission.objects.get().shared_at == shared_at
    # Finish and clear: this browser no longer leads to the result.
    page.goto(result)
    page.get_by_role("button", name="Finish and clear").click()
    page.wait_for_load_state()
    page.goto("/assessment/")
    assert Submission.objects.get().token not in page.content()


@pytest.mark.parametrize("width", [320, 360, 390])
def test_day_names_never_break_mid_word_on_a_narrow_phone(contexts, width):
    from tests.programs.factories import evening_iop

    evening_iop(name="Riverside Evening IOP", payment=["medicaid"])
    page = contexts()
    page.set_viewport_size({"width": width, "height": 800})
    person = mild(page)
    person.take(stop_at="fit")
    broken = page.evaluate(BROKEN_DAY_NAMES)
    assert broken == [], broken
    person.take(stop_at="review")
    page.locator(".review-details summary").last.click()  # the schedule answers, opened
    broken = page.evaluate(BROKEN_DAY_NAMES)
    assert broken == [], broken
    person.take()
    broken = page.evaluate(BROKEN_DAY_NAMES)
    assert broken == [], broken


def test_copy_link_with_javascript_and_the_plain_link_without(contexts):
    page = contexts()
    mild(page).take()
    assert page.locator("#result-url").input_value() == page.url
    assert page.get_by_role("button", name="Copy link").is_visible()
    plain = contexts(java_script_enabled=False)
    plain.goto(page.url)
    assert plain.locator("#result-url").is_visible()
    assert not plain.get_by_role("button", name="Copy link").is_visible()


#: Every day name on the page whose letters sit on more than one line.
BROKEN_DAY_NAMES = """() => {
  const days = /(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)/g;
  const broken = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode;
    if (!node.parentElement || !node.parentElement.offsetParent) continue;
    for (const match of node.textContent.matchAll(days)) {
      const range = document.createRange();
      range.setStart(node, match.index);
      range.setEnd(node, match.index + match[0].length);
      const tops = new Set([...range.getClientRects()].map(r => Math.round(r.top)));
      if (tops.size > 1) broken.push(match[0] + " in " + node.parentElement.className);
    }
  }
  return broken;
}"""
