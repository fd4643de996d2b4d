"""The documented production command (docs/deployment.md) runs real gunicorn; its log must hold
no query strings, no result tokens, no admin search terms, and scrubbed tracebacks."""

import os
import re
import shlex
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from tests.core.mailservers import free_port

ROOT = Path(__file__).resolve().parents[2]
TOKEN = "Zq7RkP2mW9xT4vL8nB3c"  # shaped like a result token
SECRETS = [TOKEN, "40202", "medicaid", "Jordan", "Avery", "q=", "zip=", "Refer0Token1234567"]


def documented_command() -> list[str]:
    """The gunicorn line of the production recipe, as an operator would copy it."""
    text = (ROOT / "docs" / "deployment.md").read_text()
    lines = [line.strip() for line in text.splitlines() if line.strip().startswith("gunicorn ")]
    assert lines, "docs/deployment.md has no gunicorn command"
    return shlex.split(lines[0])


def get(url, **headers):
    request = urllib.request.Request(url, headers=headers)  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=20) as response:  # noqa: S310
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def test_the_documented_gunicorn_command_logs_no_personal_data(tmp_path):
    command = documented_command()
    assert command[:2] == ["gunicorn", "iop_finder.wsgi"]
    assert "-c" in command and "iop_finder/gunicorn_conf.py" in command
    port = free_port()
    command = [str(Path(sys.executable).with_name("gunicorn")), *command[1:]]
    command[command.index("--bind") + 1] = f"127.0.0.1:{port}"
    command[command.index("--workers") + 1] = "1"
    command.append("--no-control-socket")  # runs beside other gunicorns (load tests) on this host

    env = {key: os.environ[key] for key in ("PATH", "HOME", "LANG") if key in os.environ}
    env.update(
        DJANGO_SECRET_KEY="gunicorn-log-test-secret-key-0123456789",
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        # No collectstatic: every HTML page fails in its template, so gunicorn itself logs a
        # real traceback for the request (with its URL) - the case the scrubbing must cover.
        DJANGO_HASHED_STATIC="1",
    )
    migrate = subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v0"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert migrate.returncode == 0, migrate.stderr
    log_path = tmp_path / "gunicorn.log"
    with open(log_path, "w") as log:
        server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if get(f"{base}/healthz") == 200:
                    break
            except OSError:
                time.sleep(0.3)
        else:
            raise AssertionError("gunicorn did not start:\n" + log_path.read_text()[-3000:])

        # A result page (fails: traceback), a directory search through the API, an admin search
        # (redirected to sign-in), each with a referrer that carries a token.
        referer = "https://iop.example.org/assessment/resume/Refer0Token1234567/?zip=40202"
        assert get(f"{base}/assessment/r/{TOKEN}/?from=email", Referer=referer) == 500
        status = get(f"{base}/api/programs/?zip=40202&insurance=medicaid", Referer=referer)
        assert status == 200
        opener = urllib.request.build_opener(NoRedirect)
        try:
            opener.open(f"{base}/admin/assessment/submission/?q=Jordan+Avery", timeout=20)
        except urllib.error.HTTPError as error:
            assert error.code == 302
        time.sleep(0.5)
    finally:
        server.terminate()
        server.wait(timeout=30)

    text = log_path.read_text()
    assert "Error handling request" in text and "Traceback" in text  # a traceback was logged
    assert re.search(r'"GET /api/programs/ HTTP/1\.[01]" 200 ', text), text[-2000:]
    assert re.search(r'"GET /admin/assessment/submission/ HTTP/1\.[01]" 302 ', text)
    assert "/assessment/r/[token]/" in text
    for secret in SECRETS:
        assert secret not in text, f"{secret!r} is in the gunicorn log"
