"""Settings come from the environment: each case imports the settings module in a fresh
interpreter with a controlled environment, as a real deployment would."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PROBE = (
    "import json; from django.conf import settings as s; "
    "db = s.DATABASES['default']; "
    "print(json.dumps({'debug': s.DEBUG, 'engine': db['ENGINE'], 'name': str(db['NAME']), "
    "'host': db.get('HOST'), 'port': db.get('PORT'), 'user': db.get('USER'), "
    "'conn_max_age': db['CONN_MAX_AGE'], 'health': db['CONN_HEALTH_CHECKS'], "
    "'ssl_redirect': s.SECURE_SSL_REDIRECT, 'hsts': s.SECURE_HSTS_SECONDS, "
    "'secure_cookie': s.SESSION_COOKIE_SECURE, 'hosts': s.ALLOWED_HOSTS}))"
)
KEEP = ("PATH", "HOME", "LANG", "PYTHONPATH", "VIRTUAL_ENV")


def load_settings(**env):
    clean = {key: value for key, value in os.environ.items() if key in KEEP}
    clean["DJANGO_SETTINGS_MODULE"] = "iop_finder.settings"
    clean.update(env)
    return subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=60,
    )


def settings_with(**env):
    result = load_settings(**env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_sqlite_file_is_the_default_database():
    s = settings_with(DJANGO_SECRET_KEY="k")
    assert s["engine"] == "django.db.backends.sqlite3"
    assert s["name"].endswith("db.sqlite3")


def test_postgres_url_is_parsed_with_persistent_healthy_connections():
    s = settings_with(DJANGO_SECRET_KEY="k", DATABASE_URL="postgres://app:pw@db.internal:6432/iop")
    assert s["engine"] == "django.db.backends.postgresql"
    assert (s["name"], s["host"], s["port"], s["user"]) == ("iop", "db.internal", 6432, "app")
    assert s["conn_max_age"] == 60
    assert s["health"] is True


def test_debug_is_off_unless_asked_for():
    assert settings_with(DJANGO_SECRET_KEY="k")["debug"] is False
    assert settings_with(DJANGO_SECRET_KEY="k", DJANGO_DEBUG="")["debug"] is False
    assert settings_with(DJANGO_SECRET_KEY="k", DJANGO_DEBUG="1")["debug"] is True


@pytest.mark.parametrize("key", [None, "", "   "])
def test_production_refuses_to_start_without_a_secret_key(key):
    env = {} if key is None else {"DJANGO_SECRET_KEY": key}
    result = load_settings(**env)
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is not set" in result.stderr


def test_debug_gets_a_development_key():
    assert settings_with(DJANGO_DEBUG="1")["debug"] is True


def test_production_switches_on_https_protections():
    s = settings_with(
        DJANGO_SECRET_KEY="k", DJANGO_PRODUCTION="1", DJANGO_ALLOWED_HOSTS="iop.example.org"
    )
    assert s["ssl_redirect"] is True
    assert s["hsts"] >= 31536000
    assert s["secure_cookie"] is True
    assert s["hosts"] == ["iop.example.org"]


def test_check_deploy_is_clean_with_the_documented_production_variables():
    env = {key: value for key, value in os.environ.items() if key in KEEP}
    env.update(
        DJANGO_SETTINGS_MODULE="iop_finder.settings",
        DJANGO_SECRET_KEY="a-long-random-production-secret-key-0123456789-abcdefghijklmnop",
        DJANGO_PRODUCTION="1",
        DJANGO_ALLOWED_HOSTS="iop.example.org",
        ADMISSIONS_ONCALL_EMAIL="oncall@iop.example.org",
        SITE_URL="https://iop.example.org",
    )
    result = check_deploy(env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "WARNINGS" not in result.stdout + result.stderr


def check_deploy(env):
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_fails_without_the_on_call_address_or_with_the_default_site_url():
    """Issue 11 item 2: in production an urgent notice needs somewhere to go and a real link."""
    env = {key: value for key, value in os.environ.items() if key in KEEP}
    env.update(
        DJANGO_SETTINGS_MODULE="iop_finder.settings",
        DJANGO_SECRET_KEY="a-long-random-production-secret-key-0123456789-abcdefghijklmnop",
        DJANGO_PRODUCTION="1",
        DJANGO_ALLOWED_HOSTS="iop.example.org",
        SITE_URL="http://localhost:8000",
    )
    result = check_deploy(env)
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert "iop_finder.E001" in output and "ADMISSIONS_ONCALL_EMAIL" in output
    assert "iop_finder.E002" in output and "SITE_URL" in output
