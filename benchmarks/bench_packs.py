"""Benchmark: challenge packs. Targets: one pack ≤ 1.5 s, the 14 packs of a summit ≤ 10 s.

Builds a throwaway SQLite database with the West Midlands demo data (14 councils, every ASCOF measure of
each year, demo self-assessments and the demo summits), then times, with nothing cached:

- one pack: the selectors' data + the PDF (WeasyPrint) + the DOCX pro-forma, median of ``--runs``;
- every pack of the upcoming demo summit (14 councils), cold, then again warm (all from the cache), then
  cold again with one process per CPU (up to 4), as the background build and ``build_packs`` do.

Prints the machine's load average too: the figures mean little on a machine busy with other work.

    .venv/bin/python benchmarks/bench_packs.py [--runs 5]
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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
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
    from peerchallenge.services import seed_demo_summits
    from scorecard.demo import demo_values_seed
    from scorecard.selfassessment.demo import self_assessment_demo_seed

    demo_values_seed()
    self_assessment_demo_seed()
    seed_demo_summits(region_gss_code="E12000005")
    summit = Summit.objects.select_related("region", "cycle__period").get(state=Summit.State.PUBLISHED)
    birmingham = Council.objects.select_related("region").get(gss_code="E08000025")
    import weasyprint  # noqa: F401  (import time is not a pack's time: a worker imports it once)

    pdf.pack_pdf(pack=selectors.pack_build_data(council=birmingham, summit=summit))  # warm fonts

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
    started = time.perf_counter()
    workers = args.workers or min(os.cpu_count() or 1, 4)  # the PACK_WORKERS default
    parallel = services.summit_packs_build(summit=summit, workers=workers)
    two = time.perf_counter() - started
    assert all(f.built for f in parallel)
    print(
        f"Summit ({len(parallel)} packs) with {workers} worker processes (as the background build and "
        f"build_packs do here: PACK_WORKERS), cold: {two:.1f} s wall; target ≤ 10 s"
    )
    print(f"Load average while measuring: {os.getloadavg()[0]:.1f} (1 min), {os.cpu_count()} CPUs")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
