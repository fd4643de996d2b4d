"""Reading the Spanish catalogue and the strings our patient pages use, without GNU gettext
(docs/spanish.md). Used by ``tests/core/test_translations.py``.

* :func:`read_po` reads ``locale/es/LC_MESSAGES/django.po`` into entries;
* :func:`read_mo` reads the compiled ``django.mo`` with the standard library's ``gettext``;
* :func:`template_messages` and :func:`python_messages` list the messages a template or a
  Python module marks for translation (what ``makemessages`` would extract);
* :func:`unmarked_template_text` lists the words a template shows that are NOT marked.
"""

from __future__ import annotations

import ast
import gettext
import re
from dataclasses import dataclass, field
from pathlib import Path

from django.template.base import Lexer, TokenType

ROOT = Path(__file__).resolve().parents[2]
LOCALE = ROOT / "locale" / "es" / "LC_MESSAGES"
PO = LOCALE / "django.po"
MO = LOCALE / "django.mo"

#: Templates a patient sees (staff pages, the admin and the benchmark page are English only:
#: the admin is not under the /es/ prefix, docs/spanish.md).
PATIENT_TEMPLATE_DIRS = ["templates"]
STAFF_TEMPLATE_DIRS = ("admin", "admissions", "bench")
#: Python a patient's pages read their words from.
PATIENT_PYTHON = [
    "assessment/forms.py",
    "assessment/instruments.py",
    "assessment/rules.py",
    "assessment/views.py",
    "assessment/services.py",
    "pages",
    "programs/filters.py",
    "programs/geo.py",
    "programs/levels.py",
    "programs/vocab.py",
    "programs/views.py",
    "programs/search",
    "programs/templatetags",
    "iop_finder/core/views.py",
]
GETTEXT_FUNCTIONS = {
    "_": 1,
    "gettext": 1,
    "gettext_lazy": 1,
    "gettext_noop": 1,
    "ngettext": 2,
    "ngettext_lazy": 2,
    "pgettext": 1,
    "pgettext_lazy": 1,
    "npgettext": 2,
    "npgettext_lazy": 2,
}


@dataclass
class Entry:
    msgid: str = ""
    msgid_plural: str | None = None
    msgctxt: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)
    references: list[str] = field(default_factory=list)
    obsolete: bool = False

    @property
    def key(self) -> tuple[str | None, str]:
        return (self.msgctxt, self.msgid)


_LINE = re.compile(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?)\s+(".*")$')


def _unquote(text: str) -> str:
    return ast.literal_eval(text)


def read_po(path: Path = PO) -> list[Entry]:
    """The entries of a .po file, the header (empty msgid) first."""
    entries: list[Entry] = []
    current: Entry | None = None
    target: tuple[str, int | None] = ("msgid", None)
    for raw in path.read_text(encoding="utf-8").splitlines() + [""]:
        line = raw.strip()
        if not line:
            if current is not None:
                entries.append(current)
            current = None
            continue
        current = current or Entry()
        if line.startswith("#~"):
            current.obsolete = True
            continue
        if line.startswith("#,"):
            current.flags |= {flag.strip() for flag in line[2:].split(",") if flag.strip()}
            continue
        if line.startswith("#:"):
            current.references += line[2:].split()
            continue
        if line.startswith("#"):
            continue
        match = _LINE.match(line)
        if match:
            name, index, value = match.group(1), match.group(2), _unquote(match.group(3))
            if name.startswith("msgstr"):
                target = ("msgstr", int(index or 0))
                current.msgstr[target[1]] = value
            else:
                target = (name, None)
                setattr(current, name, value)
        elif line.startswith('"'):
            value = _unquote(line)
            if target[0] == "msgstr":
                current.msgstr[target[1]] += value
            else:
                setattr(current, target[0], (getattr(current, target[0]) or "") + value)
    return entries


def read_mo(path: Path = MO) -> dict:
    """The compiled catalogue as Python's gettext reads it: msgid (or (msgid, n)) -> msgstr;
    a context is stored as ``context + "\\x04" + msgid``."""
    with path.open("rb") as handle:
        return dict(gettext.GNUTranslations(handle)._catalog)


# --------------------------------------------------------------------------------------------
# What the code marks for translation
# --------------------------------------------------------------------------------------------


def patient_templates() -> list[Path]:
    found = []
    for folder in PATIENT_TEMPLATE_DIRS:
        for path in sorted((ROOT / folder).rglob("*")):
            if path.suffix not in (".html", ".txt"):
                continue
            relative = path.relative_to(ROOT / folder)
            if relative.parts[0] in STAFF_TEMPLATE_DIRS:
                continue
            found.append(path)
    return found


def patient_python() -> list[Path]:
    found = []
    for name in PATIENT_PYTHON:
        path = ROOT / name
        found += sorted(path.rglob("*.py")) if path.is_dir() else [path]
    return [path for path in found if path.exists() and "migrations" not in path.parts]


_TRANSLATE = re.compile(
    r"""^(?:translate|trans)\s+(?P<q>["'])(?P<msg>.*?)(?P=q)(?:\s+context\s+(?P<cq>["'])(?P<ctx>.*?)(?P=cq))?"""
)
_BLOCK_START = re.compile(r"^(?:blocktranslate|blocktrans)\b(?P<args>.*)$")
_CONTEXT = re.compile(r"""\bcontext\s+(["'])(?P<ctx>.*?)\1""")


def template_messages(path: Path) -> list[tuple[str | None, str]]:
    """(context, msgid) of every {% translate %} and {% blocktranslate %} in a template, as
    ``makemessages`` writes them (blocktranslate variables as %(name)s, trimmed if asked)."""
    found: list[tuple[str | None, str]] = []
    tokens = Lexer(path.read_text(encoding="utf-8")).tokenize()
    block: dict | None = None
    for token in tokens:
        content = token.contents.strip()
        if block is not None:
            if token.token_type == TokenType.BLOCK and content.startswith(
                ("endblocktranslate", "endblocktrans")
            ):
                found.append((block["context"], _block_text(block)))
                if block["plural"] is not None:
                    found.append((block["context"], _block_text(block, plural=True)))
                block = None
            elif token.token_type == TokenType.BLOCK and content == "plural":
                block["plural"] = []
            else:
                part = f"%({content})s" if token.token_type == TokenType.VAR else token.contents
                (block["plural"] if block["plural"] is not None else block["singular"]).append(part)
            continue
        if token.token_type != TokenType.BLOCK:
            continue
        simple = _TRANSLATE.match(content)
        if simple and "noop" not in content.split():
            found.append((simple.group("ctx"), simple.group("msg")))
            continue
        start = _BLOCK_START.match(content)
        if start:
            args = start.group("args")
            context = _CONTEXT.search(args)
            block = {
                "trimmed": "trimmed" in args.split(),
                "context": context.group("ctx") if context else None,
                "singular": [],
                "plural": None,
            }
    return found


def _block_text(block: dict, plural: bool = False) -> str:
    text = "".join(block["plural"] if plural else block["singular"])
    if block["trimmed"]:
        text = " ".join(line.strip() for line in text.strip().splitlines() if line.strip())
    return text


def python_messages(path: Path) -> list[tuple[str | None, str]]:
    """(context, msgid) of every gettext call with literal strings in a Python module."""
    found: list[tuple[str | None, str]] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.Call):
            continue
        name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
        if name not in GETTEXT_FUNCTIONS:
            continue
        strings = [
            arg.value
            for arg in node.args
            if isinstance(arg, ast.Constant) and isinstance(arg.value, str)
        ]
        if name.startswith(("pgettext", "npgettext")):
            if len(strings) >= 2:
                found.append((strings[0], strings[1]))
                if name.startswith("npgettext") and len(strings) >= 3:
                    found.append((strings[0], strings[2]))
        elif strings:
            found.append((None, strings[0]))
            if name.startswith("ngettext") and len(strings) >= 2:
                found.append((None, strings[1]))
    return found


# --------------------------------------------------------------------------------------------
# What a template shows without marking it
# --------------------------------------------------------------------------------------------

_TAG = re.compile(r"<[^>]*>", re.S)
_SHOWN_ATTRIBUTE = re.compile(
    r"""\b(?:aria-label|title|alt|placeholder)\s*=\s*(["'])(?P<text>[^"'\x00]*)\1""", re.I
)
_SCRIPT_OR_STYLE = re.compile(r"<(script|style)\b.*?</\1>", re.S | re.I)
_ENTITY = re.compile(r"&[#\w]+;")
_WORD = re.compile(r"[A-Za-zÀ-ÿ]{2,}")
_HOLE = "\x00"


def unmarked_template_text(path: Path) -> list[str]:
    """Text a person would read in this template that is not in a translate tag: words in
    text between tags, and in aria-label, title, alt and placeholder values written out.
    Text inside {% blocktranslate %}, {% comment %} and tags, and variables, are fine."""
    parts: list[str] = []
    skip_until: str | None = None
    for token in Lexer(path.read_text(encoding="utf-8")).tokenize():
        content = token.contents.strip()
        if skip_until:
            if token.token_type == TokenType.BLOCK and content.split()[:1] == [skip_until]:
                skip_until = None
                parts.append(_HOLE)
            continue
        if token.token_type == TokenType.TEXT:
            parts.append(token.contents)
            continue
        first = content.split()[0] if content else ""
        if token.token_type == TokenType.BLOCK and first in ("blocktranslate", "blocktrans"):
            skip_until = "end" + first
        elif token.token_type == TokenType.BLOCK and first == "comment":
            skip_until = "endcomment"
        else:
            parts.append(_HOLE)
    html = _SCRIPT_OR_STYLE.sub(" ", "".join(parts))
    found = [m.group("text").strip() for m in _SHOWN_ATTRIBUTE.finditer(html)]
    for piece in _TAG.split(html):
        text = " ".join(_ENTITY.sub(" ", piece).replace(_HOLE, " ").split())
        if text:
            found.append(text)
    return [text for text in found if _WORD.search(text)]
