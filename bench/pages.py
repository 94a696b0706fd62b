"""Benchmark of the public pages on a synthetic ledger in PostgreSQL (a script, not a test).

It fills the database ``bench/api.py`` fills (``aidledger_bench`` unless
``--database-url`` names another; the same code, so a database filled by either serves
both) with ``--entries`` ledger entries (100,000 by default), adds the seed scenario's
coordination (its bodies and the U.S.-led → NATO mandates, no entries, so the count stays
the one asked for), then times each page through Django's test client:

- overview ``/``, timeline ``/timeline/``, coordination ``/coordination/``,
- the largest donor's page ``/donors/<id>/`` and its largest commitment's
  ``/commitments/<id>/``,

each twice over: **cold**, the cache cleared before every request (what the first
visitor after a new ledger revision pays: every figure and chart computed again), and
**cached**, the same request again within one revision. The cache is the process's own
memory unless ``--redis-url`` names a Redis (as a deployment with ``REDIS_URL`` has).

It prints the median and 90th percentile of each, with the targets (cached ≤ 20 ms, cold
≤ 500 ms), and ends with one JSON line::

    {"entries": N, "pages": {"overview": {"cold_ms": ..., "cached_ms": ...,
     "cold_p90_ms": ..., "cached_p90_ms": ...}, "timeline": {...}, ...}}

``--profile PAGE`` prints a cProfile of that page's cold request (top functions by
cumulative time), to find where a page that misses spends it.

Run from the project root::

    .venv/bin/python bench/pages.py
    .venv/bin/python bench/pages.py --redis-url redis://127.0.0.1:6379/8 --profile timeline
"""

import argparse
import importlib.util
import json
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

TARGET_CACHED_MS = 20.0
TARGET_COLD_MS = 500.0
PROFILE_TOP = 25
PAGES = ("overview", "timeline", "coordination", "donor", "commitment")


def load_bench_api() -> ModuleType:
    """``bench/api.py`` under another module name: its helpers fill the database, and the
    name ``api`` belongs to the project's API package, which the URLconf imports."""
    spec = importlib.util.spec_from_file_location("bench_api", Path(__file__).with_name("api.py"))
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def add_coordination() -> None:
    """The scenario's coordination bodies, responsibility and mandates (a handover for the
    timeline, bars for the coordination page); recorded again, they add nothing."""
    from django.db import transaction

    from ledger import scenario, services
    from ledger.management.commands.load_scenario import record_mandate

    with transaction.atomic():
        bodies = {
            spec.name: services.create_coordination_body(
                name=spec.name, acronym=spec.acronym, description=spec.description
            )
            for spec in scenario.BODIES
        }
        responsibilities = {
            spec.code: services.create_responsibility(
                code=spec.code, name=spec.name, description=spec.description
            )
            for spec in scenario.RESPONSIBILITIES
        }
        for fact in scenario.MANDATES:
            record_mandate(fact, bodies, responsibilities)


def page_urls() -> dict[str, str]:
    """Each page's address: the donor with the most entries and its largest commitment."""
    from django.db.models import Count

    from ledger.models import Commitment, Organization

    donor = (
        Organization.objects.annotate(n=Count("commitments_given__entries"))
        .order_by("-n", "pk")
        .first()
    )
    assert donor is not None, "the bench database holds no donor"
    commitment = (
        Commitment.objects.filter(donor=donor)
        .annotate(n=Count("entries"))
        .order_by("-n", "pk")
        .first()
    )
    assert commitment is not None
    return {
        "overview": "/",
        "timeline": "/timeline/",
        "coordination": "/coordination/",
        "donor": f"/donors/{donor.pk}/",
        "commitment": f"/commitments/{commitment.pk}/",
    }


def get_page(client: Any, url: str) -> None:
    response = client.get(url)
    if response.status_code != 200:
        raise SystemExit(f"GET {url} answered {response.status_code}: {response.content[:500]!r}")


def time_pages(urls: dict[str, str], runs: int, *, cold: bool) -> dict[str, list[float]]:
    """Milliseconds per request of each page, interleaved so that noise spreads evenly;
    ``cold`` clears the cache before each request (outside the time measured)."""
    from django.core.cache import cache
    from django.test import Client

    client = Client()
    for url in urls.values():  # warm-up: imports, templates, the database's buffers
        get_page(client, url)
    timings: dict[str, list[float]] = {name: [] for name in urls}
    for _ in range(runs):
        for name, url in urls.items():
            if cold:
                cache.clear()
            started = time.perf_counter()
            get_page(client, url)
            timings[name].append((time.perf_counter() - started) * 1000)
    return timings


def profile_cold(url: str) -> None:
    import cProfile
    import pstats

    from django.core.cache import cache
    from django.test import Client

    client = Client()
    get_page(client, url)
    cache.clear()
    profiler = cProfile.Profile()
    profiler.runcall(get_page, client, url)
    print(f"cProfile of a cold GET {url}, top {PROFILE_TOP} by cumulative time:")
    stats = pstats.Stats(profiler)
    stats.sort_stats("cumulative").print_stats(PROFILE_TOP)
    print(f"... and top {PROFILE_TOP} by own time:")
    stats.sort_stats("tottime").print_stats(PROFILE_TOP)
    sys.stdout.flush()


def summarise(
    urls: dict[str, str], cold: dict[str, list[float]], cached: dict[str, list[float]]
) -> dict[str, dict[str, float]]:
    p90: Callable[[list[float]], float] = BENCH_API.p90
    figures = {}
    print(f"{'page':<14}{'cold median':>14}{'p90':>12}{'cached median':>16}{'p90':>12}   url")
    for name, url in urls.items():
        row = {
            "cold_ms": round(statistics.median(cold[name]), 1),
            "cached_ms": round(statistics.median(cached[name]), 1),
            "cold_p90_ms": round(p90(cold[name]), 1),
            "cached_p90_ms": round(p90(cached[name]), 1),
        }
        misses = [
            label
            for label, value, target in (
                ("cold", row["cold_ms"], TARGET_COLD_MS),
                ("cached", row["cached_ms"], TARGET_CACHED_MS),
            )
            if value > target
        ]
        verdict = f"  MISSES the {' and '.join(misses)} target" if misses else ""
        print(
            f"{name:<14}{row['cold_ms']:>11.1f} ms{row['cold_p90_ms']:>9.1f} ms"
            f"{row['cached_ms']:>13.1f} ms{row['cached_p90_ms']:>9.1f} ms   {url}{verdict}"
        )
        figures[name] = row
    print(f"Targets: cold ≤ {TARGET_COLD_MS:.0f} ms, cached ≤ {TARGET_CACHED_MS:.0f} ms.")
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--entries", type=int, default=BENCH_API.DEFAULT_ENTRIES)
    parser.add_argument("--runs", type=int, default=BENCH_API.DEFAULT_RUNS, help="per page")
    parser.add_argument("--database-url", default=BENCH_API.DEFAULT_DATABASE_URL)
    parser.add_argument("--redis-url", help="cache in this Redis (default: process memory)")
    parser.add_argument("--refill", action="store_true", help="drop and refill the database")
    parser.add_argument("--profile", choices=PAGES, help="profile this page's cold request")
    args = parser.parse_args()
    if args.entries < 1 or args.runs < 1:
        parser.error("--entries and --runs must be positive")
    BENCH_API.prepare_database(args.database_url, entries=args.entries, refill=args.refill)
    add_coordination()

    from django.test import override_settings

    caches = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    if args.redis_url:
        caches = {
            "default": {
                "BACKEND": "django.core.cache.backends.redis.RedisCache",
                "LOCATION": args.redis_url,
            }
        }
    # Static URLs without the manifest `collectstatic` writes (a deploy step, not run here).
    storages = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    with override_settings(CACHES=caches, STORAGES=storages, ALLOWED_HOSTS=["testserver"]):
        urls = page_urls()
        if args.profile:
            profile_cold(urls[args.profile])
        where = f"Redis {args.redis_url}" if args.redis_url else "process memory"
        print(f"Timing {args.runs} requests of each page, cold then cached (cache: {where}) ...")
        cold = time_pages(urls, args.runs, cold=True)
        cached = time_pages(urls, args.runs, cold=False)
        figures = summarise(urls, cold, cached)
    print(json.dumps({"entries": args.entries, "pages": figures}))


BENCH_API = load_bench_api()

if __name__ == "__main__":
    main()
