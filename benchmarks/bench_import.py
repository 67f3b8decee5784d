"""Time the command-line import of national ASCOF files against pandas.read_csv of the same file.

    .venv/bin/python benchmarks/bench_import.py [FILE]               # SQLite (a throwaway file)
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/sc \\
        .venv/bin/python benchmarks/bench_import.py [FILE]           # PostgreSQL (database sc_bench)

Without FILE, each of the synthetic national file (benchmarks/make_national_file.py) and the real
extract in /work/shared/data (when present) is measured in a process and database of its own.
The project's own database is never touched: SQLite runs in a temporary directory; PostgreSQL in a
database named after DATABASE_URL's with ``_bench`` appended, created afresh and dropped at the end.
Production settings (DEBUG off), so no SQL is logged. Prints each time and its ratio to the median of
three bare ``pandas.read_csv`` of the file, measured in the same run. As ``pandas`` is imported before
``read_csv`` is timed, the import command's modules are loaded before the import is timed. Targets:
the first import at most 5x read_csv and 10 s; a re-import that changes nothing at most 3x.

It then measures the same two things as commands, the way a user runs them and the way the first
figures were taken (read_csv at 0.8-1.0 s is a fresh ``python`` importing pandas and reading the file): the
wall time of ``python -c "import pandas; pandas.read_csv(FILE)"`` (median of six) against
``python manage.py import_ascof FILE`` into a fresh, migrated database (one run), then again unchanged
(median of three, each run beside one of the read_csv runs). Both ratios
are printed; the in-process one is the stricter. Run after ``make setup`` (``make bench`` does): it compiles
the project's bytecode, which a machine with PYTHONDONTWRITEBYTECODE would otherwise compile at every start.
"""

import os
import statistics
import subprocess
import sys
import tempfile
import time
from io import StringIO
from pathlib import Path
from urllib.parse import urlparse, urlunparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
REAL_FILE = Path("/work/shared/data/ascof_2018-19_to_2019-20.csv")
if __name__ == "__main__" and len(sys.argv) == 1:
    from benchmarks.make_national_file import DEFAULT_OUT
    from benchmarks.make_national_file import main as make_file

    files = [DEFAULT_OUT if DEFAULT_OUT.exists() else make_file()]
    files += [REAL_FILE] if REAL_FILE.exists() else []
    for file in files:
        subprocess.run([sys.executable, __file__, str(file)], check=True)
    sys.exit(0)
TMP = tempfile.TemporaryDirectory(prefix="bench-import-")
SOURCE_URL = os.environ.get("DATABASE_URL", "")
POSTGRES = SOURCE_URL.startswith(("postgres://", "postgresql://"))
if POSTGRES:
    parsed = urlparse(SOURCE_URL)
    BENCH_DB = (parsed.path.lstrip("/") or "scorecard") + "_bench"
    os.environ["DATABASE_URL"] = urlunparse(parsed._replace(path="/" + BENCH_DB))
else:
    os.environ["DATABASE_URL"] = f"sqlite:///{TMP.name}/bench.sqlite3"
os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
os.environ["DEBUG"] = "0"
os.environ.setdefault("SECRET_KEY", "benchmark-only-secret-key-not-for-production")
os.environ["IMPORT_UPLOAD_DIR"] = f"{TMP.name}/uploads"


def postgres_admin(*statements: str) -> None:
    """Run statements (CREATE/DROP DATABASE) on the server's maintenance database, outside a transaction."""
    import psycopg2

    admin = urlparse(SOURCE_URL)._replace(path="/postgres")
    connection = psycopg2.connect(urlunparse(admin))
    connection.autocommit = True
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)
    connection.close()


def recreate_postgres() -> None:
    postgres_admin(f'DROP DATABASE IF EXISTS "{BENCH_DB}"', f'CREATE DATABASE "{BENCH_DB}"')


def drop_postgres() -> None:
    from django.db import connections

    connections.close_all()
    postgres_admin(f'DROP DATABASE IF EXISTS "{BENCH_DB}"')


if POSTGRES:
    recreate_postgres()

import django  # noqa: E402

django.setup()

import pandas as pd  # noqa: E402
from django.core.management import call_command, load_command_class  # noqa: E402
from django.db import connection  # noqa: E402

from scorecard.models import Value  # noqa: E402


def timed(label: str, function):  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    result = function()
    seconds = time.perf_counter() - start
    print(f"{label:<58} {seconds:8.3f} s")
    return result, seconds


def cli_import(path: Path) -> str:
    out = StringIO()
    call_command("import_ascof", str(path), stdout=out, stderr=StringIO())
    return out.getvalue()


def command_seconds(arguments: list[str], env: dict[str, str]) -> tuple[float, str]:
    start = time.perf_counter()
    done = subprocess.run(arguments, env=env, cwd=ROOT, capture_output=True, text=True, check=True)
    return time.perf_counter() - start, done.stdout


def as_commands(path: Path) -> None:
    """read_csv and import_ascof as fresh processes, into a database of their own."""
    env = dict(os.environ)
    cli_db = BENCH_DB + "_cli" if POSTGRES else ""
    if POSTGRES:
        postgres_admin(f'DROP DATABASE IF EXISTS "{cli_db}"', f'CREATE DATABASE "{cli_db}"')
        env["DATABASE_URL"] = urlunparse(urlparse(SOURCE_URL)._replace(path="/" + cli_db))
    else:
        env["DATABASE_URL"] = f"sqlite:///{TMP.name}/cli.sqlite3"
    try:
        subprocess.run(
            [sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"], env=env, cwd=ROOT, check=True
        )
        read = [sys.executable, "-c", f"import pandas; pandas.read_csv({str(path)!r})"]
        reads = [command_seconds(read, env)[0] for _ in range(3)]
        command = [sys.executable, "manage.py", "import_ascof", str(path)]
        first, out = command_seconds(command, env)
        assert "Imported:" in out and "0 updated, 0 unchanged" in out, out
        print(f"{'python manage.py import_ascof FILE, first import':<58} {first:8.3f} s")
        # The re-import changes nothing, so it can be repeated: three runs, each beside a read_csv run, so that
        # both sides are medians over the same stretch of the machine's load (one run of each swung 2.1-3.4x).
        agains = []
        for _ in range(3):
            reads.append(command_seconds(read, env)[0])
            seconds, out = command_seconds(command, env)
            assert "0 created, 0 updated" in out, out
            agains.append(seconds)
        bare, again = statistics.median(reads), statistics.median(agains)
        label = 'python -c "import pandas; pandas.read_csv(FILE)" (median of 6)'
        print(f"{label:<58} {bare:8.3f} s  ({', '.join(f'{r:.2f}' for r in reads)})")
        label = "python manage.py import_ascof FILE, re-import (median of 3)"
        print(f"{label:<58} {again:8.3f} s  ({', '.join(f'{r:.2f}' for r in agains)})")
        print(
            f"RESULT {connection.vendor} {path.name} as commands: first import {first:.2f} s = "
            f"{first / bare:.1f}x read_csv ({'met' if first <= 5 * bare and first <= 10 else 'NOT met'}); "
            f"re-import {again:.2f} s = {again / bare:.1f}x ({'met' if again <= 3 * bare else 'NOT met'})"
        )
    finally:
        if POSTGRES:
            postgres_admin(f'DROP DATABASE IF EXISTS "{cli_db}"')


def main(path: Path) -> None:
    call_command("migrate", verbosity=0)
    load_command_class("scorecard", "import_ascof")  # its modules, as pandas is, before the timing
    print(f"database: {connection.vendor}; file: {path} ({path.stat().st_size / 1e6:.1f} MB)")
    reads = [timed(f"pandas.read_csv (bare) #{i}", lambda: pd.read_csv(path))[1] for i in (1, 2, 3)]
    bare = statistics.median(reads)
    rows = len(pd.read_csv(path))
    print(f"rows: {rows:,}; bare read_csv median: {bare:.3f} s")

    out, first = timed("import_ascof, first import (every value + history)", lambda: cli_import(path))
    assert "Imported:" in out and "0 updated, 0 unchanged" in out, out
    print("  " + out.strip().splitlines()[-1])
    out, again = timed("import_ascof, re-import (nothing changes)", lambda: cli_import(path))
    assert "0 created, 0 updated" in out, out
    print(f"values stored: {Value.objects.count():,}; history rows: {Value.history.count():,}")
    print(
        f"RESULT {connection.vendor} {path.name}: first import {first:.2f} s = {first / bare:.1f}x read_csv "
        f"(target <= 5x and <= 10 s: {'met' if first <= 5 * bare and first <= 10 else 'NOT met'}); "
        f"re-import {again:.2f} s = {again / bare:.1f}x (target <= 3x: {'met' if again <= 3 * bare else 'NOT met'})"
    )
    as_commands(path)


if __name__ == "__main__":
    try:
        main(Path(sys.argv[1]))
    finally:
        if POSTGRES:
            drop_postgres()
