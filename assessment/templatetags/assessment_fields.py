"""``{% field_html %}``: one field of the result page's and the steps' small forms, written in
Python (issue 15: the template include cost about 0.15 ms a field, nine on the result page).

The markup is the one the forms have always had: the message comes before the input and is
linked to it (``aria-describedby``, ``aria-invalid``), the help text too; every value is
escaped. Use: ``{% field_html form.contact_phone type="tel" autocomplete="tel" %}``; type is
text (default), tel, email, select or checkbox.
"""

from __future__ import annotations

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

register = template.Library()


def _error_html(field_id: str, errors) -> str:
    if not errors:
        return ""
    return format_html(
        '<p class="field-error" id="{}_error"><span class="visually-hidden">{}</span> {}</p>',
        field_id,
        _("Error:"),
        errors[0],
    )


def _checkbox(field, field_id: str, errors) -> str:
    has_error = " has-error" if errors else ""
    invalid = " is-invalid" if errors else ""
    checked = " checked" if field.value() else ""
    aria = (
        format_html(' aria-invalid="true" aria-describedby="{}_error"', field_id) if errors else ""
    )
    return format_html(
        '\n\n<div class="form-check option consent mb-3{}">\n  {}\n'
        '  <input class="form-check-input{}" type="checkbox" name="{}" id="{}"{}{}>\n'
        '  <label class="form-check-label" for="{}">{}</label>\n</div>\n\n',
        has_error,
        _error_html(field_id, errors),
        invalid,
        field.html_name,
        field_id,
        checked,
        aria,
        field_id,
        field.label,
    )


def _control(field, field_id: str, errors, kind: str, autocomplete: str, described: str) -> str:
    invalid = " is-invalid" if errors else ""
    aria_invalid = ' aria-invalid="true"' if errors else ""
    value = field.value()
    if kind == "select":
        chosen = "" if value is None else value
        options = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            (
                (choice, " selected" if choice == chosen else "", label)
                for choice, label in field.field.choices
            ),
        )
        return format_html(
            '<select class="form-select{}" name="{}" id="{}"{}{}>\n    {}\n  </select>',
            invalid,
            field.html_name,
            field_id,
            described,
            mark_safe(aria_invalid),  # noqa: S308 (a constant)
            options,
        )
    extra = format_html(' autocomplete="{}"', autocomplete) if autocomplete else ""
    if kind == "email":
        extra += ' spellcheck="false"'
    return format_html(
        '<input type="{}" class="form-control{}" name="{}" id="{}" value="{}" maxlength="{}"'
        "{}{}{}>",
        kind or "text",
        invalid,
        field.html_name,
        field_id,
        "" if value is None else value,
        field.field.max_length,
        mark_safe(extra),  # noqa: S308 (escaped above)
        described,
        mark_safe(aria_invalid),  # noqa: S308 (a constant)
    )


@register.simple_tag
def field_html(field, type="", autocomplete=""):  # noqa: A002 (the include's old argument)
    """The field's label, help, message and input, as ``includes/field.html`` wrote them."""
    field_id = field.auto_id
    errors = field.errors
    if type == "checkbox":
        return _checkbox(field, field_id, errors)
    help_text = field.help_text
    described = ""
    if help_text or errors:
        ids = (f"{field_id}_helptext" if help_text else "") + (
            f" {field_id}_error" if errors else ""
        )
        described = format_html(' aria-describedby="{}"', ids)
    help_html = (
        format_html('<p class="form-text mt-0" id="{}_helptext">{}</p>', field_id, help_text)
        if help_text
        else ""
    )
    return format_html(
        '\n\n<div class="mb-3{}">\n  <label class="form-label" for="{}">{}</label>\n  {}\n  {}\n'
        "  \n  {}\n  \n</div>\n\n",
        " has-error" if errors else "",
        field_id,
        field.label,
        help_html,
        _error_html(field_id, errors),
        _control(field, field_id, errors, type, autocomplete, described),
    )
