"""Reading a page's forms, answering them, and walking the assessment with them.

The assessment is walked generically, whatever its steps are: :func:`parse_forms` reads the
HTML, :func:`fill_form` answers every field (the mildest, the most severe or random answers) and
:func:`walk_with_client` goes from ``/assessment/`` to the result with Django's test client. The
tests, the fuzzers, the load test (``loadtest.run``) and the benchmarks all use these.
"""

from __future__ import annotations

import html
import random
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urlsplit

from assessment.instruments import DECLINED

RESULT_RE = re.compile(r"/assessment/r/([A-Za-z0-9_\-]+)/")
STEP_LINK_RE = re.compile(r'href="(/assessment/step/[a-z0-9_\-]+/[^"]*)"')


@dataclass
class Field:
    tag: str  # input, select, textarea, button
    type: str
    name: str
    value: str = ""
    checked: bool = False
    required: bool = False
    options: list[str] = field(default_factory=list)  # select options (values)
    attrs: dict[str, str] = field(default_factory=dict)


@dataclass
class Form:
    action: str
    method: str
    attrs: dict[str, str]
    fields: list[Field] = field(default_factory=list)

    def by_name(self, name: str) -> list[Field]:
        return [f for f in self.fields if f.name == name]

    @property
    def names(self) -> list[str]:
        seen = []
        for f in self.fields:
            if f.name and f.name not in seen and f.tag != "button" and f.type != "submit":
                seen.append(f.name)
        return seen

    @property
    def submit_buttons(self) -> list[Field]:
        return [f for f in self.fields if f.type == "submit" or f.type == "image"]

    @property
    def forward_button(self) -> Field | None:
        """The button that moves on (not 'back' / a wizard step jump)."""
        for button in self.submit_buttons:
            words = f"{button.name} {button.value}".lower()
            if button.name == "wizard_goto_step" or "back" in words or "previous" in words:
                continue
            return button
        return None


class _FormParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._select: Field | None = None
        self._textarea: Field | None = None
        self._button: Field | None = None
        self._option_value: str | None = None
        self._option_selected = False
        self._option_text = ""

    def handle_starttag(self, tag, attrs):
        a = {k: (v if v is not None else "") for k, v in attrs}
        if tag == "form":
            self._form = Form(
                action=a.get("action", ""), method=a.get("method", "get").lower(), attrs=a
            )
            self.forms.append(self._form)
            return
        form = self._form
        if form is None:
            return
        if tag == "input":
            form.fields.append(
                Field(
                    tag="input",
                    type=a.get("type", "text").lower(),
                    name=a.get("name", ""),
                    value=a.get("value", "on" if a.get("type") in ("radio", "checkbox") else ""),
                    checked="checked" in a,
                    required="required" in a,
                    attrs=a,
                )
            )
        elif tag == "select":
            self._select = Field(
                tag="select", type="select", name=a.get("name", ""), required="required" in a
            )
            self._select.attrs = a
            form.fields.append(self._select)
        elif tag == "option" and self._select is not None:
            self._option_value = a.get("value")
            self._option_selected = "selected" in a
            self._option_text = ""
        elif tag == "textarea":
            self._textarea = Field(
                tag="textarea", type="textarea", name=a.get("name", ""), required="required" in a
            )
            self._textarea.attrs = a
            form.fields.append(self._textarea)
        elif tag == "button":
            self._button = Field(
                tag="button",
                type=a.get("type", "submit").lower(),
                name=a.get("name", ""),
                value=a.get("value", ""),
                attrs=a,
            )
            form.fields.append(self._button)

    def handle_data(self, data):
        if self._option_value is not None or (self._select is not None and self._option_text == ""):
            self._option_text += data
        if self._textarea is not None:
            self._textarea.value += data
        if self._button is not None:
            self._button.attrs["_text"] = self._button.attrs.get("_text", "") + data

    def _close_option(self):
        if self._select is not None and (self._option_value is not None or self._option_text):
            value = (
                self._option_value if self._option_value is not None else self._option_text.strip()
            )
            self._select.options.append(value)
            if self._option_selected:
                self._select.value = value
        self._option_value = None
        self._option_text = ""
        self._option_selected = False

    def handle_endtag(self, tag):
        if tag == "option":
            self._close_option()
        elif tag == "select":
            if self._option_value is not None:
                self._close_option()
            if self._select is not None and not self._select.value and self._select.options:
                self._select.value = self._select.options[0]
            self._select = None
        elif tag == "textarea":
            self._textarea = None
        elif tag == "button":
            self._button = None
        elif tag == "form":
            self._form = None


def parse_forms(html: str) -> list[Form]:
    parser = _FormParser()
    parser.feed(html)
    parser.close()
    return parser.forms


def main_form(html: str) -> Form | None:
    """The page's main POST form (the one with a CSRF token and the most fields)."""
    forms = [f for f in parse_forms(html) if f.method == "post"]
    if not forms:
        return None
    return max(forms, key=lambda f: len(f.fields))


def _text_value(f: Field, rng: random.Random) -> str:
    key = " ".join([f.name, f.attrs.get("autocomplete", ""), f.attrs.get("id", ""), f.type]).lower()
    if "zip" in key or "postal" in key:
        value = rng.choice(["40202", "40202", "40205", "40217"])
    elif "email" in key:
        value = "person@example.org"
    elif f.type == "tel" or "phone" in key or "tel" in f.attrs.get("autocomplete", ""):
        value = "502-555-0123"
    elif "name" in key.split("_")[-1] or "name" in f.attrs.get("autocomplete", ""):
        value = "Alex Test"
    elif f.type == "number":
        value = f.attrs.get("min") or "1"
    elif f.type == "date":
        value = "2026-11-24"
    elif f.type == "url":
        value = "https://example.org/"
    elif "time" in key:
        value = "Weekday mornings"
    else:
        value = "test"
    maxlength = f.attrs.get("maxlength")
    if maxlength and maxlength.isdigit():
        value = value[: int(maxlength)]
    return value


def fill_form(form: Form, rng: random.Random | None = None, mode: str = "first") -> list:
    """Answers for every field, as (name, value) pairs ready to urlencode.

    ``mode="first"`` picks the first choice of each question (the mildest answers on our
    questionnaires), ``"last"`` the last (the most severe: the crisis path), ``"random"`` any.
    A single checkbox (consent) is ticked; other checkbox groups get at least one box. Hidden
    fields (CSRF token, wizard step) are kept.
    """
    rng = rng or random.Random(0)
    data: list[tuple[str, str]] = []
    groups: dict[str, dict[str, list[Field]]] = {"radio": {}, "checkbox": {}}
    for f in form.fields:
        if not _answerable(f):
            continue
        if f.type in groups:
            groups[f.type].setdefault(f.name, []).append(f)
            continue
        value = _single_value(f, rng, mode)
        if value is not None:
            data.append((f.name, value))
    for name, group in groups["radio"].items():
        data.append((name, _radio_choice(group, rng, mode).value))
    for name, group in groups["checkbox"].items():
        data.extend((name, f.value) for f in _ticked(group, rng, mode))
    button = form.forward_button
    if button is not None and button.name:
        data.append((button.name, button.value))
    return data


def _answerable(f: Field) -> bool:
    """A named, enabled field that carries an answer (not a button)."""
    if not f.name or f.attrs.get("disabled") is not None:
        return False
    return f.tag != "button" and f.type not in ("submit", "image", "reset", "button")


def _single_value(f: Field, rng: random.Random, mode: str) -> str | None:
    """The answer for a field that is not part of a radio or checkbox group."""
    if f.type == "hidden" or f.tag == "textarea":
        return f.value
    if f.tag == "select":
        options = [o for o in f.options if o != ""] or f.options
        if not options:
            return None
        pick = {"first": options[0], "last": options[-1]}.get(mode)
        return pick or rng.choice(options)
    return f.value or _text_value(f, rng)


def _radio_choice(group: list[Field], rng: random.Random, mode: str) -> Field:
    """The first, the last or any radio button. "Last" is the most severe real answer: never
    "Prefer not to say" where a real answer exists, so the crisis path really is taken."""
    if mode == "first":
        return group[0]
    if mode == "last":
        real = [f for f in group if f.value != DECLINED] or group
        return real[-1]
    return rng.choice(group)


def _ticked(group: list[Field], rng: random.Random, mode: str) -> list[Field]:
    """The boxes to tick: a single (consent-like) box; all of a group, or a random few."""
    if len(group) == 1 or mode in ("first", "last"):
        return group
    return rng.sample(group, k=rng.randint(1, len(group)))


def client_data(pairs: list[tuple[str, str]]) -> dict[str, list[str]]:
    """(name, value) pairs -> the dict of lists Django's test client posts."""
    data: dict[str, list[str]] = {}
    for name, value in pairs:
        data.setdefault(name, []).append(value)
    return data


def location_path(headers) -> str:
    """The path (and query) a redirect's Location header points at."""
    location = headers.get("location", "")
    parts = urlsplit(location)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def walk_with_client(client, rng=None, mode="first", max_steps=20, on_page=None):
    """Take the whole assessment with Django's test client; returns the result page path.

    ``on_page(path, response)`` sees every page on the way (each step, the crisis panel, the
    result). Raises AssertionError with the page path when the walk cannot go on.
    """
    rng = rng or random.Random(0)
    path = "/assessment/"
    response = client.get(path)
    for _ in range(max_steps * 2):
        if response.status_code in (301, 302, 303):
            path = location_path(response.headers)
            response = client.get(path)
            continue
        assert response.status_code == 200, f"{path} answered {response.status_code}"
        if on_page is not None:
            on_page(path, response)
        if RESULT_RE.search(path):
            return path
        body = response.content.decode()
        form = main_form(body)
        if form is None:
            onward = STEP_LINK_RE.findall(body)
            assert onward, f"no form and no way onward on {path}"
            path = html.unescape(onward[-1])
            response = client.get(path)
            continue
        post_path = html.unescape(form.action) or path
        response = client.post(post_path, client_data(fill_form(form, rng, mode=mode)))
        if response.status_code == 200:
            assert 'aria-invalid="true"' not in response.content.decode(), (
                f"valid answers were refused on {post_path}"
            )
            path = post_path
    raise AssertionError("the assessment did not end within the step limit")
