"""The site's URLs plus ``/bench/baseline`` (benchmark settings only)."""

from django.urls import path

from bench.baseline import baseline
from iop_finder import urls as site_urls

urlpatterns = [path("bench/baseline", baseline, name="bench-baseline"), *site_urls.urlpatterns]

handler400 = site_urls.handler400
handler403 = site_urls.handler403
handler404 = site_urls.handler404
handler500 = site_urls.handler500
