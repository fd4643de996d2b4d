"""The self-assessment in a real browser, from the home page, clicking only the answers a person
gives: how many answers each kind of person needs (issue 9 targets), the crisis path (reachable
on the first step, by redirect, safe to reload and go Back on), the whole flow with JavaScript
off, the review page on a phone, and a result with a call-back request."""

from __future__ import annotations

import re

import pytest

from assessment import instruments
from assessment.wizard import RISK_STEP

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
RESULT_URL = re.compile(r".*/assessment/r/[\w-]+/$")
INTENT = {"cssrs_1": 1, "cssrs_2": 1, "cssrs_3": 1, "cssrs_4": 1}

#: The issue 9 targets: answers given from the home page to the result (there is no consent
#: box to tick any more: the result is shown whether or not the person shares it).
TARGETS = {"CALM": 25, "MILD": 35, "IOP": 55}


@pytest.fixture
def phone(browser, live_server):
    """A phone-sized tab with JavaScript on."""
    context = browser.new_context(base_url=live_server.url, viewport=PHONE)
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()


@pytest.fixture
def no_js(browser, live_server):
    """A phone-sized tab with JavaScript off."""
    context = browser.new_context(
        base_url=live_server.url, viewport=PHONE, java_script_enabled=False
    )
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()


# --------------------------------------------------------------------------- a person's taps


class Person:
    """Takes the assessment in the browser with a dict of answers, counting what they do."""

    def __init__(self, page, answers: dict):
        self.page = page
        self.answers = answers
        self.taps = 0  # answers given: a radio or box ticked, a text box filled
        self.presses = 0  # Next, Send, links followed
        self.steps: list[str] = []

    def start_from_home(self):
        self.page.goto("/")
        self.press(self.page.get_by_role("link", name="Take the self-assessment"))

    def press(self, locator):
        locator.click()
        self.page.wait_for_load_state()
        self.presses += 1

    def give(self, question_id: str, value) -> None:
        question = instruments.QUESTIONS_BY_ID[question_id]
        if question.kind == "text":
            self.page.locator(f"#id_{question_id}").fill(str(value))
            self.taps += 1
            return
        values = [str(v) for v in question.values]
        for one in value if isinstance(value, list) else [value]:
            index = values.index(str(one))
            if self.page.locator(f"#id_{question_id}_{index}").is_checked():
                continue  # already given (kept from before): nothing to tap
            self.page.locator(f'label[for="id_{question_id}_{index}"]').click()
            self.taps += 1

    def answer_this_step(self, **overrides) -> None:
        """Give the answers this person gives to the questions the page shows (follow-ups
        appear as the answers before them are given, with JavaScript on)."""
        answers = {**self.answers, **overrides}
        ids = self.page.locator("main form [id^='q-']").evaluate_all(
            "els => els.map(e => e.id.slice(2))"
        )
        for question_id in ids:
            if question_id in answers and self.page.locator(f"#q-{question_id}").is_visible():
                self.give(question_id, answers[question_id])

    @property
    def step_id(self) -> str | None:
        match = re.search(r"/assessment/step/([\w-]+)/", self.page.url)
        return match.group(1) if match else None

    def next(self):
        self.press(self.page.locator("main form button[value=next]"))

    def take(self, stop_at: str | None = None, on_review=None):
        """From wherever the person is to the result (or to ``stop_at``)."""
        for _ in range(30):
            if RESULT_URL.match(self.page.url):
                return
            if self.page.url.endswith("/assessment/reach-out/"):
                self.press(self.page.get_by_role("link", name="I'm safe right now: keep going"))
                continue
            step_id = self.step_id
            assert step_id, f"lost at {self.page.url}"
            if step_id == stop_at:
                return
            assert self.page.locator("#error-summary").count() == 0, (
                f"answers refused on {step_id}: {self.page.locator('#error-summary').inner_text()}"
            )
            self.steps.append(step_id)
            if step_id == "review":
                if on_review:
                    on_review(self.page)
                self.press(self.page.get_by_role("button", name="Send my answers"))
                continue
            self.answer_this_step()
            self.next()
        raise AssertionError(f"no result after {self.steps}")


def scenarios():
    from tests.support.scenarios import SCENARIOS

    return SCENARIOS


def review_fits_two_phone_screens(page):
    """The Send button is within two screens of a 390 px wide phone, topics collapsed."""
    send = page.get_by_role("button", name="Send my answers").bounding_box()
    assert send is not None
    assert send["y"] + send["height"] <= 2 * PHONE["height"], send
    details = page.locator(".review-details")
    assert details.count() >= 3
    assert page.locator(".review-details[open]").count() == 0
    assert page.locator(".change-step").first.is_visible()


@pytest.mark.parametrize("name", list(TARGETS))
def test_answers_needed_from_the_home_page_to_the_result(phone, name, capsys):
    person = Person(phone, scenarios()[name])
    person.start_from_home()
    person.take(on_review=review_fits_two_phone_screens)
    assert RESULT_URL.match(phone.url)
    assert phone.locator("h1").count() == 1
    with capsys.disabled():
        print(
            f"\n{name}: {person.taps} answers, {person.presses} presses, "
            f"{len(person.steps)} pages: {' > '.join(person.steps)}"
        )
    assert person.taps <= TARGETS[name], (name, person.taps)


# --------------------------------------------------------------------------- crisis path


def test_a_crisis_answer_is_reachable_on_the_first_step_in_about_ten_taps(phone):
    person = Person(phone, {})
    person.start_from_home()
    assert person.step_id == RISK_STEP  # page 2 of the journey: home, then this
    for question_id, value in INTENT.items():
        person.give(question_id, value)
    # With JavaScript, help shows next to the answer that called for it, before Next.
    live = phone.locator("#live-crisis-cssrs_4")
    assert live.is_visible()
    # The Call/Text 988 buttons are brought into view (scrolling may be smooth).
    phone.wait_for_function(
        "() => document.querySelector('#live-crisis-cssrs_4 .crisis-actions')"
        ".getBoundingClientRect().bottom <= innerHeight",
        timeout=3000,
    )
    gap = phone.evaluate(
        "() => document.querySelector('#live-crisis-cssrs_4').getBoundingClientRect().top"
        " - document.querySelector('#q-cssrs_4').getBoundingClientRect().bottom"
    )
    assert 0 <= gap < 40, gap  # right under the question, in one measurement
    assert live.get_by_role("link", name="Call 988").get_attribute("href") == "tel:988"
    assert live.get_by_role("link", name="Text 988").get_attribute("href") == "sms:988"
    # Changing the answer hides it again; choosing it again shows it.
    person.give("cssrs_4", 0)
    assert not live.is_visible()
    person.give("cssrs_4", 1)
    person.next()
    assert phone.url.endswith("/assessment/reach-out/")
    assert phone.locator("h1").inner_text() == "You matter. Please reach out now."
    assert person.taps + person.presses <= 12, (person.taps, person.presses)


def crisis_buttons_lead(page):
    """Call 988 and Text 988 are the two primary buttons, first in the panel; keep going is a
    secondary button after them."""
    panel = page.locator(".crisis-panel-main")
    buttons = panel.locator("a.btn")
    assert buttons.nth(0).inner_text() == "Call 988"
    assert buttons.nth(0).get_attribute("href") == "tel:988"
    assert "btn-danger" in buttons.nth(0).get_attribute("class")
    assert buttons.nth(1).inner_text() == "Text 988"
    assert buttons.nth(1).get_attribute("href") == "sms:988"
    assert "btn-danger" in buttons.nth(1).get_attribute("class")
    assert panel.locator('a[href="tel:911"]').count() == 1
    assert panel.locator('a[href^="sms:741741"]').count() == 1
    keep_going = page.get_by_role("link", name="I'm safe right now: keep going")
    assert "btn-outline-secondary" in keep_going.get_attribute("class")
    assert keep_going.bounding_box()["y"] > buttons.nth(1).bounding_box()["y"]


def test_back_and_reload_on_the_crisis_panel_never_post_again(phone):
    person = Person(phone, {})
    person.start_from_home()
    person.answer_this_step(**{**person.answers, "phq9_1": 0, "phq9_2": 0})
    for question_id, value in INTENT.items():
        person.give(question_id, value)
    person.next()
    assert phone.url.endswith("/assessment/reach-out/")
    crisis_buttons_lead(phone)
    posts = []
    phone.on("request", lambda r: posts.append(r.url) if r.method == "POST" else None)
    dialogs = []
    phone.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    phone.reload()
    assert phone.locator("h1").inner_text() == "You matter. Please reach out now."
    phone.go_back()
    assert person.step_id == RISK_STEP
    assert phone.locator("h1").count() == 1
    phone.go_forward()
    assert phone.locator("h1").inner_text() == "You matter. Please reach out now."
    assert phone.locator('.crisis-panel a[href="tel:988"]').first.is_visible()
    assert posts == [] and dialogs == []
    # Keep going: the next page carries a reminder, and the run ends at EMERGENCY.
    person.press(phone.get_by_role("link", name="I'm safe right now: keep going"))
    assert phone.locator(".crisis-reminder").is_visible()


def test_the_header_crisis_link_dials_and_the_crisis_page_is_beside_it(phone):
    phone.goto("/")
    header = phone.locator(".site-header")
    assert header.get_by_role("link", name="In crisis? Call or text 988").get_attribute("href") == (
        "tel:988"
    )
    header.get_by_role("link", name="Crisis help").click()
    phone.wait_for_url("**/crisis/")
    assert phone.locator('main a[href="tel:988"]').first.is_visible()


# --------------------------------------------------------------------------- JavaScript off


def test_the_whole_flow_with_javascript_off_reaches_a_result(no_js):
    person = Person(no_js, scenarios()["MILD"])
    person.start_from_home()
    person.take()
    assert RESULT_URL.match(no_js.url)
    assert no_js.locator("h1").inner_text() == "Your result"


def test_with_javascript_off_follow_ups_show_with_an_instruction_and_intent_counts(no_js):
    person = Person(no_js, {})
    person.start_from_home()
    assert person.step_id == RISK_STEP
    assert no_js.locator("#q-cssrs_4").is_visible()
    assert no_js.get_by_text('Answer these only if you answered "Yes" to question').count()
    assert not no_js.locator("#live-crisis-cssrs_4").is_visible()
    # "No" to thoughts of killing yourself but "Yes" to intent: the answer of intent counts.
    person.give("cssrs_2", 0)
    person.give("cssrs_4", 1)
    person.next()
    assert no_js.url.endswith("/assessment/reach-out/")
    assert no_js.locator("h1").inner_text() == "You matter. Please reach out now."


# --------------------------------------------------------------------------- result


def test_errors_are_explained_then_the_result_and_a_call_back(phone):
    answers = dict(scenarios()["MILD"])
    person = Person(phone, {**answers, "zip_code": "4020"})
    person.start_from_home()
    zip_step = instruments.QUESTIONS_BY_ID["zip_code"].step
    person.take(stop_at=zip_step)
    person.answer_this_step()
    person.next()
    summary = phone.locator("#error-summary")
    assert summary.is_visible()
    assert "Enter a 5-digit US ZIP code, like 40202." in summary.inner_text()
    assert phone.evaluate("document.activeElement.id") == "error-summary"
    phone.locator("#id_zip_code").fill("40202")
    # Back and forth keeps answers.
    previous = person.steps[-1]
    person.press(phone.get_by_role("button", name="Back"))
    assert person.step_id == previous
    person.next()
    assert phone.locator("#id_zip_code").input_value() == "40202"
    person.answers = answers
    person.take()
    assert phone.locator("h1").inner_text() == "Your result"
    assert phone.locator(".result-reasons li").count() >= 1
    # On paper: the level and reasons, without the form or buttons.
    phone.emulate_media(media="print")
    assert phone.locator(".result-level h2").is_visible()
    assert not phone.locator(".callback-form").is_visible()
    assert not phone.locator(".site-header nav").is_visible()
    phone.emulate_media(media="screen")
    # The programs come right after the level and its reasons; the share form follows them.
    assert (
        phone.locator("#programs-title").bounding_box()["y"]
        < phone.locator("#call-back-title").bounding_box()["y"]
    )
    phone.get_by_label("Phone number").fill("(502) 555-0142")
    share = phone.get_by_role("button", name="Share my answers and ask for a call")
    share.click()  # without the consent: refused, the summary focused, nothing lost
    phone.wait_for_load_state()
    assert phone.evaluate("document.activeElement.id") == "error-summary"
    assert "Please tick the box" in phone.locator("#error-summary").inner_text()
    assert phone.get_by_label("Phone number").input_value() == "(502) 555-0142"
    phone.locator('label[for="id_contact_consent"]').click()
    share.click()
    phone.wait_for_load_state()
    assert phone.get_by_text("Thank you. We have your request for a call back.").is_visible()
    assert phone.locator("input[name=contact_phone]").count() == 0
