"""Benchmark: server time of the main pages at national scale.

The synthetic national file (``make_national_file.py``: 152 councils, 9 regions, 7 years, every measure) is
imported with the real import service into a kept benchmark database (``national_db.py``), then each page is
requested in-process through the whole Django stack (middleware, session, permissions, selectors, template)
with production settings (DEBUG off). For every page, the median of ``--runs`` requests in three states:

- **new data**: the data version bumped before each, so the period statistics are computed afresh (the first
  view after an import);
- **first view**: the page version bumped before each, so the page is rendered for the viewer (selectors,
  permissions, template) while what depends only on the period's data is kept (computed once per data
  version, then kept): another user's first view of the page;
- **kept**: the usual case, the viewer's page served whole from the page cache (``core/pagecache.py``);

with the query counts, and the ratio of the first-view median to the goal.

    .venv/bin/python benchmarks/bench_pages.py [--runs 20] [--fresh]                                 # SQLite
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/sc_i11 .venv/bin/python benchmarks/bench_pages.py  # PostgreSQL

Times depend on the machine and how busy it is: the load average is printed with the figures.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import national_db

GOALS_MS = {"council scorecard": 50, "region scorecard": 100, "compare": 100, "measure page": 100}


def pages() -> dict[str, str]:
    return {
        "council scorecard": "/councils/E08000025/scorecard/",
        "region scorecard": "/regions/E12000005/scorecard/",
        "compare": "/compare/?councils=Birmingham&councils=Leeds&councils=Manchester&councils=Coventry",
        "measure page": "/measures/ascof-2023-2c/",
    }


def timed(client, url: str, *, runs: int, before=None) -> tuple[float, int]:  # type: ignore[no-untyped-def]
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    times = []
    queries = 0
    for _ in range(runs):
        if before is not None:
            before()
        with CaptureQueriesContext(connection) as context:
            started = time.perf_counter()
            response = client.get(url)
            elapsed = time.perf_counter() - started
        if response.status_code != 200:
            raise SystemExit(f"{url}: HTTP {response.status_code}")
        times.append(elapsed * 1000)
        queries = len(context.captured_queries)
    return statistics.median(times), queries


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--fresh", action="store_true", help="rebuild the benchmark database")
    args = parser.parse_args()
    url = national_db.configure(fresh=args.fresh)

    import django

    django.setup()
    from django.db import connection
    from django.test import Client

    from core.cache import data_version_bump, page_version_bump

    summary = national_db.ensure_loaded()
    client = Client()
    client.force_login(national_db.bench_user())
    engine = connection.vendor
    print(f"Pages at national scale on {engine} ({url.split('@')[-1]}): {summary}")
    print(national_db.machine())
    print(
        f"{'page':<20} {'new data ms':>12} {'first view ms':>14} {'kept ms':>8} {'queries':>10} {'goal ms':>8} "
        f"{'first view/goal':>16}"
    )
    for name, path in pages().items():
        client.get(path)  # warm: templates, session, content types
        cold, cold_queries = timed(client, path, runs=args.runs, before=data_version_bump)
        first, first_queries = timed(client, path, runs=args.runs, before=page_version_bump)
        warm, warm_queries = timed(client, path, runs=args.runs)
        goal = GOALS_MS[name]
        print(
            f"{name:<20} {cold:>12.1f} {first:>14.1f} {warm:>8.1f} {cold_queries:>3}/{first_queries}/{warm_queries:<3} "
            f"{goal:>8} {first / goal:>15.2f}×"
        )
    print(national_db.machine())
    return 0


if __name__ == "__main__":
    sys.exit(main())
