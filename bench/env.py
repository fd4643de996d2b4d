"""The environment every benchmark runs in: the site's own settings with debug off, a throw-away
database unless ``DATABASE_URL`` names one, and Django set up. Call before importing models."""

from __future__ import annotations

import os
import tempfile
import warnings
from pathlib import Path


def setup_django(settings_module: str = "iop_finder.settings", database_url: str | None = None):
    """Set the benchmark environment and ``django.setup()``; returns the database URL used."""
    if database_url:
        os.environ["DATABASE_URL"] = database_url
    if not os.environ.get("DATABASE_URL"):
        folder = tempfile.mkdtemp(prefix="iop-bench-")
        os.environ["DATABASE_URL"] = f"sqlite:///{Path(folder) / 'bench.sqlite3'}"
    os.environ["DJANGO_SETTINGS_MODULE"] = settings_module
    os.environ.setdefault("DJANGO_SECRET_KEY", "bench-only-secret-key-not-for-production")
    os.environ.setdefault("DJANGO_DEBUG", "0")
    os.environ.setdefault("DJANGO_PRODUCTION", "0")
    os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver,localhost")
    os.environ.setdefault("DJANGO_HASHED_STATIC", "0")
    os.environ.setdefault("WHITENOISE_USE_FINDERS", "1")
    os.environ.setdefault("DJANGO_LOG_LEVEL", "WARNING")
    os.environ.setdefault("EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend")
    os.environ.setdefault("RATE_LIMIT_API", "0")  # a benchmark is one client asking often
    # Static files come through finders; no collectstatic folder is needed.
    warnings.filterwarnings("ignore", message="No directory at", category=UserWarning)
    import django

    django.setup()
    return os.environ["DATABASE_URL"]
