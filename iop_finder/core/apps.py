from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "iop_finder.core"
    label = "core"
    verbose_name = "Site"
