"""Every public page a Spanish-speaking person reaches reads in Spanish (issue 10).

The whole site is taken as in the HTML check (every step, the result, the crisis path, the
directory, the error pages) by a client whose browser prefers Spanish; on each page, no English
sentence from the catalogue may be left in the visible text, and the page says lang="es".
This catches what the catalogue tests cannot: a string built in Python without gettext, a
template that forgets ``{% load i18n %}``, a link that drops the /es/ prefix.
"""

from __future__ import annotations

import html as html_lib
import re

import pytest

from tests.support.catalogue import read_po
from tests.support.pages import ADMIN_LOGIN, all_public_pages
from tests.support.spanish import spanish_site

pytestmark = pytest.mark.django_db

#: Messages stored in English with a Submission (reasons, flags, the matched programs' notes)
#: reach the result page as stored until the result view passes them through
#: ``assessment.spanish.in_current_language`` (asked of the lead in the issue 10 report). Empty
#: this once that lands: the test then checks the result page's every sentence too.
STORED_TEXT_SOURCES: tuple[str, ...] = ()
#: Pages that are English on purpose: the staff login (the admin is not under /es/), and the
#: three plain error pages whose <html lang> is fixed (asked of the lead in the report).
ENGLISH_ON_PURPOSE = {ADMIN_LOGIN}
LANG_FIXED_EN: set[str] = set()


def _english_sentences() -> list[str]:
    found = []
    for entry in read_po()[1:]:
        if any(ref.startswith(STORED_TEXT_SOURCES) for ref in entry.references):
            continue
        if len(entry.msgid.split()) < 3 or re.search(r"%\(|\{|<", entry.msgid):
            continue
        if entry.msgstr.get(0) and entry.msgstr[0] != entry.msgid:
            found.append(entry.msgid)
    return found


def _visible_text(html: str) -> str:
    text = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    text = re.sub(r"<title>.*?</title>", " ", text, flags=re.S)
    return " ".join(html_lib.unescape(re.sub(r"<[^>]+>", " ", text)).split())


def test_every_public_page_reads_in_spanish(monkeypatch):
    with spanish_site(monkeypatch):
        pages = all_public_pages()
    sentences = _english_sentences()
    assert len(sentences) > 300
    problems = {}
    for label, page in pages.items():
        if label in ENGLISH_ON_PURPOSE:
            continue
        left = [s for s in sentences if s in _visible_text(page)]
        if label not in LANG_FIXED_EN and '<html lang="es">' not in page:
            left.insert(0, "<html> is not lang=es")
        if left:
            problems[label] = left[:5]
    assert len(pages) >= 20
    assert not problems, "English left on Spanish pages:\n" + "\n".join(
        f"{label}: {left}" for label, left in problems.items()
    )
