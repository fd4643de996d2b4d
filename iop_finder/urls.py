"""The site's URLs. Patient pages are in ``i18n_patterns``: English at their plain URLs,
Spanish under ``/es/`` (docs/spanish.md). The admin, ``/healthz``, the JSON API and the
language switch (``/language/es/?next=...``) have one URL in every language."""

from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from iop_finder import language
from iop_finder.core import views

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("api/", include("programs.api_urls")),
    path("language/<slug:code>/", language.switch_language, name="switch_language"),
    path(settings.ADMIN_URL, admin.site.urls),
]

urlpatterns += i18n_patterns(
    path("", include("pages.urls")),
    path("assessment/", include("assessment.urls")),
    path("programs/", include("programs.urls")),
    prefix_default_language=False,
)

handler400 = "iop_finder.core.views.error_400"
handler403 = "iop_finder.core.views.error_403"
handler404 = "iop_finder.core.views.error_404"
handler500 = "iop_finder.core.views.error_500"
