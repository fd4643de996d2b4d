"""Read-only JSON for partner sites; included at ``api/`` by ``iop_finder.urls``."""

from django.urls import path

from programs import api

urlpatterns = [path("programs/", api.programs_api, name="programs-api")]
