"""The whole assessment with the keyboard alone, in a real browser.

Only Tab, Space and Enter move and act (plus typing into text boxes, and arrow keys inside a
drop-down, which is how a keyboard picks an option). The answers are the same as the load test's
(the first choice of each question), decided from the page's own form. Every focused control
must show a visible focus indicator (WCAG 2.4.7) and must not be hidden behind anything sticky
(2.4.11).
"""

import random
import re

import pytest

from assessment.instruments import DECLINED
from tests.support.forms import RESULT_RE, fill_form, main_form
from tests.support.pages import make_directory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

MAX_TABS = 400

FOCUSED = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const style = getComputedStyle(el);
  const box = el.getBoundingClientRect();
  const form = el.closest('form');
  const x = Math.min(Math.max(box.left + box.width / 2, 0), innerWidth - 1);
  const y = Math.min(Math.max(box.top + box.height / 2, 0), innerHeight - 1);
  const top = document.elementFromPoint(x, y);
  return {
    tag: el.tagName.toLowerCase(), type: (el.type || '').toLowerCase(), name: el.name || '',
    value: el.value || '', checked: !!el.checked, id: el.id || '',
    text: (el.innerText || el.value || '').trim().slice(0, 60),
    inMainForm: !!(form && form.method.toLowerCase() === 'post' && el.closest('main')),
    outline: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0,
    shadow: style.boxShadow && style.boxShadow !== 'none',
    obscured: !!(top && top !== el && !el.contains(top) && !top.contains(el) &&
                 !(el.labels && [...el.labels].some(l => l.contains(top)))),
  };
}"""


def _plan(page, mode):
    form = main_form(page.content())
    assert form is not None, f"no form on {page.url}"
    pairs = fill_form(form, random.Random(0), mode=mode)
    plan: dict[str, set[str]] = {}
    for name, value in pairs:
        plan.setdefault(name, set()).add(value)
    forward = form.forward_button
    return plan, forward


def _is_forward(el, forward) -> bool:
    return forward is not None and (
        (forward.name and el["name"] == forward.name and el["value"] == forward.value)
        or (not forward.name and el["text"] == forward.attrs.get("_text", "").strip())
    )


def _act(page, el, wanted: set[str], answered_radios: set[str], mode: str) -> None:
    """Answer the focused control with the keyboard, as planned."""
    if el["type"] == "radio":
        if el["name"] not in answered_radios:
            page.keyboard.press("Space")  # Tab lands on the group's first radio
            if mode == "last":
                page.keyboard.press("ArrowUp")  # from the first, wraps to the last
                if page.evaluate("document.activeElement.value") == DECLINED:
                    page.keyboard.press("ArrowUp")  # the most severe answer, not "Prefer not"
            answered_radios.add(el["name"])
    elif el["type"] == "checkbox":
        if el["value"] in wanted and not el["checked"]:
            page.keyboard.press("Space")
    elif el["tag"] == "select":
        target = next(iter(wanted), None)
        for _ in range(50):
            if target is None or page.evaluate("document.activeElement.value") == target:
                break
            page.keyboard.press("ArrowDown")
    elif el["tag"] == "input" and el["type"] not in ("submit", "button", "image", "hidden"):
        value = next(iter(wanted), "")
        if value and not el["value"]:
            page.keyboard.type(value)


def answer_step_by_keyboard(page, problems: list[str], mode: str = "first"):
    plan, forward = _plan(page, mode)
    answered_radios: set[str] = set()
    url = page.url
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        el = page.evaluate(FOCUSED)
        if el is None:
            continue
        label = f"{el['tag']}[name={el['name']}] {el['text']!r}"
        if not (el["outline"] or el["shadow"]):
            problems.append(f"{url}: no visible focus indicator on {label}")
        if el["obscured"]:
            problems.append(f"{url}: the focused {label} is hidden behind another element")
        if not el["inMainForm"]:
            continue
        if el["type"] == "submit" or el["tag"] == "button":
            if _is_forward(el, forward):
                with page.expect_navigation():
                    page.keyboard.press("Enter")
                return
            continue
        _act(page, el, plan.get(el["name"], set()), answered_radios, mode)
    raise AssertionError(f"{url}: the button to go on was never reached with Tab")


def keyboard_walk(page, mode: str) -> tuple[list[str], list[str], list[list[str]]]:
    """Take the assessment by keyboard; (pages visited, problems, tab stops of crisis panels)."""
    page.emulate_media(reduced_motion="reduce")  # no smooth scrolling while we look
    page.goto("/assessment/")
    problems: list[str] = []
    visited: list[str] = []
    panels: list[list[str]] = []
    for _ in range(30):
        path = re.sub(r"^https?://[^/]+", "", page.url)
        visited.append(path)
        if RESULT_RE.search(path):
            return visited, problems, panels
        if main_form(page.content()) is None:
            # The crisis panel: help first, then a link onward, reached with Tab and Enter.
            stops: list[str] = []
            for _ in range(MAX_TABS):
                page.keyboard.press("Tab")
                href = page.evaluate("document.activeElement.getAttribute('href') || ''")
                if page.evaluate("!!document.activeElement.closest('main')"):
                    stops.append(href)
                if href.startswith("/assessment/step/"):
                    with page.expect_navigation():
                        page.keyboard.press("Enter")
                    break
            else:
                raise AssertionError(f"{path}: no way onward reachable with Tab")
            panels.append(stops)
            continue
        answer_step_by_keyboard(page, problems, mode)
        assert page.locator("[aria-invalid=true]").count() == 0, (
            f"the keyboard answers were refused on {path}"
        )
    raise AssertionError(f"never reached the result: {visited}")


def test_the_whole_assessment_by_keyboard_alone(page, transactional_db):
    make_directory()
    visited, problems, _panels = keyboard_walk(page, "first")
    assert RESULT_RE.search(visited[-1]), visited
    assert page.locator("h1").count() == 1
    unique = list(dict.fromkeys(problems))
    assert not unique, "keyboard problems:\n" + "\n".join(unique[:40])


def test_the_crisis_path_by_keyboard_shows_help_before_the_way_on(page, transactional_db):
    make_directory()
    visited, problems, panels = keyboard_walk(page, "last")
    assert panels, f"the most severe answers never showed the crisis panel: {visited}"
    assert visited[1] == "/assessment/reach-out/", f"crisis help must follow page 1: {visited}"
    for stops in panels:
        main_stops = [s for s in stops if s not in ("#main", "/crisis/")]
        assert "tel:988" in main_stops, f"988 is not reachable on the crisis panel: {stops}"
        assert main_stops.index("tel:988") < len(main_stops) - 1, "988 must come before going on"
    assert RESULT_RE.search(visited[-1]), visited
    unique = list(dict.fromkeys(problems))
    assert not unique, "keyboard problems:\n" + "\n".join(unique[:40])


def test_focus_moves_to_the_error_summary_or_first_error_after_a_refused_step(
    page, transactional_db
):
    """After Enter on an empty step, a keyboard user must learn what is wrong at once: the
    error summary is announced (role=alert) or receives focus."""
    make_directory()
    page.goto("/assessment/")
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        el = page.evaluate(FOCUSED)
        if el and el["inMainForm"] and el["type"] == "submit" and "back" not in el["value"]:
            with page.expect_navigation():
                page.keyboard.press("Enter")
            break
    summary = page.locator("[role=alert], .error-summary")
    assert summary.count() > 0, "no error summary after a refused step"
    focused_in_summary = page.evaluate(
        "() => !!document.activeElement.closest('[role=alert], .error-summary')"
    )
    announced = page.locator("[role=alert]").count() > 0
    assert focused_in_summary or announced
    # The summary's first link takes the keyboard user to the field.
    link = summary.locator("a[href^='#']").first
    target = link.get_attribute("href")
    link.focus()
    page.keyboard.press("Enter")
    assert page.evaluate(
        "(t) => { const el = document.querySelector(t);"
        " return !!el && (el === document.activeElement || el.contains(document.activeElement)"
        " || location.hash === t); }",
        target,
    )
