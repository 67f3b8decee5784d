"""Backup and restore across engines (issue 16): SQLite → PostgreSQL → SQLite, nothing lost or changed.

Runs the real commands in subprocesses against scratch databases (an SQLite file and a PostgreSQL
database created for the test on 127.0.0.1:5432, or RESTORE_POSTGRES_URL), whichever engine the suite
itself runs on.
"""

import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

import psycopg2
import pytest
from django.conf import settings

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


def rows(path: Path) -> dict[str, dict]:
    """The backup as {model: {pk: fields}} (JSON objects compare equal whatever the key order)."""
    data: dict[str, dict] = {}
    for item in json.loads(path.read_text()):
        data.setdefault(item["model"], {})[json.dumps(item.get("pk"))] = item["fields"]
    return data


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


def test_export_restore_on_the_other_engine_and_back_is_identical(tmp_path, postgres_url):
    source = f"sqlite:///{tmp_path / 'source.sqlite3'}"
    manage(source, "migrate", "--noinput")
    manage(source, "seed_demo", demo=True)  # users in every role, demo figures and their import
    manage(source, "import_ascof", str(ASCOF_FILE), "--year", "2019-20")  # real figures, history
    manage(source, "create_api_token", "sli.lead", "--name", "Power BI")
    first = tmp_path / "first.json"
    assert "Exported" in manage(source, "export_all", str(first))

    manage(postgres_url, "migrate", "--noinput")
    assert "Restored" in manage(postgres_url, "import_all", str(first))
    second = tmp_path / "second.json"
    manage(postgres_url, "export_all", str(second))

    back = f"sqlite:///{tmp_path / 'back.sqlite3'}"
    manage(back, "migrate", "--noinput")
    manage(back, "import_all", str(second))
    third = tmp_path / "third.json.gz"
    manage(back, "export_all", str(third))
    import gzip

    (tmp_path / "third.json").write_bytes(gzip.decompress(third.read_bytes()))

    original = rows(first)
    for copy in (rows(second), rows(tmp_path / "third.json")):
        assert copy.keys() == original.keys()
        for model, objects in original.items():
            assert copy[model] == objects, model
    # What was asked for: every scorecard value, import record and user role came through.
    for model in ("scorecard.value", "scorecard.importrecord", "councils.membership", "councils.user"):
        assert original.get(model), f"the source had no {model} rows: the test proves nothing"


def test_restore_refuses_a_database_with_data(tmp_path):
    database = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    manage(database, "migrate", "--noinput")
    manage(database, "seed_demo", demo=True)
    backup = tmp_path / "backup.json"
    manage(database, "export_all", str(backup))
    env = {**os.environ, "DATABASE_URL": database, "DEBUG": "1", "DJANGO_SETTINGS_MODULE": "config.settings"}
    result = subprocess.run(  # noqa: S603 (fixed arguments: this interpreter and manage.py)
        [sys.executable, "manage.py", "import_all", str(backup)],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode != 0
    assert "the database is not empty" in result.stderr
