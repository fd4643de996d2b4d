"""The staff session clock: an idle timeout and an absolute lifetime for staff sessions.

``StaffIdleTimeoutMiddleware`` is in ``settings.MIDDLEWARE`` (after the OTP middleware);
``staff_signed_in`` is connected to ``user_logged_in`` in ``AdmissionsConfig.ready``. The session
flags it sets are read by the staff login page (``admissions.sites``).
"""

import time

from django.conf import settings
from django.contrib.auth import logout

from admissions.sites import EXPIRED_FLAG, IDLE_FLAG


class StaffIdleTimeoutMiddleware:
    """Log staff out after ``STAFF_IDLE_TIMEOUT_SECONDS`` without a real action, and in any case
    ``STAFF_SESSION_MAX_AGE_SECONDS`` after they signed in.

    HIPAA 45 CFR 164.312(a)(2)(iii), automatic logoff. Patients are anonymous and are never
    timed out mid-assessment.

    Only a real action extends the session: a request marked passive (the ``X-Staff-Idle-Check``
    header the idle script sends when it asks whether the session is still alive) never does, so
    two open tabs checking on each other cannot keep an unattended session alive. The absolute
    lifetime ends a session whatever its activity: a stolen session cookie stops working, and a
    workstation left signed in overnight is signed out.

    The last-seen stamp is written only when it is at least :meth:`stamp_slack` seconds old
    (``STAFF_IDLE_STAMP_SLACK_SECONDS``, 60 by default, never more than a tenth of the idle
    timeout): a busy page no longer writes the session on every request (three queries and a
    commit on PostgreSQL). The stamp is then at most that many seconds older than the last real
    action, so a person is signed out at the latest ``STAFF_IDLE_TIMEOUT_SECONDS`` after their
    last action and at the earliest that long minus the slack (never later than the timeout).
    The idle script counts from the same stamp (``request.staff_idle_left``, the seconds left
    when the page was made, is its starting point on every admin page; ``session_status``
    answers from the stamp too), so its warning still comes ``staff_idle_warn_before`` seconds
    before the sign-out; "Stay signed in" (``keep_alive``) always writes the stamp."""

    SESSION_KEY = "_staff_last_seen"
    STARTED_KEY = "_staff_signed_in_at"
    IDLE_FLAG = IDLE_FLAG
    EXPIRED_FLAG = EXPIRED_FLAG
    PASSIVE_HEADER = "X-Staff-Idle-Check"

    def __init__(self, get_response):
        self.get_response = get_response

    @staticmethod
    def stamp_slack() -> int:
        """Seconds a last-seen stamp may age before a real action rewrites it."""
        slack = min(
            settings.STAFF_IDLE_STAMP_SLACK_SECONDS, settings.STAFF_IDLE_TIMEOUT_SECONDS // 10
        )
        return max(0, slack)

    @classmethod
    def is_passive(cls, request) -> bool:
        return request.headers.get(cls.PASSIVE_HEADER) == "1"

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.is_staff:
            self.check(request, int(time.time()))
        return self.get_response(request)

    def check(self, request, now: int) -> None:
        session = request.session
        started = session.setdefault(self.STARTED_KEY, now)
        last_seen = session.get(self.SESSION_KEY)
        if now - started > settings.STAFF_SESSION_MAX_AGE_SECONDS:
            logout(request)
            request.session[self.EXPIRED_FLAG] = True
        elif last_seen is not None and now - last_seen > settings.STAFF_IDLE_TIMEOUT_SECONDS:
            logout(request)
            request.session[self.IDLE_FLAG] = True
        else:
            if last_seen is None or (  # the stamp may lag the last action by the slack
                now - last_seen >= self.stamp_slack() and not self.is_passive(request)
            ):
                last_seen = session[self.SESSION_KEY] = now
            # The page's idle script counts from the stamp, not from the page's loading.
            request.staff_idle_left = last_seen + settings.STAFF_IDLE_TIMEOUT_SECONDS - now


def staff_signed_in(sender, request, user, **kwargs):
    """``user_logged_in`` receiver: the absolute session lifetime and the idle clock start now."""
    if request is not None and getattr(user, "is_staff", False) and hasattr(request, "session"):
        now = int(time.time())
        request.session[StaffIdleTimeoutMiddleware.STARTED_KEY] = now
        request.session[StaffIdleTimeoutMiddleware.SESSION_KEY] = now
