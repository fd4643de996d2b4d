"""Which language a patient page is served in (issue 10; docs/spanish.md).

English pages keep their URLs (``/assessment/``); Spanish pages live under ``/es/``
(``i18n_patterns`` with ``prefix_default_language=False`` in ``iop_finder.urls``), so a link
always opens in the language it was shared in. Django's ``LocaleMiddleware`` reads the prefix.

A page asked for without a prefix is English unless the person prefers Spanish: their choice
from the switch in the header (the ``django_language`` cookie that :func:`switch_language`
sets) or, when they have not chosen, their browser's ``Accept-Language``. Then this middleware
sends them to the same page under ``/es/``. Only GET and HEAD move (a form post is never
redirected), and only URLs that have a Spanish twin: the admin, ``/healthz``, ``/api/`` and
static files stay where they are. A URL that exists in no language gets its "not found" page
in the preferred language.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.http import Http404, HttpResponseRedirect
from django.urls import Resolver404, resolve, translate_url
from django.utils.cache import patch_vary_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import (
    activate,
    get_language_from_path,
    get_language_from_request,
    override,
)
from django.views.decorators.cache import never_cache


def preferred_language_url(request) -> str | None:
    """The same page in the person's preferred language, or None to serve it as asked."""
    if request.method not in ("GET", "HEAD") or get_language_from_path(request.path_info):
        return None
    preferred = get_language_from_request(request, check_path=False)
    if preferred == settings.LANGUAGE_CODE:
        return None
    here = request.get_full_path()
    there = translate_url(here, preferred)
    return there if there != here else None


def _speak_preferred_language_on_unknown_urls(request) -> None:
    """A path nothing answers (a mistyped link) is "not found" in the preferred language."""
    if get_language_from_path(request.path_info):
        return
    preferred = get_language_from_request(request, check_path=False)
    if preferred == settings.LANGUAGE_CODE:
        return
    try:
        resolve(request.path_info)
    except Resolver404:
        activate(preferred)
        request.LANGUAGE_CODE = preferred


class PreferredLanguageMiddleware:
    """Send an unprefixed patient page to its Spanish twin when the person prefers Spanish."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        target = preferred_language_url(request)
        if target:
            response = HttpResponseRedirect(target)
        else:
            _speak_preferred_language_on_unknown_urls(request)
            response = self.get_response(request)
        patch_vary_headers(response, ("Accept-Language", "Cookie"))
        return response


def same_page_in(language: str, url: str) -> str:
    """``url`` (a path on this site, in whatever language) as the same page in ``language``."""
    current = get_language_from_path(urlsplit(url).path) or settings.LANGUAGE_CODE
    with override(current):
        return translate_url(url, language)


def _page_to_return_to(request) -> str:
    """The page the switch was used on: ``?next=`` if given, else the Referer (sent for links
    within the site under our Referrer-Policy), as a path on this site; else the home page."""
    candidate = request.GET.get("next") or request.META.get("HTTP_REFERER", "")
    if not url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return "/"
    parts = urlsplit(candidate)
    return (parts.path or "/") + (f"?{parts.query}" if parts.query else "")


@never_cache
def switch_language(request, code: str):
    """The switch in the header: remember ``code`` and show the same page in it.

    A plain link (``/language/es/``), so it works without JavaScript and on every page, error
    pages included. The page to come back to is the Referer, so no link carries the page's
    address (a result page's address is its private key). It only sets the language cookie;
    answers in the session are untouched, so the person stays at the same step.
    """
    if code not in dict(settings.LANGUAGES):
        raise Http404
    next_url = _page_to_return_to(request)
    response = HttpResponseRedirect(same_page_in(code, next_url))
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        code,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )
    return response
