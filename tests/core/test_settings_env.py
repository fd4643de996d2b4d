"""Issue 14 item 8: environment variables are read strictly and are all documented; the locale
folder exists; static files fail loudly when missing from the manifest."""

import re
from pathlib import Path

import pytest

from tests.core.test_settings import load_settings, settings_with

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("name", ["DJANGO_DEBUG", "STAFF_REQUIRE_2FA", "DJANGO_PRODUCTION"])
def test_a_boolean_with_an_unknown_value_is_an_error_not_false(name):
    result = load_settings(DJANGO_SECRET_KEY="k", **{name: "ture"})
    assert result.returncode != 0
    assert (
        "ImproperlyConfigured" in result.stderr
        and name in result.stderr
        and "'ture'" in result.stderr
    )


@pytest.mark.parametrize(
    ("word", "expected"), [("yes", True), ("On", True), ("0", False), ("off", False)]
)
def test_the_documented_boolean_words_work(word, expected):
    assert settings_with(DJANGO_SECRET_KEY="k", DJANGO_DEBUG=word)["debug"] is expected


def test_blank_text_variables_keep_their_defaults():
    """A line copied empty from .env.example must not replace a working default with nothing."""
    import json
    import os
    import subprocess
    import sys

    probe = (
        "import json; from django.conf import settings as s; "
        "print(json.dumps([s.TIME_ZONE, str(s.STATIC_ROOT), s.EMAIL_BACKEND, s.EMAIL_HOST, "
        "s.DEFAULT_FROM_EMAIL, s.SITE_URL]))"
    )
    env = {key: value for key, value in os.environ.items() if key in ("PATH", "HOME", "LANG")}
    env.update(
        DJANGO_SETTINGS_MODULE="iop_finder.settings",
        DJANGO_SECRET_KEY="k",
        DJANGO_TIME_ZONE="",
        DJANGO_STATIC_ROOT="",
        EMAIL_BACKEND="",
        EMAIL_HOST="",
        DEFAULT_FROM_EMAIL="",
        SITE_URL="",
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    zone, static_root, backend, host, sender, site = json.loads(result.stdout)
    assert zone == "America/New_York" and static_root.endswith("staticfiles")
    assert backend == "django.core.mail.backends.console.EmailBackend" and host == "localhost"
    assert sender and site == "http://localhost:8000"


def variables_read_by_the_settings() -> set[str]:
    text = (ROOT / "iop_finder" / "settings.py").read_text()
    return set(
        re.findall(r'(?:env_(?:bool|int|list|str)|os\.environ\.get)\(\s*"([A-Z_0-9]+)"', text)
    )


def test_env_example_lists_exactly_the_variables_the_settings_read():
    listed = set(re.findall(r"^([A-Z_0-9]+)=", (ROOT / ".env.example").read_text(), re.M))
    read = variables_read_by_the_settings()
    assert len(read) > 40
    assert read - listed == set(), "read by settings.py but not in .env.example"
    assert listed - read == set(), "in .env.example but not read by settings.py"


def test_env_example_has_no_inline_comments():
    """systemd and docker env files keep a trailing "# ..." as part of the value."""
    for line in (ROOT / ".env.example").read_text().splitlines():
        if line and not line.startswith("#"):
            assert " #" not in line, line


def test_every_locale_path_exists(settings):
    assert settings.LOCALE_PATHS
    for path in settings.LOCALE_PATHS:
        assert Path(path).is_dir(), path


def test_a_static_file_missing_from_the_manifest_fails_loudly(settings, tmp_path):
    from django.contrib.staticfiles.storage import staticfiles_storage
    from django.core.files.storage import storages

    # The file is there but was never collected into the manifest (collectstatic not re-run
    # after a deploy): without strictness it would be served under an unhashed, uncached name.
    (tmp_path / "staticfiles.json").write_text('{"paths": {}, "version": "1.1", "hash": "x"}')
    (tmp_path / "css").mkdir()
    (tmp_path / "css" / "site.css").write_text("body{}")
    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    try:
        with pytest.raises(ValueError, match="Missing staticfiles manifest entry"):
            staticfiles_storage.url("css/site.css")
    finally:
        storages._storages.pop("staticfiles", None)
