"""Benchmark settings: the site's own settings, plus a bare baseline page at ``/bench/baseline``.

Same middleware, templates, context processors and database as the site, so a page's throughput
divided by the baseline's says what the page's own work costs. Never used to serve real people.
"""

from iop_finder.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
RATE_LIMITS = {}  # the benchmark is one client asking as fast as it can
