"""Deployment checks (``manage.py check --deploy``): settings a production site cannot do
without. The urgent notice needs an on-call address, and its link needs the site's real address."""

from django.conf import settings
from django.core import checks

#: The development default of SITE_URL (settings.py).
DEFAULT_SITE_URL = "http://localhost:8000"


@checks.register(checks.Tags.security, deploy=True)
def urgent_notice_settings(app_configs=None, **kwargs):
    errors = []
    if not (getattr(settings, "ADMISSIONS_ONCALL_EMAIL", "") or "").strip():
        errors.append(
            checks.Error(
                "ADMISSIONS_ONCALL_EMAIL is empty: urgent and EMERGENCY submissions would "
                "notify no one.",
                hint="Set ADMISSIONS_ONCALL_EMAIL to the on-call admissions address.",
                id="iop_finder.E001",
            )
        )
    site_url = (getattr(settings, "SITE_URL", "") or "").rstrip("/")
    if not site_url or site_url == DEFAULT_SITE_URL:
        errors.append(
            checks.Error(
                "SITE_URL is the development default: links in staff e-mail would point to "
                "localhost.",
                hint="Set SITE_URL to the site's public https:// address.",
                id="iop_finder.E002",
            )
        )
    return errors
