from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AdmissionsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "admissions"
    verbose_name = _("Admissions")

    def ready(self):
        from django.contrib import admin
        from django.contrib.auth.signals import user_logged_in
        from django.db.models.signals import post_save
        from django.utils.functional import empty

        from admissions.middleware import staff_signed_in
        from admissions.notify import on_email_sent, on_submission_stored
        from admissions.pipeline import open_case
        from admissions.sites import StaffAdminSite
        from assessment.models import Submission
        from assessment.signals import submission_stored
        from iop_finder.outbox.signals import email_sent

        # The default admin site becomes the staff site (2FA when STAFF_REQUIRE_2FA, guarded
        # "view on site" shortcut, TOTP enrolment page). Its registry is kept as it is, so the
        # URL conf (path(settings.ADMIN_URL, admin.site.urls)) needs no change.
        if admin.site._wrapped is empty:
            admin.site._setup()
        if not isinstance(admin.site._wrapped, StaffAdminSite):
            admin.site._wrapped.__class__ = StaffAdminSite

        # A staff sign-in starts the idle clock and the absolute session lifetime.
        user_logged_in.connect(staff_signed_in, dispatch_uid="admissions.staff_signed_in")

        # Every submission gets its admissions case (status, owner, follow-up) in the
        # transaction that writes it (admissions/pipeline.py).
        post_save.connect(open_case, sender=Submission, dispatch_uid="admissions.open_case")

        # One email to the on-call address per urgent submission (admissions/notify.py): an
        # outbox row written in the submission's own transaction, sent by the worker.
        submission_stored.connect(on_submission_stored, dispatch_uid="admissions.urgent_notice")
        email_sent.connect(on_email_sent, dispatch_uid="admissions.urgent_notice_sent")
