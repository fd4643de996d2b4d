"""A throw-away Redis server for one test: its own free loopback port, nothing written to disk.

The tests never depend on a Redis service running on the machine; they need only the
``redis-server`` binary (Debian: ``apt-get install -y redis-server``), and fail with that
instruction when it is missing.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

START_TIMEOUT_SECONDS = 10


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def throwaway_redis() -> Iterator[str]:
    """Start ``redis-server`` on a free port; yield its URL (database 0); stop it after."""
    import redis

    binary = shutil.which("redis-server")
    if binary is None:
        pytest.fail(
            "redis-server not found: install it with 'apt-get install -y redis-server' "
            "(the Redis tests start their own server and are never skipped)"
        )
    port = _free_port()
    with tempfile.TemporaryDirectory(prefix="iop-redis-") as workdir:
        process = subprocess.Popen(
            [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly",
             "no", "--dir", workdir],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
        )  # fmt: skip
        url = f"redis://127.0.0.1:{port}/0"
        try:
            _wait_until_it_answers(redis.Redis.from_url(url), process)
            yield url
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def _wait_until_it_answers(client, process: subprocess.Popen):
    import redis

    deadline = time.monotonic() + START_TIMEOUT_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            output = process.stdout.read().decode(errors="replace") if process.stdout else ""
            pytest.fail(f"redis-server exited with {process.returncode}:\n{output[-2000:]}")
        try:
            client.ping()
            return
        except redis.exceptions.ConnectionError:
            time.sleep(0.05)
    pytest.fail(f"redis-server did not answer within {START_TIMEOUT_SECONDS} s")
