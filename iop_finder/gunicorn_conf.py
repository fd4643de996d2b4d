"""gunicorn settings for production: access and error logs with no personal data.

    gunicorn iop_finder.wsgi -c iop_finder/gunicorn_conf.py --bind 0.0.0.0:8000 \
        --workers 4 --threads 2

The access log line is ``[time] "METHOD /path HTTP/1.1" status bytes duration_ms``: no query
string (searches, ZIP codes and admin search terms live there), no result or other tokens in the
path (``/assessment/r/[token]/``), no referrer, no user agent and no client address (the proxy in
front keeps its own log if an investigation needs one). Error-log lines, tracebacks included,
pass through the same scrubbing filter as the application's logs (``iop_finder.core.logging``).
"""

import sys
from pathlib import Path

from gunicorn.glogging import Logger

# This file is loaded by path (-c): make the project importable for the scrubbing filter.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from iop_finder.core.logging import ScrubPersonalData, scrub  # noqa: E402

accesslog = "-"
errorlog = "-"
access_log_format = '%(t)s "%(m)s %(U)s %(H)s" %(s)s %(b)s %(M)sms'


class ScrubbingLogger(Logger):
    """gunicorn's logger, with every access-log atom scrubbed and the query string and request
    line left out, and the scrubbing filter on every handler (tracebacks included)."""

    def setup(self, cfg):
        super().setup(cfg)
        for log in (self.error_log, self.access_log):
            for handler in log.handlers:
                handler.addFilter(ScrubPersonalData())

    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        path = scrub(atoms.get("U") or "")
        atoms["U"] = path
        atoms["q"] = ""
        atoms["r"] = f"{atoms.get('m')} {path} {atoms.get('H')}"
        atoms["f"] = "-"
        for key, value in list(atoms.items()):
            if isinstance(value, str) and key not in ("t",):
                atoms[key] = scrub(value)
        return atoms


logger_class = ScrubbingLogger
