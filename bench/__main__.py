"""All benchmarks in one run: ``python -m bench``.

* pages: every page a person or the admissions team uses, timed in-process through Django's
  test Client (the same WSGI handler, middleware and settings for every page), each as a ratio
  to the baseline (``/bench/baseline``: a bare view rendering a template, no database work),
  with the SQL queries of one request. Pages and baseline are timed **interleaved** (rounds of
  three calls of each in turn), and a page timed later (the queue at 100,000, the search at
  25,000 programs) is timed beside the baseline again: a ratio compares like with like even
  when the load of a shared machine changes during the run. The CPU time of each call is shown
  beside it (information only; PASS/FAIL is from the wall clock): on a machine with more work
  than CPUs a long page waits for a CPU more often than the short baseline does;
* the admin queue at 1,000 submissions and, with ``--queue-submissions 100000``, again at that
  size (generated rows, ``bulk_create``): its query count must not grow with the table;
* ``bench.bench_recommend.run(n)``: recommendations per second of the rules engine;
* ``bench.bench_search.run(n_programs, repeats)``: the directory search at scale (5,000 programs
  by default here for speed; ``--search-programs 25000`` for the issue's figure);
* the targets of issue 15, each with PASS or FAIL: every public GET >= 0.15x the baseline, the
  search page and API at 25,000 programs >= 0.08x, the final POST >= 0.04x with at most 10
  queries, the admin queue at 100,000 submissions >= 0.03x with the query count it has at 1,000.
  A target measured below its size (a smaller ``--search-programs`` or ``--queue-submissions``)
  is shown with its ratio and "not at size", never as a PASS.

``--full`` is ``--search-programs 25000 --queue-submissions 100000``. The CI smoke run is
``python -m bench --seconds 0.3 --search-programs 2000`` (under a minute).

Database: ``DATABASE_URL`` if set (PostgreSQL: point it at an empty benchmark database, never
production), else a new temporary SQLite file. Prints a Markdown table and writes it to
``bench/results/latest.md`` (git-ignored). Exit status 1 on a broken page, not on a missed
target (the figures vary with the machine's load; the report says PASS or FAIL).
"""

from __future__ import annotations

import argparse
import copy
import json
import os
import secrets
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple

RESULTS = Path(__file__).resolve().parent / "results"


def setup_django():
    from bench import env

    env.setup_django("bench.settings")
    from django.test.utils import setup_test_environment

    setup_test_environment()  # 'testserver' host, in-memory email


QUEUE_SMALL = 1_000
QUEUE_TARGET_SIZE = 100_000
SEARCH_TARGET_SIZE = 25_000


def add_submissions(total: int, chunk: int = 5_000) -> int:
    """Grow the submissions table to ``total`` rows with ``bulk_create``, in chunks.

    Each row is a copy of the newest shared submission (one a person made through the wizard
    and shared, :func:`share`) with a new token and run key, spread over the last weeks, every
    17th urgent, and shared with the admissions team (``shared_at`` set: the queue lists only
    shared runs, with their case): whatever fields the model has, the copy has them with real
    values, so this survives changes to the model.
    A row another app keeps one-to-one beside each submission (the admissions case) is copied
    from the source's the same way, then brought up to date from its own submission where that
    app says how (:func:`_refresh_copy`), since ``bulk_create`` sends no signal. Many-to-one
    rows (notes, pipeline history) are not made."""
    import datetime as dt

    from django.utils import timezone

    from assessment.models import Submission

    sharing = any(field.name == "shared_at" for field in Submission._meta.fields)
    candidates = Submission.objects.filter(shared_at__isnull=False) if sharing else None
    if candidates is None:
        candidates = Submission.objects.all()
    source = candidates.order_by("-pk").first()
    existing = queue_size()
    now = timezone.now()
    for start in range(existing, total, chunk):
        rows = []
        for i in range(start, min(total, start + chunk)):
            row = copy.copy(source)
            row.pk = None
            row.token = secrets.token_urlsafe(24)
            row.submit_key = secrets.token_urlsafe(24)
            row.created_at = now - dt.timedelta(minutes=i)
            row.urgent = i % 17 == 0
            if sharing:
                row.shared_at = row.created_at
            rows.append(row)
        Submission.objects.bulk_create(rows, batch_size=1_000)
        copy_one_to_one_rows(source, rows)
    analyze()
    return queue_size()


def analyze() -> None:
    """Fresh planner statistics and visibility map on PostgreSQL, as autovacuum makes soon after
    a bulk load (without them the queue is planned for the table as it was before the load, and
    an index-only scan still reads the rows)."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            # VACUUM cannot run in a transaction (the tests call this inside one).
            cursor.execute("ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)")


def share(submission) -> None:
    """Share ``submission`` with the admissions team as the share action does: ``shared_at`` set
    and ``submission_shared`` sent in one transaction (the admissions app opens its case)."""
    from django.db import transaction
    from django.utils import timezone

    if not hasattr(submission, "shared_at") or submission.shared_at is not None:
        return
    try:
        from assessment.signals import submission_shared
    except ImportError:
        submission_shared = None
    with transaction.atomic():
        submission.shared_at = timezone.now()
        submission.save(update_fields=["shared_at"])
        if submission_shared is not None:
            submission_shared.send(sender=type(submission), submission=submission)


def _refresh_copy(item, row) -> None:
    """Bring a copied one-to-one row up to date with its own submission: the admissions case
    through the admissions app's own ``refresh`` (arrival time, priority, contact copies)."""
    try:
        from admissions.pipeline import refresh
    except ImportError:
        refresh = None
    if refresh is not None and type(item).__name__ == "Case":
        refresh(item, row)
    elif hasattr(item, "arrived_at"):
        item.arrived_at = row.created_at


def queue_size() -> int:
    """The submissions the admin queue lists: the shared ones (all, before sharing existed)."""
    from assessment.models import Submission

    if any(field.name == "shared_at" for field in Submission._meta.fields):
        return Submission.objects.filter(shared_at__isnull=False).count()
    return Submission.objects.count()


def copy_one_to_one_rows(source, rows: list) -> None:
    """For every model with a one-to-one link to ``source``'s model: a copy of ``source``'s row
    for each of ``rows`` (which must have their primary keys)."""
    for relation in type(source)._meta.related_objects:
        if not relation.one_to_one:
            continue
        try:
            template = getattr(source, relation.get_accessor_name())
        except relation.related_model.DoesNotExist:
            continue
        copies = []
        for row in rows:
            item = copy.copy(template)
            item.pk = None
            setattr(item, relation.field.attname, row.pk)
            _refresh_copy(item, row)
            copies.append(item)
        relation.related_model.objects.bulk_create(copies, batch_size=1_000)


def summary(response, durations: list[float], queries: int, cpu: list[float] = ()) -> dict:
    """Figures for one page; from the median, since other work on the machine inflates a mean.
    ``cpu``: the CPU seconds of this process for each call (with SQLite they include the
    database's work; with PostgreSQL the server's work is not in them)."""
    median = statistics.median(durations)
    figures = {
        "status": response.status_code,
        "runs": len(durations),
        "per_second": round(1 / median, 1),
        "median_ms": round(median * 1000, 2),
        "p95_ms": round(sorted(durations)[int(len(durations) * 0.95) - 1] * 1000, 2),
        "queries": queries,
    }
    if cpu:
        figures["cpu_median_ms"] = round(statistics.median(cpu) * 1000, 3)
    return figures


class Request(NamedTuple):
    """One thing to time: ``call(prepare())`` (only the call is timed), or ``call()``."""

    call: Callable
    prepare: Callable | None = None

    def argument(self):
        return self.prepare() if self.prepare else None

    def invoke(self, argument):
        return self.call(argument) if self.prepare else self.call()

    def run(self):
        """(seconds the call took, CPU seconds of this process during it, its response)."""
        argument = self.argument()
        start, start_cpu = time.perf_counter(), time.process_time()
        response = self.invoke(argument)
        return time.perf_counter() - start, time.process_time() - start_cpu, response


def timed_together(
    requests: dict[str, Request], seconds: float, min_runs: int = 20, max_runs: int = 5000
) -> dict[str, dict]:
    """Time every request for about ``seconds`` each, **interleaved**: rounds of a few calls of
    each in turn, so that every page (and the baseline among them) is measured under the same
    load of the machine; on a shared machine the load changes within seconds, and a baseline
    timed a minute before a page would make its ratio a measure of the load. Also the SQL
    queries of one call of each."""
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    queries = {}
    for name, request in requests.items():
        for _ in range(3):
            request.run()  # warm up: caches, templates, lazy imports
        argument = request.argument()  # not counted: making a session to post from
        reset_queries()  # each request empties the log at its start (request_started)
        with CaptureQueriesContext(connection) as captured:
            request.invoke(argument)
        queries[name] = len(captured.captured_queries)  # read now: the next request empties it
    durations: dict[str, list[float]] = {name: [] for name in requests}
    cpu: dict[str, list[float]] = {name: [] for name in requests}
    last = {}
    deadline = time.perf_counter() + seconds * len(requests)
    while True:
        for name, request in requests.items():
            for _ in range(3):
                took, took_cpu, last[name] = request.run()
                durations[name].append(took)
                cpu[name].append(took_cpu)
        fewest = min(len(found) for found in durations.values())
        if fewest >= max_runs or (fewest >= min_runs and time.perf_counter() >= deadline):
            break
    return {
        name: summary(last[name], durations[name], queries[name], cpu[name]) for name in requests
    }


def prepare_site():
    """Migrate, load the demo directory, take one assessment, add 1,000 submissions."""
    from django.core.management import call_command
    from django.test import Client

    from tests.support.forms import client_data, fill_form, main_form, walk_with_client

    call_command("migrate", verbosity=0, interactive=False)
    call_command("seed_demo", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115
    from assessment.models import Submission
    from programs.demo import forget_demo_flag
    from programs.models import Program

    forget_demo_flag()
    client = Client()
    result = walk_with_client(client)
    share(Submission.objects.order_by("-pk").first())  # the queue lists shared runs only
    # A session at the review step, to replay the final POST with a new wizard key each time.
    ready = Client()
    response = ready.get("/assessment/", follow=True)
    for _ in range(30):
        path = response.request["PATH_INFO"]
        form = main_form(response.content.decode())
        if path.rstrip("/").endswith("review"):
            break
        response = ready.post(form.action or path, client_data(fill_form(form)), follow=True)
    review_path = response.request["PATH_INFO"]
    review_data = client_data(fill_form(main_form(response.content.decode())))
    session_data = dict(ready.session.items())

    add_submissions(QUEUE_SMALL)
    program = Program.objects.filter(is_active=True).order_by("pk").first()
    return {
        "submissions": queue_size(),
        "result": result,
        "program": program.get_absolute_url(),
        "review_path": review_path,
        "review_data": review_data,
        "session_data": session_data,
    }


def page_figures(seconds: float, queue_submissions: int = QUEUE_SMALL) -> dict:
    """Each page's figures, with its ``kind``: baseline, public (a GET a person makes), post
    (the final POST) or admin (the queue, at 1,000 submissions and at ``queue_submissions``)."""
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.test import Client

    site = prepare_site()
    client = Client()
    search = "zip=40202&level=IOP&insurance=medicaid"

    def get(path, who=client):
        return Request(lambda: who.get(path))

    def cold(path):
        """The page as the first request after its programs changed: no kept snapshots."""
        return Request(lambda _none: client.get(path), prepare=forget_program_snapshots)

    poster = Client()  # one client: its WSGI handler (and middleware) is built once
    final_post = Request(
        lambda fresh: fresh.post(site["review_path"], site["review_data"]),
        prepare=lambda: new_review_session(poster, site["session_data"]),
    )  # only the POST is timed, not making its session

    staff = get_user_model().objects.create_superuser("bench", "bench@example.org", "x" * 20)
    admin_client = Client()
    admin_client.force_login(staff)
    queue = "/" + settings.ADMIN_URL + "assessment/submission/"

    step_client = Client()
    first_step = step_client.get("/assessment/", follow=True).request["PATH_INFO"]
    pages = [
        ("baseline (bare view + template, no DB)", "baseline", get("/bench/baseline")),
        ("home /", "public", get("/")),
        ("crisis /crisis/", "public", get("/crisis/")),
        (f"assessment step 1 GET {first_step}", "public", get(first_step, step_client)),
        ("result page /assessment/r/<token>/", "public", get(site["result"])),
        (f"program search /programs/?{search}", "public", get(f"/programs/?{search}")),
        ("program detail /programs/<slug>/", "public", get(site["program"])),
        (f"API search /api/programs/?{search}", "public", get(f"/api/programs/?{search}")),
        # Information, no target: the same pages with no program snapshot kept (cold).
        (f"{COLD} program search", "cold", cold(f"/programs/?{search}")),
        (f"{COLD} program detail", "cold", cold(site["program"])),
        (f"{COLD} API search", "cold", cold(f"/api/programs/?{search}")),
        # The queue before the final POST adds rows: measured at the 1,000 submissions made.
        (f"admin queue ({site['submissions']:,} submissions)", "admin", get(queue, admin_client)),
        ("assessment final-step POST (stores the submission)", "post", final_post),
    ]
    figures = timed_together({name: request for name, _kind, request in pages}, seconds)
    for name, kind, _request in pages:
        figures[name]["kind"] = kind
        if kind == "admin":
            figures[name]["size"] = site["submissions"]
            figures[name]["listed"] = listed(staff, queue)
    if queue_submissions > site["submissions"]:
        size = add_submissions(queue_submissions)
        name = f"admin queue ({size:,} submissions)"
        big = timed_together({"baseline": pages[0][2], name: get(queue, admin_client)}, seconds)
        figures[name] = {**big[name], "kind": "admin", "size": size,
                         "listed": listed(staff, queue),
                         "baseline_ms": big["baseline"]["median_ms"],
                         "baseline_cpu_ms": big["baseline"].get("cpu_median_ms")}  # fmt: skip
    return figures


#: The name prefix of a page timed with no program snapshot kept (information, no target).
COLD = "cold (no kept snapshots):"


def forget_program_snapshots() -> None:
    """Before each cold call (not timed): as if every program had just changed."""
    from programs import snapshot

    snapshot.clear()


def listed(user, queue: str) -> int | None:
    """How many rows the admin queue lists: a count of its ModelAdmin's queryset for ``user``
    (the page's own count may be capped), or None when the URL is not a ModelAdmin's."""
    from django.test import RequestFactory
    from django.urls import resolve

    match = resolve(queue)
    model_admin = getattr(match.func, "model_admin", None)
    if model_admin is None:
        return None
    request = RequestFactory().get(queue)
    request.user = user
    request.resolver_match = match
    return model_admin.get_queryset(request).count()


def new_review_session(client, session_data: dict):
    """Give ``client`` a new session holding ``session_data`` (a wizard at its review step) with
    a new wizard key, so its final POST stores a new row. The client is reused, not rebuilt: a
    new ``Client`` builds its WSGI handler and every middleware on its first request (WhiteNoise
    then scans the static folders, about 30 ms), which no real request pays."""
    from django.conf import settings

    client.cookies.pop(settings.SESSION_COOKIE_NAME, None)
    data = copy.deepcopy(session_data)
    wizard = data.get("assessment")
    if isinstance(wizard, dict) and "key" in wizard:
        wizard["key"] = secrets.token_urlsafe(24)  # a new run: a new row each time
    session = client.session
    session.update(data)
    session.save()
    return client


# --------------------------------------------------------------------------- targets

PUBLIC_GET_TARGET = 0.15
SEARCH_AT_SIZE_TARGET = 0.08
FINAL_POST_TARGET = 0.04
FINAL_POST_MAX_QUERIES = 10
QUEUE_AT_SIZE_TARGET = 0.03


def ratio(row: dict, base: dict) -> float:
    """Requests a second as a share of the baseline's, both from the median time; the baseline
    timed in the same rounds as the row (``baseline_ms``) when the row was timed apart."""
    base_ms = row.get("baseline_ms") or base["median_ms"]
    return base_ms / row["median_ms"] if row.get("median_ms") else 0.0


def cpu_ratio(row: dict, base: dict) -> str:
    """The same ratio from CPU time (information only: a busy machine stretches a long page's
    wall time more than the baseline's, its CPU time hardly)."""
    base_cpu = row.get("baseline_cpu_ms") or base.get("cpu_median_ms")
    if not row.get("cpu_median_ms") or not base_cpu:
        return ""
    return show_ratio(base_cpu / row["cpu_median_ms"])


def show_ratio(r: float) -> str:
    return f"{r:.3f}" if r >= 0.01 else f"{r:.4f}"


def show_rate(per_second: float) -> str:
    return f"{per_second:,.0f}" if per_second >= 10 else f"{per_second:.2f}"


def verdict(passed: bool) -> str:
    return "PASS" if passed else "FAIL"


def target_rows(pages: dict, search: dict | None) -> list[tuple[str, str, str, str]]:
    """(target, what was measured, measured, PASS / FAIL / not at size) for issue 15."""
    base = next(row for row in pages.values() if row["kind"] == "baseline")
    rows = []
    for name, row in pages.items():
        r = ratio(row, base)
        if row["kind"] == "public":
            rows.append((f">= {PUBLIC_GET_TARGET}x", name, f"{show_ratio(r)}x",
                         verdict(r >= PUBLIC_GET_TARGET)))  # fmt: skip
        elif row["kind"] == "post":
            rows.append((f">= {FINAL_POST_TARGET}x", name, f"{show_ratio(r)}x",
                         verdict(r >= FINAL_POST_TARGET)))  # fmt: skip
            rows.append((f"<= {FINAL_POST_MAX_QUERIES} queries", name, str(row["queries"]),
                         verdict(row["queries"] <= FINAL_POST_MAX_QUERIES)))  # fmt: skip
    rows += _search_targets(search, base)
    rows += _queue_targets(pages, base)
    return rows


def _query(search: dict) -> str:
    return "&".join(f"{key}={value}" for key, value in (search.get("search") or {}).items())


def _search_targets(search: dict | None, base: dict) -> list[tuple[str, str, str, str]]:
    if not search or not isinstance(search.get("pages"), dict):
        return [(f">= {SEARCH_AT_SIZE_TARGET}x", "search at 25,000 programs", "-", "not run")]
    size = search.get("programs", 0)
    rows = []
    for name in ("search page /programs/", "search API /api/programs/"):
        row = search["pages"].get(name) or {}
        if "median_ms" not in row:
            rows.append((f">= {SEARCH_AT_SIZE_TARGET}x", name, "-", "FAIL (error)"))
            continue
        r = ratio(row, base)
        at_size = size >= SEARCH_TARGET_SIZE
        rows.append((
            f">= {SEARCH_AT_SIZE_TARGET}x at {SEARCH_TARGET_SIZE:,} programs",
            f"{name}?{_query(search)} ({size:,} programs)",
            f"{show_ratio(r)}x",
            verdict(r >= SEARCH_AT_SIZE_TARGET) if at_size else "not at size",
        ))  # fmt: skip
    return rows


def _queue_targets(pages: dict, base: dict) -> list[tuple[str, str, str, str]]:
    queues = sorted((row for row in pages.values() if row["kind"] == "admin"),
                    key=lambda row: row["size"])  # fmt: skip
    small, big = queues[0], queues[-1]
    # At size only if the queue lists them all (a queue that hid the generated rows would be
    # fast for the wrong reason).
    at_size = (
        big["size"] >= QUEUE_TARGET_SIZE and big.get("listed", big["size"]) >= QUEUE_TARGET_SIZE
    )
    r = ratio(big, base)
    shown = f", {big['listed']:,} listed" if big.get("listed") is not None else ""
    return [
        (f">= {QUEUE_AT_SIZE_TARGET}x at {QUEUE_TARGET_SIZE:,} submissions",
         f"admin queue ({big['size']:,} submissions{shown})", f"{show_ratio(r)}x",
         verdict(r >= QUEUE_AT_SIZE_TARGET) if at_size else "not at size"),
        (f"queries at {QUEUE_TARGET_SIZE:,} = at 1,000",
         f"admin queue ({small['size']:,} -> {big['size']:,} submissions)",
         f"{small['queries']} -> {big['queries']}",
         verdict(small["queries"] == big["queries"]) if at_size else "not at size"),
    ]  # fmt: skip


def targets_markdown(rows: list[tuple[str, str, str, str]]) -> str:
    lines = [
        "",
        "Targets (issue 15; ratio = requests/s from the median time ÷ the baseline's):",
        "",
        "| target | measured on | measured | result |",
        "|---|---|---:|---|",
    ]
    lines += [f"| {a} | {b} | {c} | **{d}** |" for a, b, c, d in rows]
    return "\n".join(lines) + "\n"


def markdown(pages: dict, recommend: dict | None, search: dict | None, database: str) -> str:
    base = next(iter(pages.values()))
    lines = [
        f"Database: {database}. In-process (Django test Client, same settings and middleware "
        "for every row); one client, no network. Directory pages are timed as a visitor meets "
        f"them after the first: with the program snapshots each process keeps; the rows "
        f"'{COLD} ...' are the first visit after a change (3 queries for a search, 2 for a "
        "program page), shown for information.",
        "",
        "| page | status | req/s (1/median) | median ms | p95 ms | baseline ms | × baseline "
        "| CPU ms | × baseline (CPU) | SQL queries |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for name, row in pages.items():
        lines.append(
            f"| {name} | {row['status']} | {show_rate(1000 / row['median_ms'])} | "
            f"{row['median_ms']} | {row['p95_ms']} | {row.get('baseline_ms', base['median_ms'])} "
            f"| {show_ratio(ratio(row, base))} | {row.get('cpu_median_ms', '')} | "
            f"{cpu_ratio(row, base)} | {row['queries']} |"
        )
    if recommend:
        lines += [
            "",
            f"Rules engine: **{recommend['per_second']:,.0f} recommendations/s** "
            f"({recommend['microseconds_each']} µs each, n={recommend['n']}).",
        ]
    if search:
        lines += _search_markdown(search, base)
    return "\n".join(lines) + "\n"


def _search_markdown(search: dict, base: dict) -> list[str]:
    lines = [
        "",
        f"Directory search at scale ({search.get('programs', '?'):,} generated programs, "
        f"{search.get('sessions', '?'):,} sessions, {search.get('database')}; "
        f"{_query(search)} -> {search['pages'].get('matches')} matches):",
        "",
        "| request | median ms | req/s (1/median) | baseline ms | × baseline | CPU ms "
        "| × baseline (CPU) | SQL queries |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for name, row in search.get("pages", {}).items():
        if isinstance(row, dict) and "median_ms" in row:
            lines.append(
                f"| {name} | {row['median_ms']} | {show_rate(1000 / row['median_ms'])} | "
                f"{row.get('baseline_ms', base['median_ms'])} | {show_ratio(ratio(row, base))} "
                f"| {row.get('cpu_median_ms', '')} | {cpu_ratio(row, base)} "
                f"| {row.get('queries', '')} |"
            )
        elif isinstance(row, dict):
            lines.append(f"| {name} | {row} | | | |")
    return lines


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=1.0, help="time per page")
    parser.add_argument("--recommend-n", type=int, default=5000)
    parser.add_argument("--search-programs", type=int, default=5000)
    parser.add_argument("--search-repeats", type=int, default=10)
    parser.add_argument("--skip-search", action="store_true")
    parser.add_argument(
        "--queue-submissions",
        type=int,
        default=QUEUE_SMALL,
        help="also time the admin queue at this many generated submissions (target: 100000)",
    )
    parser.add_argument(
        "--full",
        action="store_true",
        help=f"the issue's sizes: --search-programs {SEARCH_TARGET_SIZE} "
        f"--queue-submissions {QUEUE_TARGET_SIZE}",
    )
    args = parser.parse_args(argv)
    if args.full:
        args.search_programs = max(args.search_programs, SEARCH_TARGET_SIZE)
        args.queue_submissions = max(args.queue_submissions, QUEUE_TARGET_SIZE)
    return args


def run_search(args, problems: list[str]) -> dict | None:
    if args.skip_search:
        return None
    try:
        from bench import bench_search

        search = bench_search.run(n_programs=args.search_programs, repeats=args.search_repeats)
        search.setdefault("programs", args.search_programs)
        retime_search_pages(search, args.seconds)
        return search
    except Exception as error:  # noqa: BLE001 - report, do not hide
        problems.append(f"bench_search failed: {type(error).__name__}: {error}")
        return None


#: The pages of the search benchmark held to a target, timed again beside the baseline.
SEARCH_TARGET_PAGES = {
    "search page /programs/": "/programs/",
    "search API /api/programs/": "/api/programs/",
}


def retime_search_pages(search: dict, seconds: float) -> None:
    """Time the search page and API at scale again, interleaved with the baseline (the search
    benchmark times them on their own): their ratios compare like with like."""
    from django.test import Client

    client = Client()
    requests = {"baseline": Request(lambda: client.get("/bench/baseline"))}
    for name, path in SEARCH_TARGET_PAGES.items():
        url = f"{path}?{_query(search)}"
        requests[name] = Request(lambda url=url: client.get(url))
        requests[f"{COLD} {name}"] = Request(
            lambda _none, url=url: client.get(url), prepare=forget_program_snapshots
        )
    together = timed_together(requests, seconds)
    for name in [name for name in requests if name != "baseline"]:
        search["pages"][name] = {
            **search["pages"].get(name, {}),
            **together[name],
            "baseline_ms": together["baseline"]["median_ms"],
            "baseline_cpu_ms": together["baseline"].get("cpu_median_ms"),
        }


def main(argv=None) -> int:
    args = parse_args(argv)
    setup_django()
    from django.db import connection

    database = connection.vendor
    pages = page_figures(args.seconds, args.queue_submissions)
    problems = [f"{n}: status {r['status']}" for n, r in pages.items() if r["status"] >= 400]
    recommend = None
    try:
        from bench import bench_recommend

        recommend = bench_recommend.run(args.recommend_n)
    except Exception as error:  # noqa: BLE001 - report, do not hide
        problems.append(f"bench_recommend failed: {type(error).__name__}: {error}")
    search = run_search(args, problems)
    targets = target_rows(pages, search)
    table = markdown(pages, recommend, search, database) + targets_markdown(targets)
    print(table)
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "latest.md").write_text(table)
    (RESULTS / "latest.json").write_text(
        json.dumps(
            {"pages": pages, "recommend": recommend, "search": search, "targets": targets},
            indent=2,
        )
    )
    print(f"written to {RESULTS / 'latest.md'}")
    if problems:
        print("PROBLEMS:\n  " + "\n  ".join(problems))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
