"""Fixed-window rate limits on the public write endpoints and the search API.

Counts live in Django's cache (Redis when ``REDIS_URL`` is set, so limits hold across app
servers). Limits per minute per client address come from ``settings.RATE_LIMITS``.
A refused request gets a kind 429 page (or JSON for the API), never a crash.
"""

import functools
import hashlib
import time

from django.conf import settings
from django.core.cache import cache
from django.http import JsonResponse
from django.shortcuts import render

WINDOW_SECONDS = 60


def client_address(request) -> str:
    """The client's address. Behind ``RATE_LIMIT_TRUSTED_PROXIES`` proxies, the entry of
    X-Forwarded-For that the outermost trusted proxy appended: entries to its left were sent by
    the client and can be forged, so they are never used."""
    address = request.META.get("REMOTE_ADDR", "")
    trusted = settings.RATE_LIMIT_TRUSTED_PROXIES
    if trusted > 0:
        entries = [e.strip() for e in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        entries = [e for e in entries if e]
        if len(entries) >= trusted:
            address = entries[-trusted]
    return address


def client_key(request) -> str:
    """A hashed client address (the raw address is never stored)."""
    return hashlib.sha256(client_address(request).encode()).hexdigest()[:32]


def hit(request, scope: str) -> bool:
    """Count one request in ``scope``; False when the client is over its limit."""
    limit = settings.RATE_LIMITS.get(scope)
    if not limit:
        return True
    window = int(time.time() // WINDOW_SECONDS)
    key = f"ratelimit:{scope}:{client_key(request)}:{window}"
    if cache.add(key, 1, WINDOW_SECONDS + 5):
        count = 1
    else:
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, WINDOW_SECONDS + 5)
            count = 1
    return count <= limit


def too_many_requests(request, json: bool = False):
    if json:
        response = JsonResponse(
            {"error": "rate_limited", "detail": "Too many requests. Try again in a minute."},
            status=429,
        )
    else:
        response = render(request, "errors/429.html", status=429)
    response["Retry-After"] = str(WINDOW_SECONDS)
    return response


def rate_limit(scope: str, methods=("POST",), json: bool = False):
    """View decorator: limit ``methods`` requests to ``settings.RATE_LIMITS[scope]`` a minute."""

    def decorator(view):
        @functools.wraps(view)
        def wrapped(request, *args, **kwargs):
            if request.method in methods and not hit(request, scope):
                return too_many_requests(request, json=json)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
