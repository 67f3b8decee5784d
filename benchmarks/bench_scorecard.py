"""Benchmark: a council scorecard over a national data set.

Builds a throwaway SQLite database (152 councils × 7 years × every ASCOF measure of each year's
framework, plus region, England and council-type figures and 15 nearest neighbours per council, all
synthetic), then times ``council_scorecard`` (and the other scorecard reads, and the scorecard page
if its URL exists) and reports the median of 30 runs. Target: median ≤ 50 ms.

    .venv/bin/python benchmarks/bench_scorecard.py [--runs 30] [--keep]
"""

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--keep", action="store_true", help="Keep the SQLite file and print its path")
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="bench-scorecard-"))
    db_path = workdir / "bench.sqlite3"
    os.environ["DATABASE_URL"] = f"sqlite:///{db_path}"
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.test_settings"
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

    import django

    django.setup()
    from django.core.management import call_command

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    counts = build_national_data()
    print(f"Built {counts} in {time.perf_counter() - started:.1f} s ({db_path})")

    from councils.models import Council, Region
    from scorecard.measures.selectors import measure_values
    from scorecard.models import Measure
    from scorecard.scorecards.selectors import council_scorecard, region_overview

    birmingham = Council.objects.select_related("region").get(gss_code="E08000025")
    region = Region.objects.get(gss_code="E12000005")
    measure = Measure.objects.get(key="ascof-2023-2c")
    card = council_scorecard(council=birmingham)
    print(
        f"Scorecard: {birmingham.name} {card.period}, {len(card.rows)} rows, "
        f"{sum(1 for r in card.rows if r.value is not None)} with values"
    )

    results = {
        "council_scorecard": time_it(lambda: council_scorecard(council=birmingham), args.runs),
        "region_overview": time_it(lambda: region_overview(region=region), args.runs),
        "measure_values (England)": time_it(lambda: measure_values(measure=measure), args.runs),
    }
    page = page_timer(birmingham.gss_code)
    if page is not None:
        results["GET /councils/<gss>/scorecard/"] = time_it(page, args.runs)
    else:
        print("No scorecard page URL yet: page not timed.")

    print(f"\nMedian of {args.runs} runs (after one warm-up):")
    for name, timings in results.items():
        median_ms = statistics.median(timings) * 1000
        flag = "ok" if median_ms <= 50 else "OVER 50 ms"
        print(f"  {name:<34} median {median_ms:7.1f} ms   min {min(timings) * 1000:7.1f}   {flag}")
    if not args.keep:
        from django.db import connections

        connections.close_all()
        db_path.unlink(missing_ok=True)
        workdir.rmdir()
    return 0


def time_it(func, runs: int) -> list[float]:
    func()  # warm-up
    timings = []
    for _ in range(runs):
        start = time.perf_counter()
        func()
        timings.append(time.perf_counter() - start)
    return timings


def page_timer(gss_code: str):
    from django.test import Client
    from django.urls import NoReverseMatch, Resolver404, resolve

    from councils.models import User

    path = f"/councils/{gss_code}/scorecard/"
    try:
        resolve(path)
    except (Resolver404, NoReverseMatch):
        return None
    user = User.objects.create_superuser("bench-admin", "bench@example.invalid", "not-a-real-password-123")
    client = Client()
    client.force_login(user)
    response = client.get(path)
    if response.status_code != 200:
        print(f"{path} answered {response.status_code}: page not timed.")
        return None
    return lambda: client.get(path)


def build_national_data() -> str:
    from councils.models import Council, NearestNeighbour, Region
    from scorecard.areas import area_for_council_type, area_for_england, area_for_region
    from scorecard.catalogue import demo_ranges, framework_for_start_year
    from scorecard.models import Area, Measure, Value
    from scorecard.periods import period_get_or_create

    rng = random.Random(20240601)
    regions = list(Region.objects.all())
    others = [r for r in regions if r.gss_code != "E12000005"]
    types = [Council.CouncilType.UNITARY, Council.CouncilType.COUNTY, Council.CouncilType.LONDON_BOROUGH]
    existing = Council.objects.count()
    Council.objects.bulk_create(
        Council(
            name=f"Synthetic {i}",
            slug=f"synthetic-{i}",
            gss_code=f"E06{700000 + i:06d}",
            cassr_code=600 + i,
            council_type=types[i % len(types)],
            region=others[i % len(others)],
        )
        for i in range(152 - existing)
    )
    councils = list(Council.objects.all())
    Area.objects.bulk_create(
        Area(key=c.gss_code, kind=Area.Kind.COUNCIL, name=c.name, council=c)
        for c in councils
        if not Area.objects.filter(key=c.gss_code).exists()
    )
    comparator_areas = [area_for_region(region=r) for r in regions] + [area_for_england()]
    comparator_areas += [
        area_for_council_type(name=name)
        for name in ("Metropolitan Districts", "Unitary Authorities", "Shire Counties", "London Boroughs")
    ]
    council_areas = list(Area.objects.filter(kind=Area.Kind.COUNCIL))
    neighbours = []
    codes = [c.gss_code for c in councils]
    for council in councils:
        picks = rng.sample([code for code in codes if code != council.gss_code], 15)
        neighbours += [
            NearestNeighbour(council=council, position=p, neighbour_gss_code=code)
            for p, code in enumerate(picks, start=1)
        ]
    NearestNeighbour.objects.bulk_create(neighbours)

    ranges = demo_ranges()
    values = []
    for start_year in range(2017, 2024):
        period = period_get_or_create(start_year=start_year)
        for measure in Measure.objects.filter(framework=framework_for_start_year(start_year)):
            low, high = ranges.get((measure.framework, measure.code), (0.0, 100.0))
            for area in council_areas + comparator_areas:
                suppressed = rng.random() < 0.02
                values.append(
                    Value(
                        measure=measure,
                        period=period,
                        area=area,
                        value=None if suppressed else Decimal(f"{rng.uniform(low, high):.1f}"),
                        status=Value.Status.SUPPRESSED if suppressed else Value.Status.OK,
                        is_demo=True,
                    )
                )
    Value.objects.bulk_create(values, batch_size=5000)
    return f"{len(councils)} councils, {len(values)} values, {len(neighbours)} neighbour rows"


if __name__ == "__main__":
    raise SystemExit(main())
