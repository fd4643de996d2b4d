"""All benchmarks in one run: ``python -m bench``.

* pages: every page a person or the admissions team uses, timed in-process through Django's
  test Client (the same WSGI handler, middleware and settings for every page), each as a ratio
  to the baseline (``/bench/baseline``: a bare view rendering a template, no database work),
  with the SQL queries of one request;
* ``bench.bench_recommend.run(n)``: recommendations per second of the rules engine;
* ``bench.bench_search.run(n_programs, repeats)``: the directory search at scale (smaller n by
  default here for speed; ``--search-programs 25000`` for the full figure).

Database: ``DATABASE_URL`` if set (PostgreSQL: point it at an empty benchmark database, never
production), else a new temporary SQLite file. Prints a Markdown table and writes it to
``bench/results/latest.md`` (git-ignored).
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
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results"


def setup_django():
    from bench import env

    env.setup_django("bench.settings")
    from django.test.utils import setup_test_environment

    setup_test_environment()  # 'testserver' host, in-memory email


def summary(response, durations: list[float], queries: int) -> dict:
    """Figures for one page; from the median, since other work on the machine inflates a mean."""
    median = statistics.median(durations)
    return {
        "status": response.status_code,
        "runs": len(durations),
        "per_second": round(1 / median, 1),
        "median_ms": round(median * 1000, 2),
        "p95_ms": round(sorted(durations)[int(len(durations) * 0.95) - 1] * 1000, 2),
        "queries": queries,
    }


def timed(request, seconds: float, min_runs: int = 20, max_runs: int = 5000) -> dict:
    """Call ``request()`` (which returns a response) for about ``seconds``; time each call."""
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    for _ in range(3):
        request()  # warm up: caches, templates, lazy imports
    reset_queries()  # each request empties the log at its start (request_started)
    with CaptureQueriesContext(connection) as captured:
        response = request()
    queries = len(captured.captured_queries)  # read now: the next request empties the log
    durations = []
    deadline = time.perf_counter() + seconds
    while len(durations) < max_runs and (
        len(durations) < min_runs or time.perf_counter() < deadline
    ):
        start = time.perf_counter()
        response = request()
        durations.append(time.perf_counter() - start)
    return summary(response, durations, queries)


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

    source = Submission.objects.get(token=result.rstrip("/").rsplit("/", 1)[1])
    rows = []
    for i in range(1000):
        row = copy.copy(source)
        row.pk = None
        row.token = secrets.token_urlsafe(24)
        row.submit_key = secrets.token_urlsafe(24)
        row.urgent = i % 17 == 0
        rows.append(row)
    Submission.objects.bulk_create(rows, batch_size=500)
    program = Program.objects.filter(is_active=True).order_by("pk").first()
    return {
        "submissions": Submission.objects.count(),
        "result": result,
        "program": program.get_absolute_url(),
        "review_path": review_path,
        "review_data": review_data,
        "session_data": session_data,
    }


def page_figures(seconds: float) -> dict:
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.test import Client

    site = prepare_site()
    client = Client()
    search = "zip=40202&level=IOP&insurance=medicaid"

    def get(path, who=client):
        return lambda: who.get(path)

    def fresh_session():
        fresh = Client()
        data = copy.deepcopy(site["session_data"])
        wizard = data.get("assessment")
        if isinstance(wizard, dict) and "key" in wizard:
            wizard["key"] = secrets.token_urlsafe(24)  # a new run: a new row each time
        session = fresh.session
        session.update(data)
        session.save()
        return fresh

    def final_post(fresh):
        return fresh.post(site["review_path"], site["review_data"])

    staff = get_user_model().objects.create_superuser("bench", "bench@example.org", "x" * 20)
    admin_client = Client()
    admin_client.force_login(staff)
    queue = "/" + settings.ADMIN_URL + "assessment/submission/"

    step_client = Client()
    first_step = step_client.get("/assessment/", follow=True).request["PATH_INFO"]
    pages = {
        "baseline (bare view + template, no DB)": get("/bench/baseline"),
        "home /": get("/"),
        "crisis /crisis/": get("/crisis/"),
        f"assessment step 1 GET {first_step}": get(first_step, step_client),
        "assessment final-step POST (stores the submission)": None,
        "result page /assessment/r/<token>/": get(site["result"]),
        f"program search /programs/?{search}": get(f"/programs/?{search}"),
        "program detail /programs/<slug>/": get(site["program"]),
        f"API search /api/programs/?{search}": get(f"/api/programs/?{search}"),
        f"admin queue ({site['submissions']:,} submissions)": get(queue, admin_client),
    }
    figures = {}
    for name, request in pages.items():
        if request is None:
            figures[name] = timed_final_post(fresh_session, final_post, seconds)
        else:
            figures[name] = timed(request, seconds)
    return figures


def timed_final_post(fresh_session, final_post, seconds: float) -> dict:
    """Like :func:`timed`, but only the POST itself is timed (not making its session)."""
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    for _ in range(3):
        final_post(fresh_session())
    client = fresh_session()
    reset_queries()
    with CaptureQueriesContext(connection) as captured:
        response = final_post(client)
    queries = len(captured.captured_queries)
    durations = []
    deadline = time.perf_counter() + seconds
    while len(durations) < 20 or (time.perf_counter() < deadline and len(durations) < 2000):
        client = fresh_session()
        start = time.perf_counter()
        response = final_post(client)
        durations.append(time.perf_counter() - start)
    return summary(response, durations, queries)


def markdown(pages: dict, recommend: dict | None, search: dict | None, database: str) -> str:
    base = next(iter(pages.values()))["per_second"]
    lines = [
        f"Database: {database}. In-process (Django test Client, same settings and middleware "
        "for every row); one client, no network.",
        "",
        "| page | status | req/s (1/median) | median ms | p95 ms | × baseline | SQL queries |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for name, row in pages.items():
        ratio = row["per_second"] / base if base else 0
        lines.append(
            f"| {name} | {row['status']} | {row['per_second']:,.0f} | {row['median_ms']} | "
            f"{row['p95_ms']} | {ratio:.2f} | {row['queries']} |"
        )
    if recommend:
        lines += [
            "",
            f"Rules engine: **{recommend['per_second']:,.0f} recommendations/s** "
            f"({recommend['microseconds_each']} µs each, n={recommend['n']}).",
        ]
    if search:
        lines += [
            "",
            f"Directory search at scale ({search.get('programs', search.get('n_programs', '?'))}"
            f" programs, {search.get('database')}):",
            "",
            "| request | median ms | req/s | SQL queries |",
            "|---|---:|---:|---:|",
        ]
        for name, row in search.get("pages", {}).items():
            if isinstance(row, dict) and "median_ms" in row:
                lines.append(
                    f"| {name} | {row['median_ms']} | {row['per_second']} | "
                    f"{row.get('queries', '')} |"
                )
            elif isinstance(row, dict):
                lines.append(f"| {name} | {row} | | |")
    return "\n".join(lines) + "\n"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=1.0, help="time per page")
    parser.add_argument("--recommend-n", type=int, default=5000)
    parser.add_argument("--search-programs", type=int, default=5000)
    parser.add_argument("--search-repeats", type=int, default=10)
    parser.add_argument("--skip-search", action="store_true")
    args = parser.parse_args(argv)

    setup_django()
    from django.db import connection

    database = connection.vendor
    pages = page_figures(args.seconds)
    problems = [f"{n}: status {r['status']}" for n, r in pages.items() if r["status"] >= 400]
    recommend = search = None
    try:
        from bench import bench_recommend

        recommend = bench_recommend.run(args.recommend_n)
    except Exception as error:  # noqa: BLE001 - report, do not hide
        problems.append(f"bench_recommend failed: {type(error).__name__}: {error}")
    if not args.skip_search:
        try:
            from bench import bench_search

            search = bench_search.run(n_programs=args.search_programs, repeats=args.search_repeats)
            search.setdefault("programs", args.search_programs)
        except Exception as error:  # noqa: BLE001 - report, do not hide
            problems.append(f"bench_search failed: {type(error).__name__}: {error}")
    table = markdown(pages, recommend, search, database)
    print(table)
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "latest.md").write_text(table)
    (RESULTS / "latest.json").write_text(
        json.dumps({"pages": pages, "recommend": recommend, "search": search}, indent=2)
    )
    print(f"written to {RESULTS / 'latest.md'}")
    if problems:
        print("PROBLEMS:\n  " + "\n  ".join(problems))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
