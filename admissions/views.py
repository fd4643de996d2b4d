"""Staff-only pages outside the model admin: set up the authenticator app (TOTP), and the
admissions reports (``<ADMIN_URL>reports/``).

Reached at ``<ADMIN_URL>two-factor/`` through the staff admin site (``admissions.sites``), so it
needs a signed-in staff account (and, with ``STAFF_REQUIRE_2FA`` on, an already verified one:
the first device of a new account is enrolled by an administrator with
``python manage.py enrol_totp <username>``; see the README, "Staff sign-in").
"""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib import admin, messages
from django.db import transaction
from django.http import HttpResponse, HttpResponseRedirect, JsonResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import escape
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST
from django_otp.plugins.otp_totp.models import TOTPDevice

from admissions.forms import TOTPConfirmForm

PENDING_NAME = "Authenticator app (pending)"
CONFIRMED_NAME = "Authenticator app"


def qr_svg(uri: str, label: str) -> str:
    """The QR code of ``uri`` as inline SVG, drawn on the server (segno), with no style
    attribute (the CSP forbids inline styles): segno emits presentation attributes only."""
    import segno

    svg = segno.make(uri, error="m").svg_inline(scale=5, border=4, light="#fff", dark="#000")
    svg = svg.replace("<svg ", f'<svg role="img" aria-label="{escape(label)}" ', 1)
    if "style=" in svg:  # defensive: never ship an inline style
        raise ValueError("segno emitted a style attribute")
    return svg


def pending_device(user) -> TOTPDevice:
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=PENDING_NAME, confirmed=False)
    return device


@never_cache
def totp_enrol(request):
    """Show a new authenticator key as a QR code and confirm it with a first code."""
    user = request.user
    confirmed = list(TOTPDevice.objects.filter(user=user, confirmed=True))
    device = pending_device(user)
    # Replacing a working authenticator needs the password again: a session left open (or
    # taken over) must not be enough to move someone's second factor to another phone.
    form = TOTPConfirmForm(
        request.POST or None, device=device, request=request, require_password=bool(confirmed)
    )
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
            device.confirmed = True
            device.name = CONFIRMED_NAME
            device.save(update_fields=["confirmed", "name"])
        messages.success(
            request,
            _("Your authenticator app is set up. Use its 6-digit code every time you sign in."),
        )
        return HttpResponseRedirect(reverse("admin:index"))

    uri = device.config_url
    context = {
        **admin.site.each_context(request),
        "title": _("Set up your authenticator app"),
        "form": form,
        "has_device": bool(confirmed),
        "otpauth_uri": uri,
        "secret": device_secret_b32(device),
        "qr_svg": mark_safe(qr_svg(uri, _("QR code for your authenticator app"))),  # noqa: S308
        "require_2fa": settings.STAFF_REQUIRE_2FA,
    }
    return TemplateResponse(request, "admissions/totp_enrol.html", context)


def device_secret_b32(device) -> str:
    """The key in base32, in groups of four, for typing into an app by hand."""
    from base64 import b32encode

    secret = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


@never_cache
@require_POST
def keep_alive(request):
    """ "Stay signed in" on the idle warning (WCAG 2.2.1: a time limit can be extended).

    Reaching this view is the activity: the last-seen time is moved to now here, even when
    StaffIdleTimeoutMiddleware left a stamp younger than its slack as it was, so the time the
    idle script shows next starts from this click. Answers 204 to the page's script, or sends
    a person without JavaScript back to the page they were on."""
    from admissions.middleware import StaffIdleTimeoutMiddleware as Idle

    request.session[Idle.SESSION_KEY] = int(time.time())
    if request.headers.get("X-Requested-With") == "fetch":
        return HttpResponse(status=204)
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = reverse("admin:index")
    return HttpResponseRedirect(target)


@never_cache
@require_GET
def session_status(request):
    """For the idle script: is this staff session still signed in, and for how many seconds
    without a real action? The script sends it with the ``X-Staff-Idle-Check`` header, so asking
    never counts as activity (StaffIdleTimeoutMiddleware): an open tab cannot keep the session
    alive by itself."""
    from admissions.middleware import StaffIdleTimeoutMiddleware as Idle

    if not admin.site.has_permission(request):
        return JsonResponse({"signed_in": False, "seconds_left": 0})
    now = int(time.time())
    last_seen = request.session.get(Idle.SESSION_KEY, now)
    started = request.session.get(Idle.STARTED_KEY, now)
    left = min(
        last_seen + settings.STAFF_IDLE_TIMEOUT_SECONDS,
        started + settings.STAFF_SESSION_MAX_AGE_SECONDS,
    )
    return JsonResponse({"signed_in": True, "seconds_left": max(0, left - now)})


@never_cache
@require_GET
def reports(request):
    """The admissions reports (``admissions.reports``), or their CSV with ``?format=csv``. For
    people who may view submissions; every opening and download is audited."""
    import csv
    import io

    from django.core.exceptions import PermissionDenied

    from admissions import audit
    from admissions import reports as report_data
    from admissions.exports import safe_cell
    from admissions.targets import clinic_hours

    if not request.user.has_perm("assessment.view_submission"):
        raise PermissionDenied
    try:
        weeks = int(request.GET.get("weeks", report_data.DEFAULT_WEEKS))
    except ValueError:
        weeks = report_data.DEFAULT_WEEKS
    weeks = min(max(weeks, 1), report_data.MAX_WEEKS)
    data = report_data.build(weeks)
    if request.GET.get("format") == "csv":
        audit.record(audit.Action.REPORT_EXPORTED, user=request.user, changes={"weeks": weeks})
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")
        for row in report_data.csv_rows(data):
            writer.writerow([safe_cell(value) for value in row])
        response = HttpResponse(buffer.getvalue(), content_type="text/csv")
        response["Content-Disposition"] = f'attachment; filename="admissions-report-{weeks}w.csv"'
        response["Cache-Control"] = "no-store"
        return response
    audit.record(audit.Action.REPORT_VIEWED, user=request.user, changes={"weeks": weeks})
    context = {
        **admin.site.each_context(request),
        "title": _("Admissions reports"),
        "report": data,
        "week_choices": (4, 8, 13, 26, 52),
        "hours": clinic_hours(),
    }
    return TemplateResponse(request, "admissions/reports.html", context)
