"""Sessions on several app servers (issue 15): with REDIS_URL the sessions are ``cached_db``
(kept in the database, read from the shared Redis), so a wizard step reads no session row."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.cache import cache
from django.test import override_settings

ROOT = Path(__file__).resolve().parents[2]
KEEP = ("PATH", "HOME", "LANG", "PYTHONPATH", "VIRTUAL_ENV")
PROBE = (
    "import json; from django.conf import settings as s; "
    "print(json.dumps({'engine': s.SESSION_ENGINE, 'cache': s.CACHES['default']['BACKEND']}))"
)


def settings_for(**env) -> dict:
    clean = {key: value for key, value in os.environ.items() if key in KEEP}
    clean.update(DJANGO_SETTINGS_MODULE="iop_finder.settings", DJANGO_SECRET_KEY="k", **env)
    done = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=ROOT, env=clean, capture_output=True, text=True,
        timeout=60, check=True,
    )  # fmt: skip
    return json.loads(done.stdout)


def test_sessions_are_cached_db_when_redis_is_set():
    with_redis = settings_for(REDIS_URL="redis://127.0.0.1:6379/3")
    assert with_redis == {
        "engine": "django.contrib.sessions.backends.cached_db",
        "cache": "django.core.cache.backends.redis.RedisCache",
    }


def test_sessions_stay_in_the_database_without_redis():
    """A per-process cache is not shared between app servers: the plain database engine."""
    assert settings_for(REDIS_URL="")["engine"] == "django.contrib.sessions.backends.db"


@pytest.mark.django_db
@override_settings(SESSION_ENGINE="django.contrib.sessions.backends.cached_db")
def test_a_wizard_step_with_cached_db_sessions_reads_no_session_row(
    client, django_assert_num_queries
):
    cache.clear()
    first = client.get("/assessment/", follow=True)
    step = first.request["PATH_INFO"]
    assert first.status_code == 200 and step != "/assessment/"
    with django_assert_num_queries(0):
        again = client.get(step)
    assert again.status_code == 200
    from django.contrib.sessions.models import Session

    assert Session.objects.filter(session_key=client.session.session_key).exists()  # kept
