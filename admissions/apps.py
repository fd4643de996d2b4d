from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class StaffAdminConfig(admin_apps.AdminConfig):
    """``django.contrib.admin`` with the staff site as its default site (2FA when
    STAFF_REQUIRE_2FA, guarded "view on site" shortcut, TOTP enrolment page): listed in
    ``INSTALLED_APPS`` instead of ``django.contrib.admin``, so ``admin.site`` is a
    :class:`admissions.sites.StaffAdminSite` from the start and the URL conf
    (``path(settings.ADMIN_URL, admin.site.urls)``) needs no change."""

    default_site = "admissions.sites.StaffAdminSite"
    default = False  # "admissions" alone in INSTALLED_APPS still means AdmissionsConfig


class AdmissionsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "admissions"
    verbose_name = _("Admissions")

    def ready(self):
        from django.contrib.auth.signals import user_logged_in
        from django.db.models.signals import post_migrate

        from admissions import roles
        from admissions.middleware import staff_signed_in
        from admissions.notify import on_email_sent, on_submission_shared
        from admissions.pipeline import open_case
        from assessment.signals import submission_shared
        from iop_finder.outbox.signals import email_sent

        # A staff sign-in starts the idle clock and the absolute session lifetime.
        user_logged_in.connect(staff_signed_in, dispatch_uid="admissions.staff_signed_in")

        # The staff roles (groups and their permissions) are made and kept in step after every
        # migrate (admissions/roles.py), with the permissions as they are then.
        post_migrate.connect(roles.on_post_migrate, sender=self, dispatch_uid="admissions.roles")

        # Staff see a run only once the person shares it: the share opens its admissions case
        # (status, owner, follow-up) in the transaction that shares it (admissions/pipeline.py).
        submission_shared.connect(open_case, dispatch_uid="admissions.open_case")

        # One email to the on-call address per urgent shared submission (admissions/notify.py):
        # an outbox row written in the sharing transaction, sent by the worker.
        submission_shared.connect(on_submission_shared, dispatch_uid="admissions.urgent_notice")
        email_sent.connect(on_email_sent, dispatch_uid="admissions.urgent_notice_sent")
