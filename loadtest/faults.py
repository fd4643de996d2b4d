"""Fault test: PostgreSQL goes away under load, then comes back; the site must stay kind and heal.

    python -m loadtest.faults                     # own throw-away cluster on port 5499 (default)
    python -m loadtest.faults --pg-mode system    # stops the machine's cluster (root; CI-unsafe)

Steps: start PostgreSQL (``own``: a temporary cluster in /tmp on 127.0.0.1:5499), create +
migrate + seed the database, start gunicorn, run simulated people; after a warm-up stop
PostgreSQL (``-m fast``) for ``--outage`` seconds while probing every kind of page, including a
person who is half-way through the assessment (their session lives in the database). During the
outage every answer must be a kind page (200, or 503 with the 503 template; never a 500, never a
stack trace) and ``/healthz`` must say 503. PostgreSQL is then started again (always, in a
``finally``), and the same gunicorn must recover by itself: ``/healthz`` 200 within
``--recover-within`` seconds and new assessments accepted. Finally every submission whose result
page a person was shown must be in the database exactly once. Exit status 1 on any failure.
"""

from __future__ import annotations

import argparse
import glob
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from loadtest import run

OWN_PORT = 5499
KIND_503_TEXT = "short technical problem"


def _as_postgres(cmd: list[str]) -> list[str]:
    """Run a PostgreSQL server command as the postgres user when we are root."""
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *cmd]
    return cmd


def _pg_bin(name: str) -> str:
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    if not found:
        sys.exit(f"{name} not found under /usr/lib/postgresql/*/bin (apt-get install postgresql)")
    return found[-1]


class OwnCluster:
    """A throw-away PostgreSQL cluster in a temp directory, listening on 127.0.0.1 only."""

    def __init__(self, port: int = OWN_PORT):
        self.port = port
        self.dir = Path(tempfile.mkdtemp(prefix="iop-pgfault-"))
        self.data = self.dir / "data"
        self.logfile = self.dir / "postgres.log"
        if os.geteuid() == 0:
            shutil.chown(self.dir, "postgres", "postgres")
        subprocess.run(  # noqa: S603
            _as_postgres(
                [_pg_bin("initdb"), "-D", str(self.data), "-A", "trust", "-U", "postgres"]
            ),
            check=True,
            stdout=subprocess.DEVNULL,
        )

    @property
    def url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/iop_load"

    def start(self):
        options = f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1"
        subprocess.run(  # noqa: S603
            _as_postgres(
                [
                    _pg_bin("pg_ctl"),
                    "-D",
                    str(self.data),
                    "-o",
                    options,
                    "-l",
                    str(self.logfile),
                    "-w",
                    "start",
                ]
            ),
            check=True,
            stdout=subprocess.DEVNULL,
        )

    def stop(self):
        subprocess.run(  # noqa: S603
            _as_postgres([_pg_bin("pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop"]),
            check=False,
            stdout=subprocess.DEVNULL,
        )

    def is_running(self) -> bool:
        return ready("127.0.0.1", self.port)

    def destroy(self):
        self.stop()
        shutil.rmtree(self.dir, ignore_errors=True)


class SystemCluster:
    """The machine's own cluster (``pg_ctlcluster``): stopping it stops every other user too."""

    def __init__(self, port: int = 5432):
        self.port = port
        versions = sorted(os.listdir("/etc/postgresql"))
        if not versions:
            sys.exit("no cluster under /etc/postgresql")
        self.version = versions[-1]

    @property
    def url(self) -> str:
        return os.environ.get("LOADTEST_DATABASE_URL") or run.DEFAULT_DATABASE_URL

    def _ctl(self, action: str, *extra: str):
        subprocess.run(  # noqa: S603
            [  # noqa: S607
                "pg_ctlcluster",
                "--skip-systemctl-redirect",
                self.version,
                "main",
                action,
                *extra,
            ],
            check=False,
        )

    def start(self):
        self._ctl("start")

    def stop(self):
        self._ctl("stop", "-m", "fast")

    def is_running(self) -> bool:
        return ready("127.0.0.1", self.port)

    def destroy(self):
        if not self.is_running():
            self.start()


def ready(host: str, port: int) -> bool:
    result = subprocess.run(  # noqa: S603
        ["pg_isready", "-h", host, "-p", str(port), "-t", "2"],  # noqa: S607
        capture_output=True,
        check=False,
    )
    return result.returncode == 0


def wait_ready(cluster, timeout: float = 60.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if cluster.is_running():
            return True
        time.sleep(0.3)
    return False


PROBES = [
    ("GET", "/"),
    ("GET", "/crisis/"),
    ("GET", "/assessment/"),
    ("GET", "/programs/?zip=40202&level=IOP"),
    ("GET", "/api/programs/?zip=40202&level=IOP"),
    ("GET", "/static/css/site.css"),
    ("GET", "/does-not-exist/"),
]


def check_answer(label: str, status: int, headers: dict, body: str, problems: list, seen: dict):
    seen[f"{status}"] = seen.get(f"{status}", 0) + 1
    if "Traceback" in body:
        problems.append(f"{label}: stack trace in the page")
    if status >= 500 and status != 503:
        problems.append(f"{label}: answered {status} during the outage (should be a kind 503)")
    if status == 503:
        content_type = headers.get("content-type", "")
        if "json" in content_type:
            if "unavailable" not in body and "error" not in body:
                problems.append(f"{label}: 503 JSON without an error field")
        elif KIND_503_TEXT not in body:
            problems.append(f"{label}: 503 without the kind 503 page")


def _get_following(person: run.Person, path: str):
    for _ in range(5):
        status, headers, body, _took = person.request("GET", path)
        if status not in (301, 302, 303):
            return path, status, body
        path = run.location_path(headers)
    return path, status, body


def half_way_person(port: int) -> tuple[run.Person, str, list] | None:
    """Someone who has answered the first steps (their wizard state is in the session)."""
    person = run.Person("127.0.0.1", port)
    path, status, body = _get_following(person, "/assessment/")
    rng = random.Random(7)
    for _ in range(2):
        form = run.main_form(body) if status == 200 else None
        if form is None:
            return None
        post_path = form.action or path
        status, headers, body, _ = person.request("POST", post_path, run.fill_form(form, rng))
        if status not in (301, 302, 303):
            return None
        path, status, body = _get_following(person, run.location_path(headers))
    form = run.main_form(body) if status == 200 else None
    if form is None:
        return None
    return person, path, run.fill_form(form, rng)


def main(argv=None) -> int:  # noqa: C901 - one linear scenario reads best in one place
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pg-mode", choices=("own", "system"), default="own")
    parser.add_argument("--port", type=int, default=OWN_PORT, help="port of the own cluster")
    parser.add_argument("--users", type=int, default=8)
    parser.add_argument("--warmup", type=float, default=5.0)
    parser.add_argument("--outage", type=float, default=6.0, help="seconds PostgreSQL is down")
    parser.add_argument("--recover-within", type=float, default=20.0)
    args = parser.parse_args(argv)
    if args.outage > 20:
        sys.exit("keep the outage under 20 s")

    if args.pg_mode == "own" and ready("127.0.0.1", args.port):
        sys.exit(f"something already listens on port {args.port}: pass --port")
    cluster = OwnCluster(args.port) if args.pg_mode == "own" else SystemCluster()
    problems: list[str] = []
    server = None
    stop = None
    threads: list = []
    try:
        if args.pg_mode == "own":
            cluster.start()
        if not wait_ready(cluster, 30):
            sys.exit("PostgreSQL is not accepting connections")
        database_url = cluster.url
        run.check_loopback(database_url)
        env = run.server_env(database_url)
        print(f"PostgreSQL ({args.pg_mode}) on port {cluster.port}; preparing iop_load...")
        run.prepare_database(database_url, env)
        server = run.Server(env)
        server.wait_ready()
        rows_before, _ = run.submission_rows(database_url)
        stats = run.Stats()
        stats.outage_expected = True
        outages: list[str] = []
        print(f"gunicorn on 127.0.0.1:{server.port}; {args.users} people; warm-up {args.warmup} s")
        stop, threads = run.run_load(
            "127.0.0.1", server.port, args.users, 0, stats, seed=3, on_outage=outages.append
        )
        time.sleep(args.warmup)
        half_way = half_way_person(server.port)
        if half_way is None:
            problems.append("could not set up a person half-way through the assessment")
        completed_before = stats.runs_completed

        print(f"stopping PostgreSQL for {args.outage} s")
        down_at = time.monotonic()
        cluster.stop()
        probe = run.Person("127.0.0.1", server.port)
        seen: dict[str, int] = {}
        health_503 = 0
        probes = 0
        while time.monotonic() - down_at < args.outage:
            for method, path in PROBES:
                status, headers, body, _ = probe.request(method, path)
                check_answer(f"{method} {path}", status, headers, body, problems, seen)
                probes += 1
            status, headers, body, _ = probe.request("GET", "/healthz")
            probes += 1
            if status == 503:
                health_503 += 1
            else:
                problems.append(f"/healthz answered {status} while the database was down")
            if half_way is not None:
                person, next_path, data = half_way
                status, headers, body, _ = person.request("GET", next_path)
                check_answer(f"half-way GET {next_path}", status, headers, body, problems, seen)
                if data:
                    status, headers, body, _ = person.request("POST", next_path, data)
                    check_answer(
                        f"half-way POST {next_path}", status, headers, body, problems, seen
                    )
                probes += 2
            time.sleep(0.2)
        if health_503 == 0:
            problems.append("/healthz never said 503 during the outage")

        print("starting PostgreSQL again")
        cluster.start()
        if not wait_ready(cluster, 60):
            problems.append("PostgreSQL did not come back within 60 s")
        up_at = time.monotonic()
        recovered_in = None
        while time.monotonic() - up_at < args.recover_within:
            status, *_ = probe.request("GET", "/healthz")
            if status == 200:
                recovered_in = time.monotonic() - up_at
                break
            time.sleep(0.25)
        if recovered_in is None:
            problems.append(f"/healthz not 200 within {args.recover_within} s of PostgreSQL")
        stats.outage_expected = False
        time.sleep(3)  # load goes on against the healed site
        fresh = []
        rng = random.Random(99)
        for _ in range(3):
            person = run.Person("127.0.0.1", server.port)
            try:
                fresh.append(run.take_assessment(person, stats, rng))
            except run.Outage as exc:
                problems.append(f"503 after recovery: {exc}")
            finally:
                person.close()
        if not all(fresh):
            problems.append(f"new assessments after recovery were not all accepted: {fresh}")
        if half_way is not None:
            person, next_path, data = half_way
            status, headers, body, _ = person.request("GET", next_path)
            if status != 200:
                problems.append(f"the half-way person could not go on after recovery ({status})")
        stop.set()
        for thread in threads:
            thread.join(60)
        problems.extend(stats.errors)
        lost = run.verify_submissions(database_url, stats, rows_before)
        # A run whose final POST committed just as the database went away may be stored without
        # the person seeing the result: an extra row is not a loss, a missing one is.
        problems.extend(p for p in lost if "new rows for" not in p)
        extra = [p for p in lost if "new rows for" in p]
        print(
            f"\noutage {args.outage} s: {probes} probe requests, answers {seen}; /healthz 503 "
            f"{health_503} times; {len(outages)} simulated people met the 503 page "
            f"({stats.outage_pages} 503 pages recorded)"
        )
        print(
            f"recovered: /healthz 200 {recovered_in:.2f} s after PostgreSQL accepted connections"
            if recovered_in is not None
            else "NOT recovered"
        )
        print(
            f"assessments completed: {completed_before} before the outage, "
            f"{stats.runs_completed} in all; {len([f for f in fresh if f])}/3 fresh ones after"
        )
        if extra:
            print("note:", extra[0])
    except Exception as exc:  # report, but never leave PostgreSQL down
        problems.append(f"fault run crashed: {type(exc).__name__}: {exc}")
        raise
    finally:
        if stop is not None:
            stop.set()
        if not cluster.is_running():
            cluster.start()
            wait_ready(cluster, 60)
        if server is not None:
            if problems:
                print("--- gunicorn log (tail) ---\n" + server.tail(4000))
            server.stop()
        if args.pg_mode == "own":
            cluster.destroy()
    if problems:
        unique = list(dict.fromkeys(problems))
        print(f"\nFAILED ({len(unique)} distinct problems):\n  " + "\n  ".join(unique[:30]))
        return 1
    print("\nOK: kind 503s during the outage, self-recovery, no accepted submission lost.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
