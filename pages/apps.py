from django.apps import AppConfig


class PagesConfig(AppConfig):
    """The public site pages that belong to no other app: the home page and the crisis page."""

    name = "pages"
    verbose_name = "Site pages"
