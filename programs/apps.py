from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgramsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "programs"
    verbose_name = _("Program directory")

    def ready(self):
        from programs import signals  # noqa: F401 - connects the updated_at bumps
