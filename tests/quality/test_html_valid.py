"""Every public page is valid HTML by the Nu HTML Checker (vnu.jar from npm, on the system Java),
in English and in Spanish (the same pages under /es/, taken by a browser that prefers Spanish).

All pages go to ONE java process (it takes a couple of seconds to start), as files named after
the page, and every error is listed with its page, line and message.
"""

import json
import re
import shutil
import subprocess

import pytest

from tests.support.browser import VNU_JAR, need_node_tools
from tests.support.pages import all_public_pages
from tests.support.spanish import spanish_site

pytestmark = pytest.mark.django_db


def vnu(files: list, java: str) -> list[dict]:
    result = subprocess.run(
        [java, "-jar", str(VNU_JAR), "--format", "json", "--exit-zero-always", *map(str, files)],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    # vnu writes its JSON report to stderr.
    report = json.loads(result.stderr or result.stdout)
    return report["messages"]


@pytest.mark.parametrize("language", ["en", "es"])
def test_every_public_page_is_valid_html(tmp_path, language, monkeypatch):
    need_node_tools()
    java = shutil.which("java")
    assert java, "Java is needed for the HTML checker: apt-get install -y default-jre-headless"
    if language == "es":
        with spanish_site(monkeypatch):
            pages = all_public_pages()
        spanish = [label for label, html in pages.items() if '<html lang="es">' in html]
        assert len(spanish) >= 10, f"only {spanish} came in Spanish"
    else:
        pages = all_public_pages()
    files = {}
    for label, html in pages.items():
        name = re.sub(r"[^A-Za-z0-9]+", "_", label).strip("_") or "home"
        path = tmp_path / f"{name}.html"
        path.write_text(html, encoding="utf-8")
        files[path.name] = label
    messages = vnu([tmp_path / name for name in files], java)
    errors = [m for m in messages if m.get("type") == "error" or m.get("subType") == "fatal"]
    lines = [
        f"{files.get(str(m.get('url', '')).rsplit('/', 1)[-1], m.get('url'))} line {m.get('lastLine')}: {m.get('message')}"
        f" [{(m.get('extract') or '').strip()[:80]}]"
        for m in errors
    ]
    assert len(files) >= 10
    assert not errors, f"{len(errors)} HTML error(s):\n" + "\n".join(lines)


def test_the_checker_really_finds_errors(tmp_path):
    need_node_tools()
    java = shutil.which("java")
    assert java
    bad = tmp_path / "bad.html"
    bad.write_text('<!DOCTYPE html><html lang="en"><title>x</title><p id="a"><p id="a">')
    messages = vnu([bad], java)
    assert any("Duplicate ID" in m["message"] for m in messages)
