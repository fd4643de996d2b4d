from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from iop_finder.core import views

urlpatterns = [
    path("", include("pages.urls")),
    path("healthz", views.healthz, name="healthz"),
    path("assessment/", include("assessment.urls")),
    path("programs/", include("programs.urls")),
    path("api/", include("programs.api_urls")),
    path(settings.ADMIN_URL, admin.site.urls),
]

handler400 = "iop_finder.core.views.error_400"
handler403 = "iop_finder.core.views.error_403"
handler404 = "iop_finder.core.views.error_404"
handler500 = "iop_finder.core.views.error_500"
