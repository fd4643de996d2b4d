"""Load test: many simulated people take the assessment and search, against gunicorn + PostgreSQL.

    python -m loadtest.run --duration 20 --users 20

It creates, migrates and seeds the database named by ``DATABASE_URL`` (default
``postgres://postgres@127.0.0.1:5432/iop_load``), starts ``gunicorn iop_finder.wsgi`` on a free
loopback port with the rate limits raised, runs the simulated people for ``--duration`` seconds,
prints requests per second, p50/p95/p99 latency and errors, and checks that every submission a
person was shown a result for is in the database exactly once (some final POSTs are replayed on
purpose: a replay must not add a row). Exit status 1 on any error, lost or doubled submission.

Several app servers: ``python -m loadtest.run --servers 2 --duration 20 --users 20`` runs the
load first on one server, then on two gunicorn servers on two ports sharing the one PostgreSQL
database and one Redis (``--redis-url``, default ``redis://127.0.0.1:6379/11``, that database
flushed first; ``own`` starts a throw-away ``redis-server``), each person's requests alternating
between the servers (every wizard step answered by the other server than the one before). It
checks that nothing is lost or doubled, that the walks complete across servers, and that a burst
over the API limit spread over both servers is refused at the shared limit; it prints
requests/s and p50/p95/p99 for one server and for two side by side.

Only loopback addresses are used. Every loop is bounded; the run stops by itself.

The simulated people read and answer the forms with :mod:`tests.support.forms` (the HTML form
reader the tests, the fuzzers and the benchmarks use to walk the assessment, whatever its steps).
"""

from __future__ import annotations

import argparse
import contextlib
import html
import http.client
import json
import os
import random
import re
import socket
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode, urlsplit

# The HTML form reader lives with the test helpers; ``loadtest.faults`` uses it from here too.
from tests.support.forms import (
    RESULT_RE,
    STEP_LINK_RE,
    fill_form,
    location_path,
    main_form,
    parse_forms,
)

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/iop_load"
#: The load test's own Redis database (flushed at the start of a two-server run).
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/11"
LOADTEST_SECRET = "loadtest-only-secret-key-not-for-production-0123456789abcdef"  # noqa: S105
SEARCHES = [
    {"zip": "40202", "level": "IOP", "insurance": "medicaid"},
    {"zip": "40202", "level": "PHP"},
    {"zip": "40205", "level": "OP", "insurance": "private"},
    {"zip": "40202"},
    {"level": "IOP", "telehealth": "1"},
    {"zip": "40202", "level": "IOP", "day": "mon", "time": "evening", "radius": "50"},
]

# --------------------------------------------------------------------------- HTTP client


class Person:
    """One simulated person: keep-alive connections and one cookie jar, loopback only.

    ``port`` is one port, or several: then every request goes to the next server in turn (the
    way a load balancer without sticky sessions may send them), with the same cookies, as a
    browser keeps them for the site's one host name."""

    def __init__(self, host: str, port, timeout: float = 30.0):
        if host not in ("127.0.0.1", "localhost", "::1"):
            raise ValueError("load tests run against loopback only")
        self.ports = [port] if isinstance(port, int) else list(port)
        self.host, self.port, self.timeout = host, self.ports[0], timeout
        self.cookies: dict[str, str] = {}
        self.conns: dict[int, http.client.HTTPConnection] = {}
        self.turn = 0
        self.served: dict[int, int] = dict.fromkeys(self.ports, 0)  # requests per server

    def close(self):
        for conn in self.conns.values():
            conn.close()
        self.conns.clear()

    def _next_port(self) -> int:
        port = self.ports[self.turn % len(self.ports)]
        self.turn += 1
        return port

    def _headers(self, port: int, method_has_body: bool, path: str, headers) -> dict:
        origin = f"http://{self.host}:{port}"
        hdrs = {"Host": f"{self.host}:{port}", "User-Agent": "iop-loadtest"}
        if method_has_body:
            hdrs["Content-Type"] = "application/x-www-form-urlencoded"
            hdrs["Referer"] = f"{origin}{path}"
            hdrs["Origin"] = origin
        if self.cookies:
            hdrs["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        hdrs.update(headers or {})
        return hdrs

    def _keep_cookies(self, response):
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                cookie = SimpleCookie()
                cookie.load(value)
                for key, morsel in cookie.items():
                    if morsel["max-age"] == "0" or morsel.value == "":
                        self.cookies.pop(key, None)
                    else:
                        self.cookies[key] = morsel.value

    def request(self, method: str, path: str, data=None, headers=None):
        """(status, headers, body text, seconds). Retries once on a dropped keep-alive."""
        body = urlencode(data) if data is not None else None
        port = self.port = self._next_port()
        hdrs = self._headers(port, body is not None, path, headers)
        for attempt in (1, 2):
            conn = self.conns.get(port)
            if conn is None:
                conn = self.conns[port] = http.client.HTTPConnection(
                    self.host, port, timeout=self.timeout
                )
            start = time.perf_counter()
            try:
                conn.request(method, path, body=body, headers=hdrs)
                response = conn.getresponse()
                raw = response.read()
            except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError):
                self.conns.pop(port).close()
                if attempt == 2:
                    raise
                continue
            elapsed = time.perf_counter() - start
            self.served[port] += 1
            self._keep_cookies(response)
            if response.getheader("Connection", "").lower() == "close":
                self.conns.pop(port).close()
            return (
                response.status,
                {k.lower(): v for k, v in response.getheaders()},
                raw.decode("utf-8", "replace"),
                elapsed,
            )
        raise RuntimeError("unreachable")


# --------------------------------------------------------------------------- statistics


@dataclass
class Stats:
    lock: threading.Lock = field(default_factory=threading.Lock)
    latencies: dict[str, list[float]] = field(default_factory=dict)
    statuses: dict[int, int] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    rate_limited: int = 0
    tokens: dict[str, int] = field(default_factory=dict)  # result token -> completed runs
    runs_completed: int = 0
    replays: int = 0
    callbacks: int = 0
    callback_tokens: set = field(default_factory=set)
    searches: int = 0
    outage_expected: bool = False  # the fault test: a kind 503 is the right answer then
    outage_pages: int = 0
    served: dict[int, int] = field(default_factory=dict)  # port -> requests it answered
    walks_across: int = 0  # assessments completed with steps answered by more than one server

    def record(self, kind: str, status: int, seconds: float, body: str = "", path: str = ""):
        with self.lock:
            self.latencies.setdefault(kind, []).append(seconds)
            self.statuses[status] = self.statuses.get(status, 0) + 1
            if status == 429:
                self.rate_limited += 1
            elif status == 503 and self.outage_expected:
                self.outage_pages += 1
                if "short technical problem" not in body and "unavailable" not in body:
                    self.errors.append(f"503 without the kind page: {kind} {path}")
            elif status >= 500:
                self.errors.append(f"{status} {kind} {path}")
            if "Traceback" in body:
                self.errors.append(f"stack trace shown: {kind} {path}")

    def error(self, message: str):
        with self.lock:
            self.errors.append(message)

    @property
    def requests(self) -> int:
        return sum(len(v) for v in self.latencies.values())


def percentile(values: list[float], pct: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, int(round(pct / 100 * len(ordered) + 0.5)) - 1))
    return ordered[index]


# --------------------------------------------------------------------------- journeys


class Outage(Exception):
    """The site answered 503 (expected during the fault test)."""


def take_assessment(
    person: Person,
    stats: Stats,
    rng: random.Random,
    replay: bool = False,
    callback: bool = False,
    max_steps: int = 20,
) -> str | None:
    """Walk the whole wizard; returns the result token when a result page was shown."""
    opened = _open_assessment(person, stats)
    if opened is None:
        return None
    path, body = opened
    for _step in range(max_steps):
        form = main_form(body)
        if form is None:
            # The crisis panel after a positive safety answer: help first, then a link onward.
            onward = STEP_LINK_RE.findall(body)
            if not onward:
                stats.error(f"no form on {path}")
                return None
            path = html.unescape(onward[-1])
            _status, _headers, body = _get(person, stats, "assessment GET", path)
            continue
        data = fill_form(form, rng, mode="random")
        post_path = form.action or path
        status, headers, body, took = person.request("POST", post_path, data)
        stats.record("assessment POST", status, took, body, post_path)
        if status == 503:
            raise Outage(post_path)
        if status in (301, 302, 303):
            path = location_path(headers)
            done, token, body = _follow_step_redirect(
                person, stats, rng, path, (post_path, data), replay=replay, callback=callback
            )
            if done:
                return token
        elif status == 200:
            match = RESULT_RE.search(post_path)
            if match:
                return match.group(1)
            # The same step again: either it had errors (our answers were refused) or the
            # wizard renders the next step in place (formtools does that).
            if 'aria-invalid="true"' in body or "error-summary" in body:
                stats.error(f"valid answers refused on {post_path}")
                return None
        else:
            _post_refused(stats, status, post_path, body)
            return None
    stats.error("the assessment did not end within the step limit")
    return None


def _get(person: Person, stats: Stats, kind: str, path: str):
    """GET a page and record it; a 503 is the outage the fault test waits for."""
    status, headers, body, took = person.request("GET", path)
    stats.record(kind, status, took, body, path)
    if status == 503:
        raise Outage(path)
    return status, headers, body


def _open_assessment(person: Person, stats: Stats) -> tuple[str, str] | None:
    """/assessment/ sends the person on to their first open step: its path and page."""
    path = "/assessment/"
    for _ in range(3):
        status, headers, body = _get(person, stats, "assessment GET", path)
        if status not in (301, 302, 303):
            break
        path = location_path(headers)
    if status != 200:
        stats.error(f"assessment start answered {status}")
        return None
    return path, body


def _follow_step_redirect(
    person: Person,
    stats: Stats,
    rng: random.Random,
    path: str,
    last_post,
    *,
    replay: bool,
    callback: bool,
) -> tuple[bool, str | None, str]:
    """After an accepted step: the next step (not done) or the result page (done, its token)."""
    match = RESULT_RE.search(path)
    status, _headers, body = _get(person, stats, "result GET" if match else "assessment GET", path)
    if match is None:
        if status != 200:
            stats.error(f"step page {path} answered {status}")
            return True, None, body
        return False, None, body
    if status != 200:
        stats.error(f"result page answered {status}")
        return True, None, body
    token = match.group(1)
    with stats.lock:
        stats.tokens[token] = stats.tokens.get(token, 0) + 1
        stats.runs_completed += 1
    if replay:
        _replay(person, stats, last_post, token)
    if callback:
        _request_callback(person, stats, body, path, rng, token)
    return True, token, body


def _post_refused(stats: Stats, status: int, post_path: str, body: str):
    """A step POST answered neither a redirect nor the page: a 429 is expected under load."""
    if status == 429:
        return
    title = re.search(r"<title>([^<]*)", body)
    stats.error(
        f"assessment POST {post_path} answered {status}"
        + (f" ({title.group(1).strip()})" if title else f" {body[:80]!r}")
    )


def _replay(person: Person, stats: Stats, last_post, token: str):
    """Send the final POST again (a double click / refresh): must not create a second row."""
    post_path, data = last_post
    status, headers, body, took = person.request("POST", post_path, data)
    stats.record("replayed final POST", status, took, body, post_path)
    with stats.lock:
        stats.replays += 1
    if status == 503:
        raise Outage(post_path)
    if status in (301, 302, 303):
        match = RESULT_RE.search(location_path(headers))
        if match and match.group(1) != token:
            stats.error("a replayed final POST created a second result")


def _request_callback(
    person: Person, stats: Stats, body: str, path: str, rng: random.Random, token: str = ""
):
    forms = [f for f in parse_forms(body) if f.method == "post"]
    for form in forms:
        if any("phone" in n or "email" in n for n in form.names):
            data = fill_form(form, rng, mode="first")
            post_path = form.action or path
            status, headers, text, took = person.request("POST", post_path, data)
            stats.record("call-back POST", status, took, text, post_path)
            if status == 503:
                raise Outage(post_path)
            if status in (302, 303):
                with stats.lock:
                    stats.callback_tokens.add(token)
            if status == 200 and 'aria-invalid="true"' in text:
                stats.error("a valid call-back request was refused")
            elif status not in (302, 303, 429):
                stats.error(f"call-back answered {status}")
            with stats.lock:
                stats.callbacks += 1
            return


def search(person: Person, stats: Stats, rng: random.Random):
    params = rng.choice(SEARCHES)
    for kind, base in (("search page", "/programs/"), ("search API", "/api/programs/")):
        path = f"{base}?{urlencode(params)}"
        status, headers, body, took = person.request("GET", path)
        stats.record(kind, status, took, body, path)
        if status == 503:
            raise Outage(path)
        if status not in (200, 429):
            stats.error(f"{kind} answered {status}")
        if kind == "search page" and status == 200:
            # A program's link, with the search carried on for "Back to your results".
            slugs = re.findall(r'href="(/programs/[a-z0-9\-]+/(?:\?[^"]*)?)"', body)
            if slugs:
                detail = html.unescape(rng.choice(slugs))
                status, headers, body, took = person.request("GET", detail)
                stats.record("program detail", status, took, body, detail)
                if status == 503:
                    raise Outage(detail)
    with stats.lock:
        stats.searches += 1


def person_loop(host, port, stats: Stats, stop: threading.Event, seed: int, on_outage=None):
    """One simulated person until ``stop``: mostly assessments, sometimes searches.

    ``port`` may be several ports: the person's requests then go to each server in turn."""
    rng = random.Random(seed)
    person = Person(host, port)
    try:
        for _ in range(1_000_000):  # bounded; the stop event ends it long before
            if stop.is_set():
                return
            try:
                _one_visit(person, stats, rng)
            except Outage as exc:
                if on_outage is None:
                    stats.error(f"503 from {exc}")
                else:
                    on_outage(str(exc))
                person.cookies.clear()
                time.sleep(0.1)
            except (OSError, http.client.HTTPException) as exc:
                stats.error(f"connection error: {type(exc).__name__}")
                person.close()
                time.sleep(0.1)
    finally:
        person.close()
        with stats.lock:
            for server_port, count in person.served.items():
                stats.served[server_port] = stats.served.get(server_port, 0) + count


def _one_visit(person: Person, stats: Stats, rng: random.Random):
    """An assessment (60 %) or a search; an assessment whose steps were answered by more than
    one server, and that still reached its result, counts as a walk across servers."""
    if rng.random() >= 0.6:
        search(person, stats, rng)
        return
    before = dict(person.served)
    token = take_assessment(
        person, stats, rng, replay=rng.random() < 0.15, callback=rng.random() < 0.25
    )
    person.cookies.clear()  # the next run is a new person
    used = [p for p, count in person.served.items() if count > before[p]]
    if token and len(used) > 1:
        with stats.lock:
            stats.walks_across += 1


# --------------------------------------------------------------------------- server + database


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def server_env(database_url: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        {
            "DATABASE_URL": database_url,
            "DJANGO_SECRET_KEY": env.get("DJANGO_SECRET_KEY") or LOADTEST_SECRET,
            "DJANGO_DEBUG": "0",
            "DJANGO_PRODUCTION": "0",
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
            "WHITENOISE_USE_FINDERS": "1",
            "DJANGO_HASHED_STATIC": "0",
            "RATE_LIMIT_ASSESSMENT_SUBMIT": "1000000",
            "RATE_LIMIT_CALLBACK": "1000000",
            "RATE_LIMIT_API": "1000000",
            "DJANGO_LOG_LEVEL": "WARNING",
            "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
            "DATABASE_CONNECT_TIMEOUT": "2",
        }
    )
    return env


def check_loopback(database_url: str):
    host = urlsplit(database_url).hostname or ""
    if host not in ("127.0.0.1", "localhost", "::1"):
        sys.exit(f"refusing to use a non-loopback database host: {host!r}")


def prepare_database(database_url: str, env: dict[str, str], seed: bool = True):
    """Create the database if missing, migrate it, load the demo directory."""
    import psycopg2

    parts = urlsplit(database_url)
    name = parts.path.lstrip("/")
    admin = psycopg2.connect(
        host=parts.hostname,
        port=parts.port or 5432,
        user=parts.username or "postgres",
        password=parts.password or None,
        dbname="postgres",
        connect_timeout=5,
    )
    admin.autocommit = True
    with admin.cursor() as cur:
        cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if cur.fetchone() is None:
            cur.execute(f'CREATE DATABASE "{name}"')
    admin.close()
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "--noinput", "-v", "0"], env=env, check=True, cwd=ROOT)  # noqa: S603
    if seed:
        result = subprocess.run(  # noqa: S603
            [*manage, "seed_demo"], env=env, cwd=ROOT, capture_output=True, text=True
        )
        if result.returncode != 0:
            print("note: seed_demo did not run:", (result.stderr or "").strip()[-300:])


def submission_rows(database_url: str, tokens: list[str] | None = None, where: str = "TRUE"):
    """(total rows, {token: rows}) straight from PostgreSQL."""
    import psycopg2

    parts = urlsplit(database_url)
    conn = psycopg2.connect(
        host=parts.hostname,
        port=parts.port or 5432,
        user=parts.username or "postgres",
        password=parts.password or None,
        dbname=parts.path.lstrip("/"),
        connect_timeout=5,
    )
    try:
        with conn.cursor() as cur:
            cur.execute("SELECT count(*) FROM assessment_submission")
            total = cur.fetchone()[0]
            found = {}
            if tokens:
                cur.execute(
                    "SELECT token, count(*) FROM assessment_submission "  # noqa: S608
                    f"WHERE token = ANY(%s) AND ({where}) GROUP BY token",
                    [list(tokens)],
                )
                found = dict(cur.fetchall())
        return total, found
    finally:
        conn.close()


class Server:
    """gunicorn from this Python environment on a free loopback port."""

    def __init__(self, env: dict[str, str], workers: int = 2, threads: int = 4):
        self.port = free_port()
        self.env = env
        self.log = tempfile.TemporaryFile("w+")  # noqa: SIM115
        self.proc = subprocess.Popen(  # noqa: S603
            [
                sys.executable,
                "-m",
                "gunicorn",
                "iop_finder.wsgi",
                "-b",
                f"127.0.0.1:{self.port}",
                "-w",
                str(workers),
                "--threads",
                str(threads),
                "--timeout",
                "60",
                "--graceful-timeout",
                "5",
                "--no-control-socket",  # several runs at once must not share one socket
            ],
            cwd=ROOT,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )

    def wait_ready(self, timeout: float = 30.0):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"gunicorn exited: {self.tail()}")
            try:
                status, *_ = Person("127.0.0.1", self.port, timeout=5).request("GET", "/healthz")
                if status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.2)
        raise RuntimeError(f"gunicorn not ready in {timeout}s: {self.tail()}")

    def tail(self, chars: int = 3000) -> str:
        self.log.flush()
        self.log.seek(0)
        return self.log.read()[-chars:]

    def stop(self):
        if self.log.closed:
            return
        keep = os.environ.get("LOADTEST_SERVER_LOG")  # a file to keep gunicorn's whole log in
        if keep:
            with open(keep, "a") as out:
                out.write(self.tail(10**9))
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)
        self.log.close()


# --------------------------------------------------------------------------- report


def summary(stats: Stats, seconds: float) -> dict:
    all_latencies = [x for values in stats.latencies.values() for x in values]
    kinds = {}
    for kind, values in sorted(stats.latencies.items()):
        kinds[kind] = {
            "requests": len(values),
            "p50_ms": round(percentile(values, 50) * 1000, 1),
            "p95_ms": round(percentile(values, 95) * 1000, 1),
            "p99_ms": round(percentile(values, 99) * 1000, 1),
        }
    return {
        "seconds": round(seconds, 1),
        "requests": stats.requests,
        "requests_per_second": round(stats.requests / seconds, 1) if seconds else 0,
        "p50_ms": round(percentile(all_latencies, 50) * 1000, 1),
        "p95_ms": round(percentile(all_latencies, 95) * 1000, 1),
        "p99_ms": round(percentile(all_latencies, 99) * 1000, 1),
        "statuses": dict(sorted(stats.statuses.items())),
        "errors": len(stats.errors),
        "rate_limited": stats.rate_limited,
        "assessments_completed": stats.runs_completed,
        "replayed_final_posts": stats.replays,
        "callbacks": stats.callbacks,
        "searches": stats.searches,
        "by_kind": kinds,
    }


def print_summary(result: dict):
    print(
        f"\n{result['requests']} requests in {result['seconds']} s = "
        f"{result['requests_per_second']} req/s; latency p50 {result['p50_ms']} ms, "
        f"p95 {result['p95_ms']} ms, p99 {result['p99_ms']} ms"
    )
    print(
        f"assessments completed {result['assessments_completed']}, final POSTs replayed "
        f"{result['replayed_final_posts']}, call-backs {result['callbacks']}, searches "
        f"{result['searches']}; statuses {result['statuses']}; errors {result['errors']}; "
        f"429s {result['rate_limited']}"
    )
    print("\n| request | n | p50 ms | p95 ms | p99 ms |\n|---|---:|---:|---:|---:|")
    for kind, row in result["by_kind"].items():
        cells = [kind, row["requests"], row["p50_ms"], row["p95_ms"], row["p99_ms"]]
        print("| " + " | ".join(str(c) for c in cells) + " |")


def verify_submissions(database_url: str, stats: Stats, rows_before: int) -> list[str]:
    """Every token a person was shown is stored exactly once; no extra rows."""
    problems = []
    tokens = list(stats.tokens)
    total, found = submission_rows(database_url, tokens)
    lost = [t for t in tokens if found.get(t, 0) == 0]
    doubled = [t for t in tokens if found.get(t, 0) > 1]
    new_rows = total - rows_before
    if lost:
        problems.append(f"{len(lost)} accepted submissions are missing from the database")
    if doubled:
        problems.append(f"{len(doubled)} tokens are stored more than once")
    if new_rows != len(tokens):
        problems.append(
            f"{new_rows} new rows for {len(tokens)} distinct completed runs "
            "(a replay or retry wrote a second row, or a run was lost)"
        )
    asked = list(stats.callback_tokens)
    if asked:
        _total, stored = submission_rows(
            database_url, asked, where="callback_requested AND contact_consent"
        )
        missing = [t for t in asked if not stored.get(t)]
        if missing:
            problems.append(f"{len(missing)} accepted call-back requests are not stored")
        print(f"call-backs: {len(asked)} accepted, {len(asked) - len(missing)} stored with consent")
    print(
        f"database check: {len(tokens)} result tokens shown, {new_rows} new rows, "
        f"lost {len(lost)}, doubled {len(doubled)}"
    )
    return problems


def run_load(host, port, users: int, duration: float, stats: Stats, seed: int = 1, on_outage=None):
    stop = threading.Event()
    threads = [
        threading.Thread(
            target=person_loop,
            args=(host, port, stats, stop, seed * 1000 + i, on_outage),
            daemon=True,
        )
        for i in range(users)
    ]
    for thread in threads:
        thread.start()
    return stop, threads


def _api_burst(ports: list[int], tries: int) -> tuple[dict[int, int], list[str]]:
    """``tries`` API requests on new connections, each to the next server in turn."""
    answers: dict[int, int] = {}
    problems = []
    for i in range(tries):
        person = Person("127.0.0.1", ports[i % len(ports)])
        status, headers, _body, _took = person.request("GET", "/api/programs/?zip=40202")
        person.close()
        answers[status] = answers.get(status, 0) + 1
        if status == 429:
            if not headers.get("retry-after", "").isdigit():
                problems.append("a 429 without Retry-After")
            if not headers.get("content-type", "").startswith("application/json"):
                problems.append("the API's 429 is not JSON")
        elif status != 200:
            problems.append(f"the API answered {status}")
    return answers, problems


def _wait_for_fresh_window(window: int = 60, margin: float = 8.0):
    """The limits count in fixed one-minute windows: start a burst early in a window, so all of
    it falls in one and the count is exact."""
    into = time.time() % window
    if into > window - margin:
        time.sleep(window - into + 0.5)


def check_rate_limit(env: dict[str, str], workers: int, limit: int = 10, tries: int = 60):
    """Deliberate 429s: the API limit under gunicorn, new connections spread over the workers.

    Counters live in Django's cache: local memory per worker process unless REDIS_URL is set,
    so without Redis a client gets up to ``limit x workers`` requests a minute."""
    env = dict(env, RATE_LIMIT_API=str(limit))
    server = Server(env, workers=workers, threads=2)
    try:
        server.wait_ready()
        _wait_for_fresh_window()
        answers, problems = _api_burst([server.port], tries)
        allowed = answers.get(200, 0)
        shared = "REDIS_URL" in env and env["REDIS_URL"]
        print(
            f"rate limit (API {limit}/min, {workers} workers, cache "
            f"{'Redis' if shared else 'local memory per worker'}): {allowed} of {tries} allowed, "
            f"{answers.get(429, 0)} refused with 429"
        )
        if answers.get(429, 0) == 0:
            problems.append("no request was refused over the API limit")
        if allowed > limit * (1 if shared else workers):
            problems.append(f"{allowed} requests allowed over a limit of {limit}")
    finally:
        server.stop()
    return list(dict.fromkeys(problems))


def check_shared_rate_limit(env: dict[str, str], args, redis_url: str, limit: int = 10):
    """The API limit with two servers sharing one Redis: a burst of ``4 x limit`` requests
    alternating between them is allowed exactly ``limit`` times, not once per server."""
    flush_redis(redis_url)  # the load phase counted API requests from this address too
    env = dict(env, RATE_LIMIT_API=str(limit))
    servers = [Server(env, workers=args.workers, threads=2) for _ in range(2)]
    tries = 4 * limit
    try:
        for server in servers:
            server.wait_ready()
        _wait_for_fresh_window()
        answers, problems = _api_burst([s.port for s in servers], tries)
    finally:
        for server in servers:
            server.stop()
    allowed = answers.get(200, 0)
    print(
        f"shared rate limit (API {limit}/min, 2 servers x {args.workers} workers, one Redis): "
        f"{allowed} of {tries} allowed, {answers.get(429, 0)} refused with 429"
    )
    if allowed != limit:
        problems.append(
            f"{allowed} API requests allowed across two servers for a shared limit of {limit}"
        )
    return list(dict.fromkeys(problems))


# --------------------------------------------------------------------------- Redis


def flush_redis(url: str):
    """Empty the one Redis database named by ``url`` (FLUSHDB: the other databases stay)."""
    import redis

    client = redis.Redis.from_url(url, socket_connect_timeout=3)
    try:
        client.flushdb()
    finally:
        client.close()


@contextlib.contextmanager
def redis_for_run(url: str):
    """The Redis the servers share: ``own`` starts a throw-away ``redis-server`` for the run;
    otherwise a loopback URL whose database is flushed first (use a database of your own)."""
    if url == "own":
        from tests.support.redis_server import throwaway_redis

        with throwaway_redis() as own:
            yield own
        return
    check_loopback(url)
    import redis

    try:
        flush_redis(url)
    except redis.exceptions.ConnectionError:
        sys.exit(f"no Redis answers at {url}: start one, or pass --redis-url own")
    yield url


# --------------------------------------------------------------------------- runs


def load_phase(env: dict[str, str], n_servers: int, args, database_url: str) -> dict:
    """Start ``n_servers`` gunicorn servers, run the people against them (alternating between
    servers per request), check the database; the summary with its ``problems``."""
    servers = [Server(env, workers=args.workers, threads=args.threads) for _ in range(n_servers)]
    log_tail = ""
    try:
        for server in servers:
            server.wait_ready()
        ports = tuple(s.port for s in servers)
        rows_before, _ = submission_rows(database_url)
        stats = Stats()
        print(
            f"\n{n_servers} gunicorn server(s) on 127.0.0.1:{', '.join(map(str, ports))}; "
            f"{args.users} people for {args.duration} s"
        )
        start = time.perf_counter()
        stop, threads = run_load("127.0.0.1", ports if n_servers > 1 else ports[0],
                                 args.users, args.duration, stats)  # fmt: skip
        time.sleep(args.duration)
        stop.set()
        for thread in threads:
            thread.join(60)
        result = summary(stats, time.perf_counter() - start)
        result["servers"] = n_servers
        result["served"] = {str(port): stats.served.get(port, 0) for port in ports}
        result["walks_across_servers"] = stats.walks_across
        print_summary(result)
        problems = verify_submissions(database_url, stats, rows_before)
        problems.extend(_phase_problems(stats, n_servers))
        log_tail = "\n".join(s.tail() for s in servers)
    finally:
        for server in servers:
            server.stop()
    result["problems"] = problems
    result["log_tail"] = log_tail
    return result


def _phase_problems(stats: Stats, n_servers: int) -> list[str]:
    problems = []
    if stats.errors:
        problems.append(f"{len(stats.errors)} errors, first: {stats.errors[:5]}")
    if stats.runs_completed == 0:
        problems.append("no assessment was completed")
    if n_servers > 1:
        counts = [stats.served.get(port, 0) for port in sorted(stats.served)]
        print(
            f"requests per server {counts}; assessments completed with steps on both servers "
            f"{stats.walks_across} of {stats.runs_completed}"
        )
        if len(counts) < n_servers or min(counts) == 0:
            problems.append(f"not every server answered: {counts}")
        if stats.walks_across == 0:
            problems.append("no assessment was completed across servers")
    return problems


def print_side_by_side(results: list[dict]):
    print("\n| servers | req/s | p50 ms | p95 ms | p99 ms | requests | completed | errors |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in results:
        cells = [r["servers"], r["requests_per_second"], r["p50_ms"], r["p95_ms"], r["p99_ms"],
                 r["requests"], r["assessments_completed"], r["errors"]]  # fmt: skip
        print("| " + " | ".join(str(c) for c in cells) + " |")


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=float, default=20.0, help="seconds of load")
    parser.add_argument("--users", type=int, default=20, help="simulated people at once")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers per server")
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument(
        "--servers",
        type=int,
        choices=(1, 2),
        default=1,
        help="2: run the load on one server, then on two sharing PostgreSQL and Redis",
    )
    parser.add_argument(
        "--redis-url",
        default=os.environ.get("LOADTEST_REDIS_URL") or DEFAULT_REDIS_URL,
        help="with --servers 2: a loopback Redis database the run may flush, or 'own' for a "
        "throw-away redis-server (default: %(default)s)",
    )
    parser.add_argument("--json", help="also write the summary to this file")
    parser.add_argument("--no-seed", action="store_true", help="skip seed_demo")
    parser.add_argument(
        "--database-url",
        default=os.environ.get("LOADTEST_DATABASE_URL") or DEFAULT_DATABASE_URL,
        help="a loopback PostgreSQL database the run may fill (default: %(default)s)",
    )
    return parser.parse_args(argv)


def run_servers(args, env: dict[str, str], database_url: str) -> tuple[dict, list[str], str]:
    """--servers 1: the load on one server, then the per-worker rate limit check.
    --servers 2: one server, then two, sharing one Redis; then the shared rate limit check."""
    if args.servers == 1:
        result = load_phase(env, 1, args, database_url)
        problems = result["problems"] + check_rate_limit(env, args.workers)
        return result, problems, result.pop("log_tail")
    with redis_for_run(args.redis_url) as redis_url:
        env = dict(env, REDIS_URL=redis_url)
        phases = [load_phase(env, n, args, database_url) for n in (1, 2)]
        problems = [f"{p['servers']} server(s): {x}" for p in phases for x in p["problems"]]
        problems += check_shared_rate_limit(env, args, redis_url)
    print_side_by_side(phases)
    tails = "\n".join(p.pop("log_tail") for p in phases)
    return {"phases": phases}, problems, tails


def main(argv=None) -> int:
    args = parse_args(argv)
    database_url = args.database_url
    check_loopback(database_url)
    env = server_env(database_url)
    print(f"preparing {urlsplit(database_url).path.lstrip('/')} (migrate, seed_demo)...")
    prepare_database(database_url, env, seed=not args.no_seed)
    result, problems, log_tail = run_servers(args, env, database_url)
    result["problems"] = problems
    if args.json:
        Path(args.json).write_text(json.dumps(result, indent=2))
    if problems:
        print("\nFAILED:\n  " + "\n  ".join(problems))
        print("--- gunicorn log (tail) ---\n" + log_tail[-6000:])
        return 1
    print("\nOK: no errors, every accepted submission stored exactly once.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
