"""Taking the site in Spanish with Django's test client (docs/spanish.md).

:class:`SpanishClient` asks for every patient page at its Spanish URL (``/assessment/`` ->
``/es/assessment/``), as a browser that prefers Spanish ends up doing, so helpers written with
English paths (``walk_with_client``, ``all_public_pages``) walk the Spanish site unchanged.
:func:`spanish_site` patches those helpers for the length of a test.
"""

from __future__ import annotations

import re
from contextlib import contextmanager

from django.test import Client
from django.utils import translation

from iop_finder.language import same_page_in

#: Links onward from a page without a form (the crisis panel), in either language.
STEP_LINK_ANY_LANGUAGE = re.compile(r'href="((?:/es)?/assessment/step/[a-z0-9_\-]+/[^"]*)"')


class SpanishClient(Client):
    """A test client whose browser prefers Spanish and that asks for the Spanish URL."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("headers", {"Accept-Language": "es-US,es;q=0.9"})
        super().__init__(*args, **kwargs)

    def generic(self, method, path, *args, **kwargs):
        if path.startswith("/") and not path.startswith("/es/"):
            path = same_page_in("es", path)
        return super().generic(method, path, *args, **kwargs)


@contextmanager
def spanish_site(monkeypatch):
    """``tests.support.pages`` and ``forms`` walk the site in Spanish inside this block."""
    from tests.support import forms, pages

    monkeypatch.setattr(pages, "Client", SpanishClient)
    monkeypatch.setattr(forms, "STEP_LINK_RE", STEP_LINK_ANY_LANGUAGE)
    with translation.override("es"):
        yield


def spanish_browser_page(browser, base_url: str):
    """A browser tab whose language is Spanish (US): Accept-Language es-US, as a phone set to
    Spanish sends. The caller closes ``page.context``."""
    context = browser.new_context(base_url=base_url, locale="es-US")
    page = context.new_page()
    page.set_default_timeout(15000)
    return page
