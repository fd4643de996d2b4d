from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "iop_finder.core"
    label = "core"
    verbose_name = "Site"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from iop_finder.core import checks  # noqa: F401  (registers the deployment checks)
        from iop_finder.core.middleware import staff_signed_in

        user_logged_in.connect(staff_signed_in, dispatch_uid="core.staff_signed_in")
