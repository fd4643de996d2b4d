"""Site-wide middleware: security headers, and a kind 503 page when the database is down. (The
staff idle timeout is the staff side's: ``admissions.middleware``.)"""

import logging

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
