"""Infrastructure views: the health check and the error pages (400, 403, CSRF, 404, 500, and the
kind 503 shown while the database is down). The site's own pages live in ``pages``."""

import sys

from django.db import DatabaseError, InterfaceError, OperationalError, connection
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache


@never_cache
def healthz(request):
    """200 when the database answers a query, 503 when it does not. For load balancers."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return JsonResponse({"status": "unavailable", "database": "down"}, status=503)
    return JsonResponse({"status": "ok", "database": "up"})


def error_404(request, exception=None):
    return render(request, "errors/404.html", status=404)


def is_database_outage(exc) -> bool:
    """True for the errors a lost or refused database connection raises, also when another
    error was raised because of one (Django's session middleware turns a failed session save
    into ``SessionInterrupted``, a 400, with the database error as its context)."""
    seen = 0
    while exc is not None and seen < 5:
        if isinstance(exc, OperationalError | InterfaceError):
            return True
        exc = exc.__cause__ or exc.__context__
        seen += 1
    return False


def database_unavailable(request):
    """The kind 503 page shown while the database is down (no stack trace, crisis numbers)."""
    return render(request, "errors/503.html", status=503)


def error_500(request):
    # Django calls this inside its exception handler, also for errors raised in middleware
    # (e.g. the session middleware saving to a database that has just gone away).
    if is_database_outage(sys.exc_info()[1]):
        return database_unavailable(request)
    return render(request, "errors/500.html", status=500)


def csrf_failure(request, reason=""):
    """A form was sent without a valid security token (usually an old tab or expired session)."""
    return render(request, "errors/403_csrf.html", status=403)


def error_403(request, exception=None):
    return render(request, "errors/403.html", status=403)


def error_400(request, exception=None):
    if is_database_outage(exception):
        return database_unavailable(request)
    return render(request, "errors/400.html", status=400)
