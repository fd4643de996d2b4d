"""The whole patient flow in Spanish, in a real browser set to Spanish (issue 10): the home page,
the assessment answered like a person, the result, a program search and a program page; the
result's level matches the English run of the same answers; the switch works (with and
without JavaScript) and the choice sticks."""

from __future__ import annotations

import re

import pytest

from assessment.models import Submission
from tests.e2e.test_assessment import RESULT_URL, Person
from tests.support.pages import make_directory
from tests.support.scenarios import SCENARIOS
from tests.support.spanish import spanish_browser_page

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def page_es(browser, live_server):
    page = spanish_browser_page(browser, live_server.url)
    yield page
    page.context.close()


class SpanishPerson(Person):
    """A person taking the assessment in Spanish: the same taps, the Spanish buttons."""

    def start_from_home(self):
        self.page.goto("/")
        assert "/es/" in self.page.url, f"a Spanish browser got {self.page.url}"
        self.press(self.page.get_by_role("link", name="Hacer la autoevaluación"))

    def take(self, stop_at=None, on_review=None):
        for _ in range(30):
            if RESULT_URL.match(self.page.url):
                return
            assert "/es/" in self.page.url, f"left Spanish at {self.page.url}"
            if self.page.url.endswith("/assessment/reach-out/"):
                self.press(self.page.get_by_role("link", name="Estoy a salvo ahora mismo: seguir"))
                continue
            step_id = self.step_id
            assert step_id, f"lost at {self.page.url}"
            assert self.page.locator("#error-summary").count() == 0, (
                f"answers refused on {step_id}: {self.page.locator('#error-summary').inner_text()}"
            )
            self.steps.append(step_id)
            if step_id == "review":
                self.press(self.page.get_by_role("button", name="Enviar mis respuestas"))
                continue
            self.answer_this_step()
            self.next()
        raise AssertionError(f"no result after {self.steps}")


def stored(page) -> Submission:
    token = page.url.rstrip("/").rsplit("/", 1)[-1]
    return Submission.objects.get(token=token)


@pytest.mark.parametrize("person", ["IOP", "MILD"])
def test_the_whole_assessment_in_spanish_ends_in_a_spanish_result_at_the_english_level(
    page, page_es, transactional_db, person
):
    make_directory()
    answers = SCENARIOS[person]
    english = Person(page, answers)
    english.start_from_home()
    english.take()
    spanish = SpanishPerson(page_es, answers)
    spanish.start_from_home()
    spanish.take()
    assert spanish.steps == english.steps
    assert "/es/assessment/r/" in page_es.url
    assert page_es.locator("html").get_attribute("lang") == "es"
    main = page_es.locator("main").inner_text()
    for words in ("Su resultado", "Esto no es un diagnóstico.", "Por qué sugerimos esto"):
        assert words in main, f"{words!r} is not on the Spanish result"
    assert "Your result" not in main
    assert stored(page_es).level == stored(page).level
    assert stored(page_es).rules_fired == stored(page).rules_fired
    level_name = {"IOP": "Ambulatorio intensivo (IOP)", "OP": "Terapia ambulatoria (OP)"}
    assert level_name[stored(page_es).level] in main


def test_a_program_search_in_spanish(page_es, transactional_db):
    make_directory()
    page_es.goto("/programs/")
    assert page_es.url.endswith("/es/programs/")
    assert page_es.get_by_role("heading", name="Encontrar un programa").count() == 1
    page_es.locator("#id_zip").fill("40202")
    page_es.get_by_role("button", name="Mostrar programas").first.click()
    page_es.wait_for_load_state()
    assert "/es/programs/?" in page_es.url and "zip=40202" in page_es.url
    main = page_es.locator("main").inner_text()
    assert re.search(r"\d+ programas? a menos de \d+ millas de 40202", main), main[:600]
    hrefs = page_es.locator("main a").evaluate_all(
        "links => links.map(a => a.getAttribute('href'))"
    )
    detail = next(h for h in hrefs if h and re.match(r"/es/programs/[\w-]+/", h))
    page_es.locator(f"main a[href='{detail}']").first.click()
    page_es.wait_for_load_state()
    assert re.search(r"/es/programs/[\w-]+/", page_es.url), page_es.url
    assert page_es.locator("html").get_attribute("lang") == "es"
    assert "Cómo empezar" in page_es.locator("main").inner_text()


def test_the_switch_keeps_the_place_and_the_choice_sticks(page, transactional_db):
    make_directory()
    person = Person(page, SCENARIOS["CALM"])
    person.start_from_home()
    person.answer_this_step()
    person.next()
    step = person.step_id
    page.get_by_role("link", name="Español").click()
    page.wait_for_load_state()
    assert page.url.endswith(f"/es/assessment/step/{step}/"), page.url
    assert page.locator("html").get_attribute("lang") == "es"
    page.get_by_role("button", name="Atrás").click()
    page.wait_for_load_state()
    assert page.locator("main input[type=radio]:checked").count() >= 4, "answers were lost"
    # It sticks: an English link opens in Spanish now.
    page.goto("/programs/")
    assert "/es/programs/" in page.url
    page.get_by_role("link", name="English").click()
    page.wait_for_load_state()
    assert page.url.endswith("/programs/") and "/es/" not in page.url
    page.goto("/crisis/")
    assert page.locator("html").get_attribute("lang") == "en"


def test_the_switch_works_without_javascript(browser, live_server, transactional_db):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto("/crisis/")
        page.get_by_role("link", name="Español").click()
        page.wait_for_load_state()
        assert page.url.endswith("/es/crisis/")
        assert page.get_by_role("heading", level=1).inner_text() == "Ayuda ahora mismo"
    finally:
        context.close()
