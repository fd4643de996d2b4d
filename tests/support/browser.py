"""Checks in a real browser: axe-core (WCAG 2.2 AA), answering the assessment like a person,
and the Content-Security-Policy errors the console reports.

axe-core and the Nu HTML checker come from npm (``npm ci --ignore-scripts``).
"""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest

from tests.support.forms import RESULT_RE, fill_form, main_form

ROOT = Path(__file__).resolve().parents[2]
AXE_JS = ROOT / "node_modules" / "axe-core" / "axe.min.js"
VNU_JAR = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def need_node_tools():
    missing = [str(p.relative_to(ROOT)) for p in (AXE_JS, VNU_JAR) if not p.exists()]
    if missing:
        pytest.fail(
            f"missing {missing}: run 'npm ci --ignore-scripts' in the repository root "
            "(quality tests are never skipped)"
        )


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


def fill_in_browser(page, rng=None, mode="first"):
    """Answer the current step in the browser (same answers as the load test) and go on."""
    form = main_form(page.content())
    assert form is not None, f"no form on {page.url}"
    pairs = fill_form(form, rng or random.Random(0), mode=mode)
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
