"""Time a full ASCOF import of the synthetic national file against a bare pandas.read_csv of it.

    DJANGO_SETTINGS_MODULE=config.settings DEBUG=1 .venv/bin/python benchmarks/bench_import.py

Uses a throwaway SQLite database in a temporary directory (migrated first), so the project's own
database is never touched. Targets: the full import under 10 s and within 5x of bare read_csv.
"""

import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
TMP = tempfile.TemporaryDirectory(prefix="bench-import-")
os.environ["DATABASE_URL"] = f"sqlite:///{TMP.name}/bench.sqlite3"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DEBUG", "1")

import django  # noqa: E402

django.setup()

import pandas as pd  # noqa: E402
from django.core.management import call_command  # noqa: E402

from benchmarks.make_national_file import DEFAULT_OUT  # noqa: E402
from benchmarks.make_national_file import main as make_file  # noqa: E402
from scorecard.imports import ascof_import  # noqa: E402
from scorecard.models import Value  # noqa: E402


def timed(label: str, function):  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    result = function()
    seconds = time.perf_counter() - start
    print(f"{label:<48} {seconds:8.3f} s")
    return result, seconds


def main() -> None:
    call_command("migrate", verbosity=0)
    path = DEFAULT_OUT if DEFAULT_OUT.exists() else make_file()
    size = path.stat().st_size
    print(f"file: {path} ({size / 1e6:.1f} MB)")
    frame, _ = timed("pandas.read_csv (default dtypes)", lambda: pd.read_csv(path))
    _, bare = timed("pandas.read_csv (dtype=str, as the import reads)", lambda: pd.read_csv(path, dtype=str))
    print(f"rows: {len(frame):,}")

    outcome, _ = timed(
        "dry run (validate + write + roll back)", lambda: ascof_import(path=path, dry_run=True)
    )
    assert outcome.ok, [str(p) for p in outcome.problems[:5]]
    outcome, first = timed("first import (creates every value + history)", lambda: ascof_import(path=path))
    assert outcome.ok and outcome.created == len(frame), outcome.summary()
    outcome, again = timed("re-import (all unchanged)", lambda: ascof_import(path=path))
    assert outcome.ok and outcome.unchanged == len(frame), outcome.summary()
    print(f"values stored: {Value.objects.count():,}; history rows: {Value.history.count():,}")
    print(
        f"first import / bare read_csv = {first / bare:.1f}x; re-import / bare read_csv = {again / bare:.1f}x"
    )
    print(f"target under 10 s: {'met' if first < 10 else 'NOT met'} ({first:.2f} s)")


if __name__ == "__main__":
    main()
