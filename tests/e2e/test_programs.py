"""The directory in a real browser: filter by ZIP, level, insurance and evening, open a program."""

import datetime as dt

import pytest

from tests.programs.factories import ProgramFactory, add_sessions, evening_iop, morning_iop

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def directory():
    evening_iop(
        name="Riverside Evening IOP",
        payment=["medicaid", "private"],
        therapies=["dbt", "group"],
        location__street="200 River Road",
        intake_phone="502-555-0199",
    )
    morning_iop(name="Sunrise Morning IOP", payment=["medicaid"])
    evening_iop(name="Private Pay Evening IOP", payment=["private"])
    evening_iop(name="Lexington Evening IOP", payment=["medicaid"], zip_code="40507")
    add_sessions(ProgramFactory(name="Day PHP", level="PHP", payment=["medicaid"]))
    # A gap of a week keeps "next session" text stable enough to assert on its presence only.
    return dt.date.today()


def test_filter_by_zip_level_insurance_and_evening_then_open_a_program(page, directory):
    page.goto("/programs/")
    page.get_by_label("ZIP code", exact=True).fill("40202")
    page.get_by_label("Level of care").select_option("IOP")
    page.get_by_role("group", name="Insurance or payment").get_by_label("Medicaid").check()
    page.get_by_role("group", name="Times you can go").get_by_label("Evening").check()
    page.get_by_role("button", name="Show programs").click()
    page.wait_for_url("**/programs/?*")
    assert "zip=40202" in page.url and "level=IOP" in page.url and "time=evening" in page.url

    heading = page.locator("#results-title").inner_text()
    assert heading.startswith("1 program within 25 miles of 40202")
    results = page.locator(".result-card h3")
    assert results.all_inner_texts() == ["Riverside Evening IOP"]
    assert (
        page.get_by_label("ZIP code", exact=True).input_value() == "40202"
    )  # the form keeps the filters

    page.get_by_role("link", name="Riverside Evening IOP").click()
    page.wait_for_url("**/programs/riverside-evening-iop-*/?*")
    assert "Distance from 40202: less than a mile" in page.locator("main").inner_text()
    assert page.locator("h1").inner_text() == "Riverside Evening IOP"
    table = page.get_by_role("table", name="Weekly schedule (local time)")
    assert table.get_by_role("rowheader").all_inner_texts() == ["Monday", "Wednesday", "Thursday"]
    assert page.get_by_role("link", name="Call intake: 502-555-0199").get_attribute("href") == (
        "tel:+15025550199"
    )


def test_bad_zip_shows_message_with_link_to_the_field(page, directory):
    page.goto("/programs/?zip=00000")
    summary = page.get_by_role("alert")
    assert (
        "We couldn't find ZIP code 00000. Check the number and try again." in summary.inner_text()
    )
    summary.get_by_role("link").first.click()
    assert page.evaluate("document.activeElement.id") == "id_zip"
    assert page.get_by_label("ZIP code", exact=True).get_attribute("aria-invalid") == "true"


def test_search_works_with_javascript_off(browser, live_server, directory):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    tab = context.new_page()
    try:
        tab.goto("/programs/")
        tab.get_by_label("ZIP code", exact=True).fill("40202")
        tab.get_by_role("group", name="Times you can go").get_by_label("Morning").check()
        tab.get_by_role("button", name="Show programs").click()
        tab.wait_for_url("**/programs/?*")
        assert tab.locator(".result-card h3").all_inner_texts() == ["Sunrise Morning IOP"]
    finally:
        context.close()


def test_error_empty_and_detail_states_have_no_axe_violations_in_main(page, directory):
    """axe-core (WCAG 2.2 AA) on the parts of the directory pages this app draws."""
    from tests.support.browser import AXE_JS, WCAG_TAGS, describe_violations, need_node_tools

    need_node_tools()
    failures = []
    for path in (
        "/programs/?zip=00000&radius=abc&day=funday&level=XYZ",
        "/programs/?zip=40202&level=PHP&time=evening&insurance=tricare",
        "/programs/?zip=40202&radius=100&telehealth=1",
        "/programs/",
    ):
        page.goto(path)
        page.locator("details.more-filters summary").click()  # check the hidden filters too
        page.evaluate(AXE_JS.read_text(encoding="utf-8"))
        result = page.evaluate(
            "async (tags) => await axe.run(document.querySelector('main'), {runOnly: "
            "{type: 'tag', values: tags}, resultTypes: ['violations']})",
            WCAG_TAGS,
        )
        if result["violations"]:
            failures.append(describe_violations(path, result["violations"]))
    assert not failures, "\n".join(failures)
