"""The search page's filter form, written out as HTML in Python.

It used to be rendered by crispy-forms, which cost about 40% of the search page (some 160
template renders and 2,000 variable lookups for one form). This writes the same markup
(Bootstrap 5 classes; checkbox groups as a ``<fieldset>`` with a ``<legend>``; the less-used
filters in a ``<details>`` that opens when one of them is used or has an error; an invalid input
with ``aria-invalid`` and ``aria-describedby`` pointing at its message and hint) with
``format_html`` only: everything is escaped, and the form's values, labels and messages are
read once.
"""

from __future__ import annotations

from django import forms
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from programs.filters import registry_key

#: (field name, extra attributes) in the order shown; then the <details> group.
MAIN_FIELDS = (
    ("zip", {"inputmode": "numeric", "autocomplete": "postal-code", "spellcheck": "false"}),
    (
        "radius",
        {"placeholder": "25", "step": "1", "inputmode": "numeric", "list": "radius-options"},
    ),
    ("level", {}),
    ("insurance", {}),
    ("day", {"wrapper_class": "options-compact"}),
    ("time", {}),
)
MORE_FIELDS = ("telehealth", "accepting", "soon", "age", "language", "therapy", "condition")


#: Rendered forms kept in this process: (language, registry, radius choices, the form's data)
#: -> HTML. The markup depends on nothing else (the errors follow from the data), so a repeated
#: search (a page of results, a link shared, the empty form) is not written out again.
_RENDERED: dict[tuple, SafeString] = {}
RENDERED_LIMIT = 500


def filter_form_html(form, radius_choices) -> SafeString:
    """:func:`render_filter_form`, kept per process for the same data and language."""
    data = form.data
    values = tuple(
        (name, tuple(data.getlist(name)) if hasattr(data, "getlist") else data.get(name))
        for name in form.fields
        if name in data
    )
    key = (get_language(), registry_key(), tuple(radius_choices), values)
    html = _RENDERED.get(key)
    if html is None:
        html = render_filter_form(form, radius_choices)
        if len(_RENDERED) >= RENDERED_LIMIT:
            _RENDERED.clear()
        _RENDERED[key] = html
    return html


def render_filter_form(form, radius_choices) -> SafeString:
    """The whole form body (no <form> tag): main fields, the radius list, then "More filters"."""
    parts = []
    for name, extra in MAIN_FIELDS:
        parts.append(_field(form, name, dict(extra)))
        if name == "radius":
            parts.append(
                format_html(
                    '<datalist id="radius-options">{}</datalist>',
                    format_html_join(
                        "", '<option value="{}"></option>', ((r,) for r in radius_choices)
                    ),
                )
            )
    more = [_field(form, name, {}) for name in MORE_FIELDS]
    is_open = any(form.data.get(name) for name in MORE_FIELDS) or any(
        name in form.errors for name in MORE_FIELDS
    )
    parts.append(
        format_html(
            '<details class="more-filters mb-3"{}><summary>{}</summary><div class="pt-2">{}</div>'
            "</details>",
            mark_safe(" open") if is_open else "",
            _("More filters"),
            _joined(more),
        )
    )
    return _joined(parts)


def _joined(parts) -> SafeString:
    """Safe parts (each made by format_html) one after another."""
    return format_html_join("", "{}", ((part,) for part in parts))


def _field(form, name: str, extra: dict) -> str:
    field = form.fields[name]
    errors = form.errors.get(name, [])
    wrapper = "mb-3" + (f" {extra.pop('wrapper_class')}" if "wrapper_class" in extra else "")
    if isinstance(field.widget, forms.CheckboxSelectMultiple):
        return _checkbox_group(form, name, field, errors, wrapper)
    if isinstance(field.widget, forms.CheckboxInput):
        return _yes_no(form, name, field, errors)
    return _single(form, name, field, errors, wrapper, extra)


def _described(name: str, field, errors) -> list[str]:
    ids = []
    if field.help_text:
        ids.append(f"id_{name}_helptext")
    if errors:
        ids.append(f"id_{name}_error")
    return ids


def _messages(name: str, errors) -> str:
    if not errors:
        return ""
    return format_html(
        '<div id="id_{}_error" class="invalid-feedback">{}</div>',
        name,
        format_html_join("", "<p class='mb-0'><strong>{}</strong></p>", ((e,) for e in errors)),
    )


def _help(name: str, field) -> str:
    if not field.help_text:
        return ""
    return format_html('<div id="id_{}_helptext" class="form-text">{}</div>', name, field.help_text)


def _attrs(attrs: dict) -> str:
    return format_html_join("", ' {}="{}"', ((k, v) for k, v in attrs.items() if v is not None))


def _invalid(name, field, errors) -> dict:
    if not errors:
        return {}
    return {"aria-invalid": "true", "aria-describedby": " ".join(_described(name, field, errors))}


def _single(form, name, field, errors, wrapper, extra) -> str:
    value = form.data.get(name, "")
    state = " is-invalid" if errors else ""
    described = {} if errors or not field.help_text else {"aria-describedby": f"id_{name}_helptext"}
    if isinstance(field.widget, forms.Select):
        options = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            (
                (code, mark_safe(" selected") if str(code) == value else "", label)
                for code, label in field.choices
            ),
        )
        control = format_html(
            '<select name="{}" class="form-select{}" id="id_{}"{}{}>{}</select>',
            name,
            state,
            name,
            _attrs(_invalid(name, field, errors)),
            _attrs(described),
            options,
        )
    else:
        kind = "number" if isinstance(field, forms.IntegerField) else "text"
        attrs = {
            "type": kind,
            "name": name,
            "value": value or None,
            "maxlength": getattr(field, "max_length", None),
            "min": getattr(field, "min_value", None),
            "max": getattr(field, "max_value", None),
            **extra,
            "class": f"form-control{state}",
            **_invalid(name, field, errors),
            **described,
            "id": f"id_{name}",
        }
        control = format_html("<input{}>", _attrs(attrs))
    return format_html(
        '<div id="div_id_{}" class="{}"><label for="id_{}" class="form-label">{}</label>'
        "{}{}{}</div>",
        name,
        wrapper,
        name,
        field.label,
        control,
        _messages(name, errors),
        _help(name, field),
    )


def _checkbox_group(form, name, field, errors, wrapper) -> str:
    chosen = set(form.data.getlist(name)) if hasattr(form.data, "getlist") else set()
    state = " is-invalid" if errors else ""
    invalid = _attrs(_invalid(name, field, errors))
    boxes = format_html_join(
        "",
        '<div class="form-check"><input type="checkbox" class="form-check-input{}" name="{}" '
        'value="{}" id="id_{}_{}"{}{}><label for="id_{}_{}" class="form-check-label">{}</label>'
        "</div>",
        (
            (
                state,
                name,
                code,
                name,
                index,
                mark_safe(" checked") if str(code) in chosen else "",
                invalid,
                name,
                index,
                label,
            )
            for index, (code, label) in enumerate(field.choices)
        ),
    )
    described = _described(name, field, errors)
    return format_html(
        '<div id="div_id_{}" class="{}"><fieldset{}><legend class="form-label fs-6">{}</legend>'
        "<div>{}</div>{}{}</fieldset></div>",
        name,
        wrapper,
        _attrs({"aria-describedby": " ".join(described)}) if described else "",
        field.label,
        boxes,
        _messages(name, errors),
        _help(name, field),
    )


def _yes_no(form, name, field, errors) -> str:
    value = str(form.data.get(name) or "").strip().lower()
    checked = field.widget.check_test(value) if value else False
    described = {} if errors or not field.help_text else {"aria-describedby": f"id_{name}_helptext"}
    attrs = {
        "type": "checkbox",
        "name": name,
        "value": "1",
        "class": "form-check-input" + (" is-invalid" if errors else ""),
        **_invalid(name, field, errors),
        **described,
        "id": f"id_{name}",
    }
    return format_html(
        '<div class="mb-3"><div id="div_id_{}" class="form-check"><input{}{}>'
        '<label for="id_{}" class="form-check-label">{}</label>{}{}</div></div>',
        name,
        _attrs(attrs),
        mark_safe(" checked") if checked else "",
        name,
        field.label,
        _messages(name, errors),
        _help(name, field),
    )
