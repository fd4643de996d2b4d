"""Where the time of a page goes: ``python -m bench.profile_pages``.

Builds the same site as ``python -m bench`` (demo directory, one assessment, a session at the
review step), optionally grows the directory to ``--programs`` generated programs (the search
benchmark's generator), then for each page:

* runs it ``--repeats`` times under ``cProfile`` and prints the functions that cost the most,
  own time and cumulative time, per request (the repository's files and Django's template
  engine; the rest is summed);
* times every template rendered (top-level, ``{% extends %}`` parents and ``{% include %}``s,
  inclusive of what they include) and counts how often each one is rendered per request.

A diagnostic, not a target: the figures are what ``docs/performance.md`` and the profile notes
quote as "cost per render". Database: ``DATABASE_URL`` if set, else a temporary SQLite file.
"""

from __future__ import annotations

import argparse
import collections
import cProfile
import pstats
import sys
import time
from pathlib import Path

ROOT = str(Path(__file__).resolve().parent.parent)
#: Top-level folders of the repository's own code (what "ours" means in the listing).
OURS = {"admissions", "assessment", "iop_finder", "pages", "programs", "bench"}


class TemplateTimer:
    """Wraps ``Template._render``: inclusive seconds and renders per template name."""

    def __init__(self):
        self.seconds = collections.Counter()
        self.count = collections.Counter()
        self._original = None

    def __enter__(self):
        from django.template import base

        original = base.Template._render
        timer = self

        def _render(template, context):
            start = time.perf_counter()
            try:
                return original(template, context)
            finally:
                name = template.origin.template_name if template.origin else "?"
                timer.seconds[name] += time.perf_counter() - start
                timer.count[name] += 1

        self._original = original
        base.Template._render = _render
        return self

    def __exit__(self, *exc):
        from django.template import base

        base.Template._render = self._original


def short(filename: str) -> str:
    marker = "site-packages/"
    if marker in filename:
        return filename.split(marker, 1)[-1]
    return filename[len(ROOT) + 1 :] if filename.startswith(ROOT) else filename


def profile(request, repeats: int, top: int, out=sys.stdout) -> None:
    for _ in range(3):
        request()
    total_start = time.perf_counter()
    profiler = cProfile.Profile()
    with TemplateTimer() as templates:
        profiler.enable()
        for _ in range(repeats):
            request()
        profiler.disable()
    wall = (time.perf_counter() - total_start) / repeats * 1000
    stats = pstats.Stats(profiler)
    print(f"  wall under profiler: {wall:.2f} ms/request", file=out)
    print("  templates (inclusive ms per request, renders per request):", file=out)
    for name, seconds in templates.seconds.most_common(12):
        per = seconds / repeats * 1000
        count = templates.count[name] / repeats
        each = per / count if count else 0
        print(f"    {per:8.3f} ms  x{count:6.1f}  ({each * 1000:7.1f} µs each)  {name}", file=out)
    rows = []
    for (filename, line, function), (_cc, calls, tottime, cumtime, _callers) in (
        stats.stats.items()  # type: ignore[attr-defined]
    ):
        rows.append((tottime, cumtime, calls, f"{short(filename)}:{line}({function})"))
    print("  own time (ms per request, calls per request):", file=out)
    for tottime, _cum, calls, where in sorted(rows, reverse=True)[:top]:
        print(f"    {tottime / repeats * 1000:8.3f} ms  x{calls / repeats:8.1f}  {where}", file=out)
    print("  cumulative, repository code (ms per request, calls per request):", file=out)
    ours = [r for r in rows if r[3].split("/")[0] in OURS]
    for _tot, cumtime, calls, where in sorted(ours, key=lambda r: -r[1])[:top]:
        print(f"    {cumtime / repeats * 1000:8.3f} ms  x{calls / repeats:8.1f}  {where}", file=out)


def pages(site: dict, search_query: str) -> list[tuple[str, object]]:
    from django.test import Client

    client = Client()
    step_client = Client()
    first_step = step_client.get("/assessment/", follow=True).request["PATH_INFO"]

    def get(path, who=client):
        return lambda: who.get(path)

    poster = Client()

    def final_post():
        from bench.__main__ import new_review_session

        new_review_session(poster, site["session_data"])
        return poster.post(site["review_path"], site["review_data"])

    return [
        ("baseline", get("/bench/baseline")),
        ("home", get("/")),
        ("crisis", get("/crisis/")),
        (f"step GET {first_step}", get(first_step, step_client)),
        ("result page", get(site["result"])),
        (f"search page ?{search_query}", get(f"/programs/?{search_query}")),
        (f"API ?{search_query}", get(f"/api/programs/?{search_query}")),
        ("program detail", get(site["program"])),
        ("final POST (includes making its session)", final_post),
    ]


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--programs", type=int, default=0, help="generated programs to add")
    parser.add_argument("--repeats", type=int, default=30)
    parser.add_argument("--top", type=int, default=18)
    parser.add_argument("--only", default="", help="profile only pages whose name contains this")
    args = parser.parse_args(argv)

    from bench.__main__ import prepare_site, setup_django

    setup_django()
    site = prepare_site()
    search_query = "zip=40202&level=IOP&insurance=medicaid"
    if args.programs:
        from bench import bench_search

        made = bench_search.generate(args.programs)
        print(f"generated {made}")
        search_query = "&".join(f"{k}={v}" for k, v in bench_search.SEARCH.items())
    for name, request in pages(site, search_query):
        if args.only and args.only not in name:
            continue
        response = request()
        print(f"\n== {name}: status {response.status_code}, {len(response.content):,} bytes")
        profile(request, args.repeats, args.top)


if __name__ == "__main__":
    main()
