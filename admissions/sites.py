"""The staff admin site: Django's admin with a required second factor (when
``STAFF_REQUIRE_2FA`` is on), a permission check on the "view on site" shortcut, a friendly
message after an idle logout, and the TOTP enrolment page.

``AdmissionsConfig.ready()`` turns the default ``admin.site`` into this class, so the URL conf
(``path(settings.ADMIN_URL, admin.site.urls)``) needs no change. The 2FA setting is read on
every request, so tests (and an operator flipping the variable) see the change at once.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseNotAllowed
from django.urls import path
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext_lazy as _
from django_otp.admin import OTPAdminSite

#: Set in the session by admissions.middleware.StaffIdleTimeoutMiddleware on idle logout.
IDLE_FLAG = "_idle_logged_out"
#: Set there too when the absolute staff session lifetime ran out.
EXPIRED_FLAG = "_session_expired"

#: The date drill-down (``date_hierarchy``) adds a year, month or a day to the year it is given;
#: Python dates end in 9999, so a later year would overflow into a server error.
LAST_DRILL_DOWN_YEAR = 9998

#: The only methods the admin's pages answer: a page is read with GET and changed with POST.
#: Anything else (OPTIONS, HEAD, PUT, ...) is refused with a 405, so no method can render a
#: submission without the audit row that GET and POST write.
ADMIN_METHODS = ("GET", "POST")


def bad_admin_query(query) -> bool:
    """True for a query string no admin page can answer: a NUL byte in any name or value
    (PostgreSQL refuses it in a string literal, a server error) or a date drill-down year
    outside 1..9998. Such requests get a 400 page instead of a 500."""
    for key, values in query.lists():
        if "\x00" in key or any("\x00" in value for value in values):
            return True
        if key.endswith("__year"):
            for value in values:
                year = value.strip()
                if not (year.isascii() and year.isdigit()) or not (
                    1 <= int(year) <= LAST_DRILL_DOWN_YEAR
                ):
                    return True
    return False


class StaffAdminSite(OTPAdminSite):
    site_header = _("IOP Finder admissions")
    site_title = _("IOP Finder staff")
    index_title = _("Staff dashboard")
    login_template = "admissions/login.html"
    site_url = "/"
    #: The queue needs the width more than a second copy of the app list does.
    enable_nav_sidebar = False

    @property
    def login_form(self):
        from admissions.forms import StaffAuthenticationForm

        return StaffAuthenticationForm

    def admin_view(self, view, cacheable=False):
        """Every admin page, answering GET and POST only, with odd query strings refused by a
        400 (``bad_admin_query``)."""
        from functools import wraps

        from iop_finder.core.views import error_400

        guarded = super().admin_view(view, cacheable)

        @wraps(view)
        def inner(request, *args, **kwargs):
            if request.method not in ADMIN_METHODS:
                return HttpResponseNotAllowed(ADMIN_METHODS)
            if bad_admin_query(request.GET):
                return error_400(request)
            return guarded(request, *args, **kwargs)

        return inner

    def has_permission(self, request):
        allowed = request.user.is_active and request.user.is_staff
        if allowed and settings.STAFF_REQUIRE_2FA:
            is_verified = getattr(request.user, "is_verified", None)
            allowed = bool(is_verified and is_verified())
        return allowed

    def get_app_list(self, request, app_label=None):
        """The apps for the page's context are only built when a template reads them (the
        nav sidebar is off, so most staff pages never do: the queue saves a permission check
        per model on every request); the index page asks for its own list as usual."""
        if app_label is None and getattr(request, "_adm_lazy_apps", False):
            site = super()
            return SimpleLazyObject(lambda: site.get_app_list(request))
        return super().get_app_list(request, app_label)

    def each_context(self, request):
        request._adm_lazy_apps = True
        try:
            context = super().each_context(request)
        finally:
            request._adm_lazy_apps = False
        context["staff_idle_minutes"] = settings.STAFF_IDLE_TIMEOUT_SECONDS // 60
        context["staff_idle_seconds"] = settings.STAFF_IDLE_TIMEOUT_SECONDS
        # Warn two minutes before the sign-out (or a fifth of a short timeout).
        context["staff_idle_warn_before"] = min(120, settings.STAFF_IDLE_TIMEOUT_SECONDS // 5)
        context["staff_require_2fa"] = settings.STAFF_REQUIRE_2FA
        return context

    def login(self, request, extra_context=None):
        extra_context = dict(extra_context or {})
        if request.session.pop(IDLE_FLAG, False):
            extra_context["idle_logged_out"] = True
        if request.session.pop(EXPIRED_FLAG, False):
            extra_context["session_expired"] = True
            extra_context["session_hours"] = settings.STAFF_SESSION_MAX_AGE_SECONDS // 3600
        extra_context.setdefault("staff_require_2fa", settings.STAFF_REQUIRE_2FA)
        return super().login(request, extra_context)

    def get_urls(self):
        from admissions import views

        urls = super().get_urls()
        for index, pattern in enumerate(urls):
            if getattr(pattern, "name", None) == "view_on_site":
                urls[index] = path(
                    "r/<path:content_type_id>/<path:object_id>/",
                    self.admin_view(self.guarded_shortcut),
                    name="view_on_site",
                )
        return [
            path("two-factor/", self.admin_view(views.totp_enrol), name="two_factor"),
            path("reports/", self.admin_view(views.reports), name="admissions_reports"),
            path("keep-alive/", self.admin_view(views.keep_alive), name="keep_alive"),
            # Not wrapped in admin_view: it answers signed-out pages with JSON, not a redirect.
            path("session-status/", views.session_status, name="session_status"),
            *urls,
        ]

    def guarded_shortcut(self, request, content_type_id, object_id):
        """Django's "view on site" redirect, but only for people allowed to view the object:
        without this any staff account could follow /admin/r/<ct>/<pk>/ to a submission's
        public result page."""
        from django.contrib.contenttypes.models import ContentType
        from django.contrib.contenttypes.views import shortcut
        from django.http import Http404

        try:
            content_type = ContentType.objects.get_for_id(int(content_type_id))
        except (ContentType.DoesNotExist, ValueError):
            raise Http404 from None
        opts = (content_type.app_label, content_type.model)
        if not (
            request.user.has_perm("{}.view_{}".format(*opts))
            or request.user.has_perm("{}.change_{}".format(*opts))
        ):
            raise PermissionDenied
        if opts == ("assessment", "submission"):
            from assessment.models import Submission

            # A run the person did not share is not the staff's to open, by any path.
            if not Submission.objects.shared().filter(pk=str(object_id)).exists():
                raise Http404
        response = shortcut(request, content_type_id, object_id)
        if opts == ("assessment", "submission") and response.status_code == 302:
            # The shortcut opens the person's result page: a read of their submission.
            from admissions import audit
            from assessment.models import Submission

            submission = Submission.objects.filter(pk=object_id).only("pk", "token").first()
            if submission is not None:
                audit.record(
                    audit.Action.VIEWED,
                    user=request.user,
                    submission=submission,
                    changes={"page": "result"},
                )
        return response
