"""Settings for IOP Finder, all read from environment variables with safe defaults.

Development: nothing to set (SQLite file, no debug unless ``DJANGO_DEBUG=1``).
Production: see README "Production deployment" for the variables; with them,
``python manage.py check --deploy`` is clean.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

TRUE_WORDS = {"1", "true", "yes", "on"}
FALSE_WORDS = {"0", "false", "no", "off"}


def env_bool(name: str, default: bool = False) -> bool:
    """A yes/no variable; unset or empty gives ``default``. Anything but the words above is an
    error: a typo such as ``ture`` must not quietly switch a safety setting off."""
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    word = value.strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise ImproperlyConfigured(
        f"{name} must be one of 1, true, yes, on or 0, false, no, off, not {value!r}"
    )


def env_str(name: str, default: str = "") -> str:
    """A text variable; unset or blank gives ``default`` (so an empty line copied from
    .env.example never replaces a working default with nothing)."""
    return os.environ.get(name, "").strip() or default


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}") from None


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG", False)

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "").strip()
if not SECRET_KEY:
    if DEBUG:
        SECRET_KEY = "django-insecure-development-only-key-never-use-in-production"  # noqa: S105
    else:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY is not set. Set it to a long random value in production "
            "(or set DJANGO_DEBUG=1 for local development)."
        )

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

# Set DJANGO_PRODUCTION=1 behind HTTPS: secure cookies, HSTS, SSL redirect, proxy header.
PRODUCTION = env_bool("DJANGO_PRODUCTION", False)

INSTALLED_APPS = [
    # django.contrib.admin, with the staff site (admissions.sites.StaffAdminSite) as admin.site.
    "admissions.apps.StaffAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_filters",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "bootstrap",  # django-bootstrap-static: Bootstrap 5's files, served by us
    "iop_finder.core",
    "iop_finder.outbox",
    "programs",
    "pages",
    "assessment",
    "admissions",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Before WhiteNoise, so static files carry the CSP and Permissions-Policy too.
    "iop_finder.core.middleware.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Reads the /es/ prefix; the next one sends an unprefixed page to /es/ when the person
    # prefers Spanish (cookie from the switch, else Accept-Language). docs/spanish.md.
    "django.middleware.locale.LocaleMiddleware",
    "iop_finder.language.PreferredLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "admissions.middleware.StaffIdleTimeoutMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "iop_finder.core.middleware.DatabaseUnavailableMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "iop_finder.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "pages.context_processors.site",
            ],
        },
    },
]

WSGI_APPLICATION = "iop_finder.wsgi.application"
ASGI_APPLICATION = "iop_finder.asgi.application"

# Database: SQLite file by default; any DATABASE_URL (postgres://user@host:5432/name) otherwise.
# Persistent connections with health checks so a restarted PostgreSQL is reconnected to.
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", "").strip() or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"].setdefault("OPTIONS", {})["connect_timeout"] = env_int(
        "DATABASE_CONNECT_TIMEOUT", 5
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Cache: Redis when REDIS_URL is set (shared by all app servers: rate limits, lockouts), else
# local memory for a single process.
REDIS_URL = os.environ.get("REDIS_URL", "").strip()
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
        }
    }
    # Sessions stay in the database (nothing is lost when Redis restarts) and are read from
    # Redis: a wizard step no longer reads the database for its session, on any app server.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Internationalisation (docs/spanish.md): every user-facing string goes through gettext; the
# Spanish catalogue is locale/es/LC_MESSAGES/django.po, its compiled .mo committed beside it.
# English pages keep their URLs, Spanish ones are under /es/ (iop_finder.urls). The switch in
# the header (iop_finder.language.switch_language) remembers the choice in a cookie for a year
# (a language is not personal data; it outlives the session on purpose).
LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("es", _("Spanish"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
LANGUAGE_COOKIE_NAME = "django_language"
LANGUAGE_COOKIE_PATH = "/"
LANGUAGE_COOKIE_DOMAIN = None
LANGUAGE_COOKIE_AGE = 60 * 60 * 24 * 365
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SECURE = PRODUCTION
TIME_ZONE = env_str("DJANGO_TIME_ZONE", "America/New_York")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(env_str("DJANGO_STATIC_ROOT") or BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if not DEBUG and env_bool("DJANGO_HASHED_STATIC", True)
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
# Tests and `runserver` without collectstatic: let WhiteNoise find files in the app folders.
WHITENOISE_USE_FINDERS = env_bool("WHITENOISE_USE_FINDERS", DEBUG)
# A {% static %} name missing from the manifest is an error (a 500 the tests and the smoke
# check catch), never a silently unhashed URL that 404s for every visitor.
WHITENOISE_MANIFEST_STRICT = True

# Security. Everything below is on in production; the headers that cost nothing are always on.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_FAILURE_VIEW = "iop_finder.core.views.csrf_failure"
if PRODUCTION:
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD", True)
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

# Sessions: the anonymous assessment keeps answers in the session for a day, so a person who
# steps away does not lose them. Staff sessions have a separate idle timeout (below).
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 60 * 60 * 24)
STAFF_IDLE_TIMEOUT_SECONDS = env_int("STAFF_IDLE_TIMEOUT_SECONDS", 15 * 60)
# A real action rewrites the staff session's last-seen stamp only when it is this old (capped at
# a tenth of the idle timeout), so busy staff pages do not write the session on every request:
# staff are signed out between the timeout minus this and the timeout after their last action.
STAFF_IDLE_STAMP_SLACK_SECONDS = 60
# However active, a staff session ends this long after sign-in (a working day plus overtime).
STAFF_SESSION_MAX_AGE_SECONDS = env_int("STAFF_SESSION_MAX_AGE_SECONDS", 12 * 60 * 60)

# Staff accounts: lockout after repeated failed logins (django-axes), TOTP second factor.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = env_int("AXES_COOLOFF_HOURS", 1)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "errors/lockout.html"
AXES_ENABLE_ACCESS_FAILURE_LOG = True
AXES_VERBOSE = False
# Behind the reverse proxy every request comes from the proxy's address: lockouts count per
# client with the same trusted-proxy rule as the rate limits (RATE_LIMIT_TRUSTED_PROXIES), so one
# person cannot lock a named colleague out for everyone. See docs/deployment.md for the trade-off.
AXES_CLIENT_IP_CALLABLE = "iop_finder.core.ratelimit.client_address"
# Require a TOTP device for admin logins (set STAFF_REQUIRE_2FA=1 in production).
STAFF_REQUIRE_2FA = env_bool("STAFF_REQUIRE_2FA", PRODUCTION)
OTP_TOTP_ISSUER = "IOP Finder"
ADMIN_URL = os.environ.get("DJANGO_ADMIN_URL", "admin/").strip().lstrip("/") or "admin/"
if not ADMIN_URL.endswith("/"):
    ADMIN_URL += "/"

# Assessment results
RESULT_LINK_DAYS = env_int("RESULT_LINK_DAYS", 30)
SUBMISSION_RETENTION_DAYS = env_int("SUBMISSION_RETENTION_DAYS", 365)

# Email: the urgent notice goes to the on-call admissions address.
ADMISSIONS_ONCALL_EMAIL = os.environ.get("ADMISSIONS_ONCALL_EMAIL", "").strip()
SITE_URL = env_str("SITE_URL", "http://localhost:8000").rstrip("/")
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "IOP Finder <no-reply@localhost>")
EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if PRODUCTION
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10)

# Background tasks (Django's Tasks API, the django-tasks backport): by default the database
# backend (django-tasks-db), so nothing extra runs on a fresh machine; the worker is
# `manage.py db_worker` (scripts/run starts it). E-mail that must not be lost goes through the
# outbox (iop_finder/outbox): written in the caller's transaction, sent by the worker with retries.
TASKS = {
    "default": {
        "BACKEND": os.environ.get("TASKS_BACKEND", "").strip() or "django_tasks_db.DatabaseBackend"
    }
}
# Outbox retries: 30 s after the first failure, doubling, at most every 10 minutes; an e-mail
# not sent 15 minutes after it was written is an alarm on the admin home page.
OUTBOX_RETRY_BASE_SECONDS = env_int("OUTBOX_RETRY_BASE_SECONDS", 30)
OUTBOX_RETRY_MAX_SECONDS = env_int("OUTBOX_RETRY_MAX_SECONDS", 600)
OUTBOX_ALARM_MINUTES = env_int("OUTBOX_ALARM_MINUTES", 15)
# outbox_sweep re-schedules a row whose next try is this overdue (its task was lost).
OUTBOX_SWEEP_GRACE_SECONDS = env_int("OUTBOX_SWEEP_GRACE_SECONDS", 60)
# ...and deletes e-mail sent more than this many days ago (bodies can hold links with tokens).
OUTBOX_KEEP_SENT_DAYS = env_int("OUTBOX_KEEP_SENT_DAYS", 30)

# Rate limits (requests per minute per client address) for the public write endpoints and API.
# Behind N proxies that each append to X-Forwarded-For, set RATE_LIMIT_TRUSTED_PROXIES=N so the
# client address is read from the entry the nearest trusted proxy added (never a client-sent one).
RATE_LIMIT_TRUSTED_PROXIES = env_int("RATE_LIMIT_TRUSTED_PROXIES", 0)
RATE_LIMITS = {
    # Every step, Back and retry of the assessment counts; 60 leaves room for a family or a
    # clinic waiting room sharing one address while still stopping scripted floods.
    "assessment_submit": env_int("RATE_LIMIT_ASSESSMENT_SUBMIT", 60),
    "callback": env_int("RATE_LIMIT_CALLBACK", 10),
    "api": env_int("RATE_LIMIT_API", 120),
    # A program's listing contact opening their update link; people reporting a wrong listing.
    "listing_update": env_int("RATE_LIMIT_LISTING_UPDATE", 30),
    # "Email me a link" (resume or result): each one sends an e-mail, so few an hour.
    "email_link": env_int("RATE_LIMIT_EMAIL_LINK", 5),
    "listing_report": env_int("RATE_LIMIT_LISTING_REPORT", 5),
}

# Directory freshness (docs/directory.md): a listing not confirmed for this many days is labelled
# and ranked after fresh ones; listing update links last this many days.
LISTING_STALE_DAYS = env_int("LISTING_STALE_DAYS", 180)
# Programs each process keeps ready to show (cards, API items, program pages; programs.snapshot),
# checked against each program's updated_at: about 12 kB each, so 2,000 is ~25 MB per process.
PROGRAM_SNAPSHOTS = env_int("PROGRAM_SNAPSHOTS", 2000)
LISTING_LINK_DAYS = env_int("LISTING_LINK_DAYS", 30)

# Admissions targets for time to first contact (docs/staff-guide.md, the reports): urgent within
# this many minutes of opening hours, others within this many business days.
ADMISSIONS_OPENING_HOURS = (
    env_int("ADMISSIONS_OPEN_HOUR", 9),
    env_int("ADMISSIONS_CLOSE_HOUR", 17),
)
ADMISSIONS_OPEN_WEEKDAYS = (0, 1, 2, 3, 4)
ADMISSIONS_TARGET_URGENT_MINUTES = env_int("ADMISSIONS_TARGET_URGENT_MINUTES", 60)
ADMISSIONS_TARGET_ROUTINE_BUSINESS_DAYS = env_int("ADMISSIONS_TARGET_ROUTINE_BUSINESS_DAYS", 1)

# Logging: to stdout, no request bodies or query strings (they can hold personal data).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"scrub": {"()": "iop_finder.core.logging.ScrubPersonalData"}},
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {
        "stdout": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "formatter": "plain",
            "filters": ["scrub"],
        }
    },
    "root": {"handlers": ["stdout"], "level": env_str("DJANGO_LOG_LEVEL", "INFO").upper()},
    "loggers": {
        "django.server": {"handlers": ["stdout"], "level": "INFO", "propagate": False},
        "django.request": {"handlers": ["stdout"], "level": "ERROR", "propagate": False},
    },
}
