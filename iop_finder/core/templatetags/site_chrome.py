"""The parts every public page repeats, written once per language (issue 15).

The head's links, the quick-exit bar, the header (with the language switch), the footer and the
crisis numbers depend on nothing but the language, the URL conf and the static files: no
request, no user, no CSRF token, no data. ``{% site_part "includes/site_header.html" %}``
renders the named template once for each such key, with an empty context, and reuses the text;
the markup is the template's own, byte for byte. A part must never read the request or the
database (it is rendered without either): anything that varies per person stays in the page's
template.

The key holds everything the text depends on (the part, the active language, the script
prefix, the URL conf and ``STATIC_URL``); any setting change in a test empties the store, as a
running site never changes settings. At most :data:`PARTS_LIMIT` texts are kept (a handful are
ever made: parts times languages). With ``DEBUG`` on nothing is kept, so an edited template
shows at once.
"""

from __future__ import annotations

from django import template
from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.template.loader import render_to_string
from django.urls import get_script_prefix, get_urlconf
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

register = template.Library()

#: Texts of parts, by (template name, language, script prefix, URL conf, STATIC_URL).
_PARTS: dict[tuple, SafeString] = {}
PARTS_LIMIT = 64


def render_part(name: str) -> SafeString:
    """The part's text: the template rendered with an empty context, without its file's final
    newline (the page's template writes the newline where the markup has one)."""
    text = render_to_string(name)
    return mark_safe(text.removesuffix("\n"))  # noqa: S308 - a template's own output


@register.simple_tag
def site_part(name: str) -> SafeString:
    if settings.DEBUG:
        return render_part(name)
    key = (name, get_language(), get_script_prefix(), get_urlconf(), settings.STATIC_URL)
    text = _PARTS.get(key)
    if text is None:
        if len(_PARTS) >= PARTS_LIMIT:
            _PARTS.clear()
        text = _PARTS[key] = render_part(name)
    return text


@receiver(setting_changed)
def _forget_parts(**kwargs) -> None:
    _PARTS.clear()
