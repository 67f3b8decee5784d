"""Benchmark: challenge packs. Targets: one pack ≤ 1.5 s, the 14 packs of a summit ≤ 10 s.

Builds a throwaway SQLite database with the figures ``--data`` names:

- ``demo``: the West Midlands demo data (14 councils, every ASCOF measure of each year, demo self-assessments
  and the demo summits);
- ``national`` (the targets' case: a national file with the real neighbour groups): the synthetic national
  file of ``make_national_file.py`` (152 councils, 7 years, real-shaped like the published national file)
  and the real West Midlands nearest-neighbour groups from ``/work/shared/data``, a self-assessment cycle
  for its latest year with every West Midlands council's submitted self-assessment, a published summit, and
  a CQC outcome for every West Midlands council (the demo's synthetic ones: no file of CQC's real outcomes is
  at hand; the packs' assurance section and its questions cost the same either way);
- ``extract``: the same on the real published extract (2018-19 and 2019-20) in ``/work/shared/data``.

then times, with nothing cached but the period statistics (kept per data version as the pages keep them;
the first pack after an import computes them, printed separately):

- one pack: the selectors' data + the PDF (WeasyPrint) + the DOCX pro-forma, median of ``--runs``;
- every pack of the upcoming demo summit (14 councils), cold, then again warm (all from the cache), then
  cold again with one process per CPU (up to 4), as the background build and ``build_packs`` do.

Prints the machine's load average too: the figures mean little on a machine busy with other work.

    .venv/bin/python benchmarks/bench_packs.py [--data demo|national|extract] [--runs 5] [--workers N]
    .venv/bin/python benchmarks/bench_packs.py --data national --profile 3   # cProfile of 3 packs
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
SHARED = Path(os.environ.get("SHARED_DATA", "/work/shared/data"))
NATIONAL_FILE = ROOT / "benchmarks" / "data" / "ascof_national.csv"
EXTRACT_FILE = SHARED / "ascof_2018-19_to_2019-20.csv"
NEIGHBOURS = SHARED / "nearest_neighbours_west_midlands.json"
WEST_MIDLANDS = "E12000005"
BIRMINGHAM = "E08000025"


def page_count(document: bytes) -> int:
    """Pages of a PDF, by pdfinfo (poppler-utils) when it is installed."""
    import shutil
    import subprocess

    tool = shutil.which("pdfinfo")
    if tool is None:
        return 0
    result = subprocess.run([tool, "-"], input=document, capture_output=True, check=False)
    for line in result.stdout.decode().splitlines():
        if line.startswith("Pages:"):
            return int(line.split()[1])
    return 0


def seed_demo() -> None:
    from peerchallenge.services import seed_demo_summits
    from scorecard.assurance.demo import cqc_demo_seed
    from scorecard.demo import demo_values_seed
    from selfassessment.demo import self_assessment_demo_seed

    demo_values_seed()
    self_assessment_demo_seed()
    cqc_demo_seed(region_gss_code=WEST_MIDLANDS)
    seed_demo_summits(region_gss_code=WEST_MIDLANDS)


def seed_real(path: Path) -> None:
    """A national file and the real neighbour groups, imported as a user would; then a region's cycle for the
    latest year, every council's submitted self-assessment and a published summit, as a coordinator makes."""
    import datetime as dt
    import subprocess

    from councils.models import Region
    from councils.services import neighbours_import
    from peerchallenge.models import Summit
    from peerchallenge.services import summit_pair, summit_transition
    from scorecard.assurance.demo import cqc_demo_seed
    from scorecard.imports.ascof import ascof_import
    from scorecard.models import Period
    from selfassessment import selectors as sa_selectors
    from selfassessment import services as sa_services
    from selfassessment.demo import _input

    if path == NATIONAL_FILE and not path.exists():
        subprocess.run([sys.executable, str(ROOT / "benchmarks" / "make_national_file.py")], check=True)
    started = time.perf_counter()
    outcome = ascof_import(path=path)
    if not outcome.ok:
        raise SystemExit(f"{path.name} did not import: {outcome.problems[:3]}")
    neighbours_import(path=NEIGHBOURS)
    print(
        f"Imported {path.name} ({outcome.created:,} values) and {NEIGHBOURS.name} in {time.perf_counter() - started:.1f} s"
    )
    region = Region.objects.get(gss_code=WEST_MIDLANDS)
    period = Period.objects.filter(values__isnull=False).distinct().order_by("-start_year").first()
    today = dt.date.today()
    cycle = sa_services.cycle_open(
        region=region,
        name=f"{period.label} peer challenge",
        slug="bench-cycle",
        closes_on=today + dt.timedelta(days=30),
        period=period,
        prompts=sa_selectors.default_prompts(),
    )
    councils = list(region.councils.order_by("gss_code"))
    for index, council in enumerate(councils):
        data = _input(council=council, cycle=cycle, optimist=index % 4 == 0, pessimist=False, complete=True)
        sa_services.self_assessment_save(
            cycle=cycle, council=council, data=data, user=None, expected_version=0, submit=True
        )
    summit = Summit.objects.create(
        region=region,
        name=f"{region} peer challenge summit",
        date=today + dt.timedelta(days=56),
        venue="Council House, Birmingham",
        rooms="\n".join(f"Committee Room {i}" for i in range(1, len(councils) // 2 + 2)),
        plenary_room="Council Chamber",
        cycle=cycle,
    )
    summit.participants.set(councils)
    cqc_demo_seed(region_gss_code=WEST_MIDLANDS)
    summit_pair(summit=summit)
    summit_transition(summit=summit, to=Summit.State.PUBLISHED)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", choices=["demo", "national", "extract"], default="national")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--profile", type=int, default=0, help="profile this many packs (cProfile) and stop")
    parser.add_argument(
        "--workers", type=int, help="processes for the parallel summit build (default: CPUs, up to 4)"
    )
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="bench-packs-"))
    os.environ["DATABASE_URL"] = f"sqlite:///{workdir / 'bench.sqlite3'}"
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.test_settings"
    os.environ["MEDIA_ROOT"] = str(workdir / "media")

    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    settings.MEDIA_ROOT = str(workdir / "media")
    call_command("migrate", verbosity=0)
    from councils.models import Council
    from peerchallenge.models import Summit
    from peerchallenge.packs import docx_export, pdf, selectors, services

    if args.data == "demo":
        seed_demo()
    else:
        seed_real(NATIONAL_FILE if args.data == "national" else EXTRACT_FILE)
    summit = Summit.objects.select_related("region", "cycle__period").get(state=Summit.State.PUBLISHED)
    birmingham = Council.objects.select_related("region").get(gss_code=BIRMINGHAM)
    import weasyprint  # noqa: F401  (import time is not a pack's time: a worker imports it once)

    started = time.perf_counter()
    pdf.pack_pdf(pack=selectors.pack_build_data(council=birmingham, summit=summit))  # warm fonts
    print(
        f"Data: {args.data}, period {summit.cycle.period.label}. First pack after the import (the period "
        f"statistics computed, fonts loaded): {time.perf_counter() - started:.2f} s"
    )
    if args.profile:
        return profile(args.profile, birmingham=birmingham, summit=summit)

    timings = {"data": [], "pdf": [], "docx": [], "total": [], "cpu": []}
    pages = 0
    for _ in range(args.runs):
        cpu = time.process_time()
        started = time.perf_counter()
        pack = selectors.pack_build_data(council=birmingham, summit=summit)
        data_done = time.perf_counter()
        document = pdf.pack_pdf(pack=pack)
        pdf_done = time.perf_counter()
        docx_export.pro_forma_docx(pack=pack)
        docx_done = time.perf_counter()
        timings["data"].append(data_done - started)
        timings["pdf"].append(pdf_done - data_done)
        timings["docx"].append(docx_done - pdf_done)
        timings["total"].append(docx_done - started)
        timings["cpu"].append(time.process_time() - cpu)
        pages = page_count(document)
    median = {key: statistics.median(values) for key, values in timings.items()}
    print(
        f"One pack ({birmingham.name}, {pages} pages): median {median['total']:.2f} s wall, "
        f"{median['cpu']:.2f} s CPU (data {median['data']:.3f} s, PDF {median['pdf']:.2f} s, "
        f"DOCX {median['docx']:.3f} s) over {args.runs} runs; target ≤ 1.5 s"
    )

    cpu = time.process_time()
    started = time.perf_counter()
    files = services.summit_packs_build(summit=summit)
    cold = time.perf_counter() - started
    cold_cpu = time.process_time() - cpu
    started = time.perf_counter()
    again = services.summit_packs_build(summit=summit)
    warm = time.perf_counter() - started
    assert all(f.built for f in files) and not any(f.built for f in again)
    print(
        f"Summit ({len(files)} packs): cold {cold:.1f} s wall, {cold_cpu:.1f} s CPU; "
        f"warm (cached) {warm:.2f} s; target ≤ 10 s"
    )
    import shutil

    shutil.rmtree(workdir / "media", ignore_errors=True)
    import resource

    def cpu_with_children() -> float:
        own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
        return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime

    cpu = cpu_with_children()
    started = time.perf_counter()
    workers = args.workers or min(os.cpu_count() or 1, 4)  # the PACK_WORKERS default
    parallel = services.summit_packs_build(summit=summit, workers=workers)
    two = time.perf_counter() - started
    assert all(f.built for f in parallel)
    print(
        f"Summit ({len(parallel)} packs) with {workers} worker processes (as the background build and "
        f"build_packs do here: PACK_WORKERS), cold: {two:.1f} s wall, {cpu_with_children() - cpu:.1f} s CPU "
        f"(every process); target ≤ 10 s"
    )
    print(f"Load average while measuring: {os.getloadavg()[0]:.1f} (1 min), {os.cpu_count()} CPUs")
    return 0


def profile(count: int, *, birmingham, summit) -> int:  # type: ignore[no-untyped-def]
    """cProfile of ``count`` packs (data, PDF, DOCX), the 40 largest by cumulative and by own time."""
    import cProfile
    import pstats

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from peerchallenge.packs import docx_export, pdf, selectors

    profiler = cProfile.Profile()
    with CaptureQueriesContext(connection) as queries:
        profiler.enable()
        for _ in range(count):
            pack = selectors.pack_build_data(council=birmingham, summit=summit)
            pdf.pack_pdf(pack=pack)
            docx_export.pro_forma_docx(pack=pack)
        profiler.disable()
    print(f"{len(queries.captured_queries) / count:.0f} queries a pack")
    stats = pstats.Stats(profiler).strip_dirs()
    stats.sort_stats("cumulative").print_stats(40)
    stats.sort_stats("tottime").print_stats(30)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
