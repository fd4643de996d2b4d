from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "iop_finder.core"
    label = "core"
    verbose_name = "Site"

    def ready(self):
        from iop_finder.core import checks  # noqa: F401  (registers the deployment checks)
