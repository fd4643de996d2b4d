"""How fast the directory search and the program page are at scale:
``python -m bench.bench_search``.

Builds a dedicated database (``DATABASE_URL``; default a new temporary SQLite file), migrates it,
generates ``n`` programs (default 25,000) across the country with ``bulk_create`` (sites at real
ZIP centroids from ``zipcodes.list_all()`` sampled with a fixed seed, a share of them around
Louisville so the timed search has results; weekly sessions too), then times:

* the search "ZIP 40202 + 50 miles + IOP + Medicaid": :func:`programs.search.search_programs`
  directly, the search page ``/programs/?...`` and the JSON API ``/api/programs/?...``;
* the program detail page ``/programs/<slug>/``;

with Django's test Client, reporting mean / median milliseconds per request, requests per
second and the SQL queries per page (``CaptureQueriesContext``).

PostgreSQL: create an empty database and point ``DATABASE_URL`` at it, for example
``createdb iop_bench && DATABASE_URL=postgres://postgres@127.0.0.1:5432/iop_bench
python -m bench.bench_search``. Rows the benchmark made before (``source="bench"``) are
deleted first; never point it at a production database.

``run(n_programs=25000, repeats=30) -> dict`` is what a bench runner calls.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time

SEED = 20261123
DEFAULT_N = 25_000
DEFAULT_REPEATS = 30
SEARCH = {"zip": "40202", "radius": "50", "level": "IOP", "insurance": "medicaid"}
LOUISVILLE = (38.2507, -85.7476)
#: Share of sites placed within about 60 miles of Louisville (a dense metro, like a real one).
LOCAL_SHARE = 0.04
SOURCE = "bench"

LEVEL_WEIGHTS = {"OP": 35, "IOP": 30, "PHP": 15, "RESIDENTIAL": 10, "INPATIENT": 10}


def _setup_django(database_url: str | None = None) -> str:
    """Configure settings for a benchmark run (before Django is imported) and set it up."""
    from bench import env

    return env.setup_django(database_url=database_url)


def _zip_pool(rng: random.Random):
    """(nationwide, near Louisville) lists of (zip, city, state, lat, lng)."""
    from bench.generate_import import zip_pool
    from programs import geo

    nationwide = zip_pool(rng)
    local = [
        item
        for item in nationwide
        if geo.haversine_miles(LOUISVILLE[0], LOUISVILLE[1], item[3], item[4]) <= 60
    ]
    return nationwide, local


def generate(n_programs: int, seed: int = SEED) -> dict:
    """Delete earlier benchmark rows, then bulk-create ``n_programs`` programs and their rows."""
    import datetime as dt

    from django.db import transaction

    from programs import vocab
    from programs.models import Location, Program, Provider, Session

    rng = random.Random(seed)
    started = time.perf_counter()
    with transaction.atomic():
        Program.objects.filter(source=SOURCE).delete()
        Provider.objects.filter(source=SOURCE).delete()

    nationwide, local = _zip_pool(rng)
    n_locations = max(1, n_programs // 3)
    n_providers = max(1, n_locations // 2)
    payments = vocab.codes(vocab.PAYMENT)
    therapies = vocab.codes(vocab.THERAPIES)
    conditions = vocab.codes(vocab.CONDITIONS)
    languages = vocab.codes(vocab.LANGUAGES)
    ages = vocab.codes(vocab.AGE_GROUPS)
    levels, weights = zip(*LEVEL_WEIGHTS.items(), strict=True)
    tracks = {
        "IOP": [((0, 2, 3), dt.time(18), dt.time(21)), ((0, 1, 2, 3), dt.time(9), dt.time(12))],
        "PHP": [((0, 1, 2, 3, 4), dt.time(9), dt.time(15))],
        "OP": [((1,), dt.time(17)), ((3,), dt.time(10))],
    }

    with transaction.atomic():
        providers = Provider.objects.bulk_create(
            [
                Provider(
                    name=f"Bench Provider {i}",
                    slug=f"bench-provider-{i}",
                    phone="555-0100",
                    source=SOURCE,
                    source_id=str(i),
                )
                for i in range(n_providers)
            ],
            batch_size=2000,
        )
        location_rows = []
        for i in range(n_locations):
            pool = local if rng.random() < LOCAL_SHARE and local else nationwide
            zip_code, city, state, lat, lng = rng.choice(pool)
            location_rows.append(
                Location(
                    provider=providers[i % n_providers],
                    name=f"Site {i}",
                    street=f"{100 + i % 9000} Bench Street",
                    city=city[:100],
                    state=state,
                    zip_code=zip_code,
                    latitude=lat + rng.uniform(-0.01, 0.01),
                    longitude=lng + rng.uniform(-0.01, 0.01),
                    source=SOURCE,
                    source_id=str(i),
                )
            )
        locations = Location.objects.bulk_create(location_rows, batch_size=2000)
        program_rows = []
        for i in range(n_programs):
            location = locations[i % n_locations]
            level = rng.choices(levels, weights)[0]
            program_rows.append(
                Program(
                    provider_id=location.provider_id,
                    location=location,
                    name=f"Bench Program {i} {level}",
                    slug=f"bench-program-{i}",
                    description="A generated program for the search benchmark.",
                    level=level,
                    age_groups=rng.sample(ages, rng.randint(1, 3)),
                    conditions=rng.sample(conditions, rng.randint(1, 4)),
                    therapies=rng.sample(therapies, rng.randint(1, 5)),
                    languages=["en"] + rng.sample(languages[1:], rng.randint(0, 2)),
                    payment=rng.sample(payments, rng.randint(1, 4)),
                    modality=rng.choice(["in_person", "in_person", "both", "telehealth"]),
                    accepting_new_patients=rng.random() < 0.8,
                    intake_phone="(502) 555-0142",
                    source=SOURCE,
                    source_id=str(i),
                )
            )
        programs = Program.objects.bulk_create(program_rows, batch_size=2000)
        session_rows = []
        for program in programs:
            options = tracks.get(program.level)
            if not options:
                continue
            chosen = rng.choice(options)
            days, start = chosen[0], chosen[1]
            end = chosen[2] if len(chosen) > 2 else (start.replace(hour=start.hour + 1))
            session_rows.extend(
                Session(program=program, weekday=day, start=start, end=end, track="Bench track")
                for day in days
            )
        Session.objects.bulk_create(session_rows, batch_size=5000)
    # Fresh planner statistics, as autovacuum would gather soon after a bulk load; without them
    # PostgreSQL plans the bounding-box query for an empty table.
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return {
        "providers": n_providers,
        "locations": n_locations,
        "programs": n_programs,
        "sessions": len(session_rows),
        "generate_seconds": round(time.perf_counter() - started, 2),
    }


def _time(function, repeats: int) -> dict:
    function()  # warm up: caches, lazy imports, template loading
    durations = []
    for _ in range(repeats):
        start = time.perf_counter()
        function()
        durations.append((time.perf_counter() - start) * 1000)
    mean = statistics.fmean(durations)
    return {
        "mean_ms": round(mean, 2),
        "median_ms": round(statistics.median(durations), 2),
        "max_ms": round(max(durations), 2),
        "per_second": round(1000 / mean, 1) if mean else None,
    }


def _queries(function) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        function()
    return len(captured.captured_queries)


def measure(repeats: int = DEFAULT_REPEATS) -> dict:
    from django.test import Client

    from programs.models import Program
    from programs.search import search_programs

    client = Client()
    figures: dict = {}
    results = search_programs(SEARCH)
    figures["matches"] = results.count if results.is_valid else None

    def direct():
        found = search_programs(SEARCH)
        list(found.hits)

    def get(url):
        def request():
            response = client.get(url)
            if response.status_code != 200:
                raise RuntimeError(f"GET {url} answered {response.status_code}")
            return response

        return request

    query = "&".join(f"{key}={value}" for key, value in SEARCH.items())
    pages = {
        "search (programs.search)": direct,
        "search page /programs/": get(f"/programs/?{query}"),
        "search API /api/programs/": get(f"/api/programs/?{query}"),
    }
    hit = results.hits[0].program if results.is_valid and results.hits else None
    program = hit or Program.objects.filter(source=SOURCE, level="IOP").first()
    if program is not None:
        pages["program page /programs/<slug>/"] = get(program.get_absolute_url())
    for name, function in pages.items():
        try:
            timing = _time(function, repeats)
            timing["queries"] = _queries(function)
        except Exception as error:  # noqa: BLE001 - report, do not hide, a broken page
            timing = {"error": f"{type(error).__name__}: {error}"}
        figures[name] = timing
    return figures


def run(
    n_programs: int = DEFAULT_N,
    repeats: int = DEFAULT_REPEATS,
    database_url: str | None = None,
    seed: int = SEED,
) -> dict:
    """Migrate the benchmark database, generate the directory, time the pages; the figures."""
    url = _setup_django(database_url)
    from django.core.management import call_command
    from django.db import connection

    started = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    migrate_seconds = round(time.perf_counter() - started, 2)
    data = generate(n_programs, seed)
    return {
        "benchmark": "search",
        "database": connection.vendor,
        "database_url": url.split("@")[-1],
        "migrate_seconds": migrate_seconds,
        **data,
        "search": SEARCH,
        "repeats": repeats,
        "pages": measure(repeats),
    }


def print_table(figures: dict, out=sys.stdout) -> None:
    print(
        f"Search benchmark on {figures['database']}: {figures['programs']:,} programs, "
        f"{figures['locations']:,} sites, {figures['sessions']:,} sessions "
        f"(generated in {figures['generate_seconds']} s); "
        f"search {figures['search']} -> {figures['pages'].get('matches')} matches",
        file=out,
    )
    header = f"{'page':34} {'mean ms':>9} {'median ms':>10} {'max ms':>9} {'req/s':>8} {'SQL':>4}"
    print(header, file=out)
    print("-" * len(header), file=out)
    for name, timing in figures["pages"].items():
        if not isinstance(timing, dict):
            continue
        if "error" in timing:
            print(f"{name:34} ERROR {timing['error']}", file=out)
            continue
        print(
            f"{name:34} {timing['mean_ms']:>9} {timing['median_ms']:>10} {timing['max_ms']:>9} "
            f"{timing['per_second']:>8} {timing['queries']:>4}",
            file=out,
        )


def main(argv=None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", "--programs", type=int, default=DEFAULT_N, help="programs to make")
    parser.add_argument("--repeats", type=int, default=DEFAULT_REPEATS, help="timed requests")
    parser.add_argument("--database-url", help="default: $DATABASE_URL, else a temporary SQLite")
    parser.add_argument("--seed", type=int, default=SEED)
    args = parser.parse_args(argv)
    figures = run(args.programs, args.repeats, args.database_url, args.seed)
    print_table(figures)
    return figures


if __name__ == "__main__":
    main()
