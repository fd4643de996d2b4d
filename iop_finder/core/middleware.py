"""Site-wide middleware: security headers, the staff idle timeout, and a kind 503 page when the
database is down."""

import logging
import time

from django.conf import settings
from django.contrib.auth import logout

logger = logging.getLogger(__name__)

#: Only our own origin, ever: no CDN, no fonts, no analytics (design.md, privacy by design).
#: No 'unsafe-inline': templates carry no inline <script> or style="" (design.md conventions).
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
        "base-uri 'self'",
        "object-src 'none'",
    ]
)

PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "camera",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "payment",
        "usb",
        "interest-cohort",
    )
)


class SecurityHeadersMiddleware:
    """Content-Security-Policy and Permissions-Policy on every response.

    Django's SecurityMiddleware already sends nosniff, Referrer-Policy and (in production) HSTS;
    XFrameOptionsMiddleware sends X-Frame-Options: DENY. A fixed, nonce-free policy needs no
    library.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response


class StaffIdleTimeoutMiddleware:
    """Log staff out after ``STAFF_IDLE_TIMEOUT_SECONDS`` without a request.

    HIPAA 45 CFR 164.312(a)(2)(iii), automatic logoff. Patients are anonymous and are never
    timed out mid-assessment."""

    SESSION_KEY = "_staff_last_seen"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.is_staff:
            now = int(time.time())
            last_seen = request.session.get(self.SESSION_KEY)
            if last_seen is not None and now - last_seen > settings.STAFF_IDLE_TIMEOUT_SECONDS:
                logout(request)
                request.session["_idle_logged_out"] = True
            else:
                request.session[self.SESSION_KEY] = now
        return self.get_response(request)


class DatabaseUnavailableMiddleware:
    """When the database cannot be reached, show a kind 503 page (never a stack trace) so the
    person can still see crisis numbers; the app reconnects by itself when it is back
    (CONN_HEALTH_CHECKS)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        from iop_finder.core.views import database_unavailable, is_database_outage

        if is_database_outage(exception):
            logger.error("Database unavailable: %s", type(exception).__name__)
            return database_unavailable(request)
        return None
