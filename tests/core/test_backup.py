"""Backup and restore across engines: SQLite → PostgreSQL → SQLite, nothing lost or changed.

Runs the real commands in subprocesses against scratch databases (an SQLite file and a PostgreSQL
database created for the test on 127.0.0.1:5432, or RESTORE_POSTGRES_URL), whichever engine the suite
itself runs on.
"""

import gzip
import json
import os
import shutil
import subprocess
import sys
import tempfile
import uuid
from pathlib import Path
from xml.etree import ElementTree

import psycopg2
import pytest
from django.conf import settings

pytestmark = pytest.mark.long

BASE_DIR = Path(settings.BASE_DIR)
POSTGRES = os.environ.get("RESTORE_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432")
ASCOF_FILE = BASE_DIR / "tests/data/good/meas-from-asc-of-eng-2019-20.csv"


def manage(database_url: str, *args: str, demo: bool = False) -> str:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DATABASE_URL": database_url,
        "DEBUG": "1",
        "DEMO_MODE": "1" if demo else "0",
    }
    result = subprocess.run(  # noqa: S603 (fixed arguments: this interpreter and manage.py)
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert result.returncode == 0, (
        f"manage.py {' '.join(args)}:\n{result.stdout[-2000:]}{result.stderr[-3000:]}"
    )
    return result.stdout


def rows(path: Path) -> dict[tuple[str, str], dict]:
    """The backup (Django XML, gzipped or not) as {(model, pk): {field: value}}.

    JSON fields are compared as data (PostgreSQL's jsonb orders keys its own way); everything else,
    times included to the microsecond, as the exact text written.
    """
    data = path.read_bytes()
    if path.name.endswith(".gz"):
        data = gzip.decompress(data)
    result = {}
    for element in ElementTree.fromstring(data).iter("object"):  # noqa: S314 (our own test output)
        fields = {}
        for child in element:
            if child.get("type") == "JSONField" and child.text:
                fields[child.get("name")] = json.loads(child.text)
            else:
                fields[child.get("name")] = ElementTree.tostring(child, encoding="unicode").strip()
        result[(element.get("model"), element.get("pk"))] = fields
    return result


@pytest.fixture
def postgres_url():
    name = f"sli_restore_{uuid.uuid4().hex[:10]}"
    admin = psycopg2.connect(f"{POSTGRES}/postgres")
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')
    yield f"{POSTGRES}/{name}"
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.close()


def scratch_folder(tmp_path_factory) -> Path:  # type: ignore[no-untyped-def]
    """Scratch SQLite files in memory (/dev/shm) where the machine has it: migrating commits a few hundred
    times, and on a disk each commit waits for it."""
    if os.access("/dev/shm", os.W_OK):  # noqa: S108
        return Path(tempfile.mkdtemp(prefix="sli-backup-", dir="/dev/shm"))
    return tmp_path_factory.mktemp("backup")


def copy_sqlite(source: Path, target: Path) -> None:
    """Copy an SQLite database closed by its process, with its write-ahead log if one is left."""
    shutil.copyfile(source, target)
    wal = source.with_name(source.name + "-wal")
    if wal.exists():
        shutil.copyfile(wal, target.with_name(target.name + "-wal"))


@pytest.fixture(scope="module")
def source(tmp_path_factory):  # type: ignore[no-untyped-def]
    """An SQLite database with something in every table that matters, and its export; plus a copy of the
    same database just migrated (reference data only), to restore into."""
    folder = scratch_folder(tmp_path_factory)
    database = folder / "source.sqlite3"
    url = f"sqlite:///{database}"
    manage(url, "migrate", "--noinput")
    copy_sqlite(database, folder / "migrated.sqlite3")  # migrating once is enough
    manage(url, "seed_demo", demo=True)  # users in every role, demo figures and their import
    manage(url, "import_ascof", str(ASCOF_FILE), "--year", "2019-20")  # real figures, history
    manage(url, "create_api_token", "sli.lead", "--name", "Power BI")
    backup = folder / "first.xml"
    assert "Exported" in manage(url, "export_all", str(backup))
    yield {"url": url, "backup": backup, "migrated": folder / "migrated.sqlite3", "folder": folder}
    shutil.rmtree(folder, ignore_errors=True)


def test_export_restore_on_the_other_engine_and_back_is_identical(source, tmp_path, postgres_url):
    first = source["backup"]

    manage(postgres_url, "migrate", "--noinput")
    assert "Restored" in manage(postgres_url, "import_all", str(first))
    second = tmp_path / "second.xml"
    manage(postgres_url, "export_all", str(second))

    back_file = source["folder"] / "back.sqlite3"
    copy_sqlite(source["migrated"], back_file)  # as `migrate` leaves it
    back = f"sqlite:///{back_file}"
    manage(back, "import_all", str(second))
    third = tmp_path / "third.xml.gz"
    manage(back, "export_all", str(third))

    original = rows(first)
    for copy in (rows(second), rows(third)):
        assert copy.keys() == original.keys()
        different = [key for key, fields in original.items() if copy[key] != fields]
        assert not different, (
            f"{len(different)} rows differ, e.g. {different[0]}: {original[different[0]]} != {copy[different[0]]}"
        )
    models = {model for model, _ in original}
    # What was asked for: every scorecard value, import record and user role came through.
    for model in ("scorecard.value", "scorecard.importrecord", "councils.membership", "councils.user"):
        assert model in models, f"the source had no {model} rows: the test proves nothing"


def test_restore_refuses_a_database_with_data(source):
    env = {
        **os.environ,
        "DATABASE_URL": source["url"],
        "DEBUG": "1",
        "DJANGO_SETTINGS_MODULE": "config.settings",
    }
    result = subprocess.run(  # noqa: S603 (fixed arguments: this interpreter and manage.py)
        [sys.executable, "manage.py", "import_all", str(source["backup"])],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode != 0
    assert "the database is not empty" in result.stderr
