"""The self-assessment in a real browser: the whole journey by clicking, a result with reasons,
a call-back request; and the crisis panel after an answer of intent on the safety step."""

import re

import pytest
from django.core.cache import cache

from assessment import instruments

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

ABOUT_CHOICES = {
    "age_group": "adult",
    "respondent": "self",
    "modality": "in_person",
    "hours_available": "9to19",
    "language": "en",
    "insurance": "medicaid",
}


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


def choose(page, question_id, value):
    """Click the label of one answer, as a person would."""
    question = instruments.QUESTIONS_BY_ID[question_id]
    index = [str(v) for v, _label in question.options].index(str(value))
    page.locator(f'label[for="id_{question_id}_{index}"]').click()


def answer_step(page, step_id, **overrides):
    for question in instruments.questions_for_step(step_id):
        if question.id in overrides:
            choose(page, question.id, overrides[question.id])
        elif question.kind == "choice" and question.ask_if is None:
            value = ABOUT_CHOICES.get(question.id, question.options[0][0])
            choose(page, question.id, value)


def next_step(page):
    page.get_by_role("button", name="Next").click()
    page.wait_for_load_state()


def test_whole_assessment_by_clicking_then_result_and_call_back(page):
    page.goto("/assessment/")
    assert "Step 1 of 8" in page.locator("h1").inner_text()
    # A wrong ZIP is explained next to the field and in the summary.
    page.get_by_label("What is your ZIP code?").fill("4020")
    answer_step(page, "about")
    next_step(page)
    assert page.locator("#error-summary").is_visible()
    assert "Enter a 5-digit US ZIP code, like 40202." in page.locator("#error-summary").inner_text()
    assert page.evaluate("document.activeElement.id") == "error-summary"
    page.get_by_label("What is your ZIP code?").fill("40202")
    page.locator('label[for="id_days_0"]').click()
    page.locator('label[for="id_times_2"]').click()
    next_step(page)

    assert "Step 2 of 8" in page.locator("h1").inner_text()
    answer_step(page, "mood", phq9_1=2, phq9_2=2, phq9_3=2, phq9_4=2, phq9_6=2, phq9_difficulty=2)
    # Back and forth keeps answers.
    page.get_by_role("button", name="Back").click()
    assert page.get_by_label("What is your ZIP code?").input_value() == "40202"
    next_step(page)
    assert page.locator("#id_phq9_1_2").is_checked()
    next_step(page)

    answer_step(page, "anxiety", gad7_1=2, gad7_2=2, gad7_3=2)
    next_step(page)
    assert "Step 4 of 8" in page.locator("h1").inner_text()
    # Follow-up questions stay hidden until question 2 is "Yes" (progressive enhancement).
    assert not page.locator("#q-cssrs_3").is_visible()
    answer_step(page, "safety")
    next_step(page)
    answer_step(page, "substances")
    assert not page.locator("#q-dast10_2").is_visible()
    next_step(page)
    answer_step(page, "trauma_eating")
    next_step(page)
    answer_step(page, "daily_life", daily_functioning=2)
    next_step(page)

    assert "Step 8 of 8" in page.locator("h1").inner_text()
    assert page.get_by_text("Little interest or pleasure in doing things").is_visible()
    page.locator('label[for="id_consent_to_store"]').click()
    page.get_by_role("button", name="Send my answers").click()
    page.wait_for_url(re.compile(r".*/assessment/r/[\w-]+/$"))

    assert page.locator("h1").inner_text() == "Your result"
    assert page.locator(".result-level h2").is_visible()
    assert page.locator(".result-reasons li").count() >= 1
    # On paper: the level and reasons, without the form or buttons.
    page.emulate_media(media="print")
    assert page.locator(".result-level h2").is_visible()
    assert not page.locator(".callback-form").is_visible()
    assert not page.locator(".site-header nav").is_visible()
    page.emulate_media(media="screen")
    page.get_by_label("Phone number").fill("(502) 555-0142")
    page.locator('label[for="id_contact_consent"]').click()
    page.get_by_role("button", name="Ask for a call back").click()
    page.wait_for_load_state()
    assert page.get_by_text("Thank you. We have your request for a call back.").is_visible()
    assert page.locator("input[name=contact_phone]").count() == 0


def test_crisis_panel_appears_on_the_safety_step_after_an_answer_of_intent(page):
    page.goto("/assessment/")
    page.get_by_label("What is your ZIP code?").fill("40202")
    answer_step(page, "about")
    next_step(page)
    answer_step(page, "mood")
    next_step(page)
    answer_step(page, "anxiety")
    next_step(page)
    assert "Your safety" in page.locator("h1").inner_text()
    answer_step(page, "safety", cssrs_1=1, cssrs_2=1, cssrs_3=1, cssrs_4=1, cssrs_5=0)
    # With JavaScript, help shows as soon as intent is answered...
    assert page.locator("#live-crisis").is_visible()
    next_step(page)
    # ...and the page after the safety step leads with the crisis panel.
    assert page.locator("h1").inner_text() == "You matter. Please reach out now."
    assert page.locator('.crisis-panel a[href="tel:988"]').first.is_visible()
    assert page.locator('.crisis-panel a[href="sms:988"]').first.is_visible()
    assert page.get_by_text("You can keep going with the questions if you want").is_visible()
    page.get_by_role("link", name="I'm safe right now: keep going").click()
    assert "Step 5 of 8" in page.locator("h1").inner_text()
    assert page.locator(".crisis-reminder").is_visible()


def test_with_javascript_off_follow_ups_show_with_an_instruction_and_intent_still_counts(
    browser, live_server
):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    page.set_default_timeout(15000)
    try:
        page.goto("/assessment/")
        page.get_by_label("What is your ZIP code?").fill("40202")
        answer_step(page, "about")
        next_step(page)
        answer_step(page, "mood")
        next_step(page)
        answer_step(page, "anxiety")
        next_step(page)
        assert page.locator("#q-cssrs_4").is_visible()
        assert page.get_by_text(
            'Answer these only if you answered "Yes" to question 2.'
        ).is_visible()
        # "No" to question 2 but "Yes" to intent: the answer of intent is honoured.
        answer_step(page, "safety", cssrs_2=0, cssrs_4=1)
        next_step(page)
        assert page.locator("h1").inner_text() == "You matter. Please reach out now."
    finally:
        context.close()
