"""A national-scale database for the page benchmarks, loaded through the real import service.

``DATABASE_URL`` unset: an SQLite file in ``benchmarks/data/``; a PostgreSQL URL: a database named after its
with ``_pages`` appended. Either is built once (migrate, the synthetic national file from
``make_national_file.py`` imported with ``ascof_import``, the West Midlands nearest-neighbour groups) and
kept for the next run; ``--fresh`` rebuilds it. Call :func:`configure` before ``django.setup()``.
"""

from __future__ import annotations

import os
import platform
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlparse, urlunparse

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "benchmarks" / "data"
NATIONAL_FILE = DATA / "ascof_national.csv"
STATIC_ROOT = DATA / "static"  # collected once (production storage: hashed names and a manifest)
NEIGHBOURS = Path("/work/shared/data/nearest_neighbours_west_midlands.json")
sys.path.insert(0, str(ROOT))

SOURCE_URL = os.environ.get("DATABASE_URL", "")
POSTGRES = SOURCE_URL.startswith(("postgres://", "postgresql://"))


def database_url() -> str:
    if POSTGRES:
        parsed = urlparse(SOURCE_URL)
        return urlunparse(parsed._replace(path="/" + (parsed.path.lstrip("/") or "scorecard") + "_pages"))
    DATA.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{DATA / 'pages.sqlite3'}"


def configure(*, fresh: bool = False) -> str:
    """Point Django at the benchmark database (production settings, DEBUG off); returns its URL."""
    url = database_url()
    if fresh:
        drop(url)
    if POSTGRES:
        _create_postgres(url)
    os.environ["DATABASE_URL"] = url
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    os.environ["DEBUG"] = "0"
    os.environ.setdefault("SECRET_KEY", "benchmark-only-secret-key-not-for-production")
    os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
    os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    os.environ["STATIC_ROOT"] = str(STATIC_ROOT)
    return url


def _postgres_admin(sql: str, params: list[str] | None = None) -> object:
    import psycopg2

    connection = psycopg2.connect(urlunparse(urlparse(SOURCE_URL)._replace(path="/postgres")))
    connection.autocommit = True
    try:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchone() if cursor.description else None
    finally:
        connection.close()


def _create_postgres(url: str) -> None:
    name = urlparse(url).path.lstrip("/")
    if _postgres_admin("SELECT 1 FROM pg_database WHERE datname = %s", [name]) is None:
        _postgres_admin(f'CREATE DATABASE "{name}"')


def drop(url: str) -> None:
    if url.startswith("sqlite"):
        Path(urlparse(url).path).unlink(missing_ok=True)
        return
    _postgres_admin(f'DROP DATABASE IF EXISTS "{urlparse(url).path.lstrip("/")}" WITH (FORCE)')


def ensure_loaded() -> str:
    """Migrate and import the national file when the database has no figures yet. Returns a summary."""
    from django.core.management import call_command

    from councils.models import Council
    from scorecard.models import Value

    call_command("migrate", verbosity=0)
    if not (STATIC_ROOT / "staticfiles.json").exists():
        call_command("collectstatic", interactive=False, verbosity=0)
    if not Value.objects.exists():
        if not NATIONAL_FILE.exists():
            subprocess.run([sys.executable, str(ROOT / "benchmarks" / "make_national_file.py")], check=True)
        from scorecard.imports.ascof import ascof_import

        started = time.perf_counter()
        outcome = ascof_import(path=NATIONAL_FILE)
        if not outcome.ok:
            raise SystemExit(f"The national file did not import: {outcome.problems[:3]}")
        print(
            f"Imported {NATIONAL_FILE.name} ({outcome.created:,} values) in {time.perf_counter() - started:.1f} s"
        )
        if NEIGHBOURS.exists():
            from councils.services import neighbours_import

            neighbours_import(path=NEIGHBOURS)
    councils = Value.objects.filter(area__kind="council").values("area").distinct().count()
    return f"{Value.objects.count():,} values, {councils} councils with figures, {Council.objects.count()} councils"


def bench_user(number: int = 0):  # type: ignore[no-untyped-def]
    """A West Midlands SLI lead (reads every page benchmarked); ``number`` > 0 gives another such user."""
    from councils.models import Membership, Region, User

    name = "bench.lead" if number == 0 else f"bench.lead{number}"
    user, _ = User.objects.get_or_create(username=name, defaults={"email": f"{name}@example.org"})
    Membership.objects.get_or_create(
        user=user, role=Membership.Role.SLI_LEAD, region=Region.objects.get(gss_code="E12000005")
    )
    return user


def machine() -> str:
    load = os.getloadavg()
    return (
        f"{platform.node()}: {os.cpu_count()} CPUs, {platform.python_implementation()} "
        f"{platform.python_version()}, load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}"
    )
