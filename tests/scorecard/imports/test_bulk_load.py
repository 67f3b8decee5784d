"""A large first load checks the value table's foreign keys once (PostgreSQL), keeps them all,
and falls back to row-by-row checks when it cannot take the locks. On SQLite the keys are never touched;
the same assertions hold."""

import logging
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext

from scorecard.imports.pipeline import writing
from scorecard.models import Value
from tests.files import REAL_FILE

pytestmark = pytest.mark.django_db


def foreign_keys() -> set[tuple[str, tuple[str, str]]]:
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, Value._meta.db_table)
    return {(c["columns"][0], tuple(c["foreign_key"])) for c in constraints.values() if c["foreign_key"]}


def assert_keys_hold() -> None:
    """A value pointing at a measure that does not exist is refused."""
    row = Value.objects.first()
    with pytest.raises(IntegrityError), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {Value._meta.db_table} SET measure_id = %s WHERE id = %s",  # noqa: S608
                [10**9, row.pk],
            )
        connection.check_constraints(table_names=[Value._meta.db_table])


def test_a_large_first_load_checks_the_keys_once_and_keeps_them(caplog):
    before = foreign_keys()
    assert {column for column, _ in before} == {"measure_id", "period_id", "area_id", "source_import_id"}
    caplog.set_level(logging.INFO, logger="scorecard.imports.pipeline.writing")
    with CaptureQueriesContext(connection) as queries:
        call_command("import_ascof", str(REAL_FILE), stdout=StringIO(), stderr=StringIO())
    assert Value.objects.count() >= writing.BULK_LOAD_ROWS
    dropped = [q["sql"] for q in queries if "DROP CONSTRAINT" in q["sql"]]
    added = [q["sql"] for q in queries if "ADD CONSTRAINT" in q["sql"]]
    postgres = connection.vendor == "postgresql"
    assert (len(dropped), len(added)) == ((1, 1) if postgres else (0, 0))
    assert "row by row" not in caplog.text
    assert foreign_keys() == before
    assert_keys_hold()


def test_a_load_that_cannot_lock_the_tables_checks_row_by_row(caplog, monkeypatch, django_db_blocker):
    """Another session reading the areas holds a lock the drop would wait for: after the lock timeout the
    import goes on with the keys in place."""
    monkeypatch.setattr(writing, "BULK_LOAD_LOCK_TIMEOUT", "100ms")
    caplog.set_level(logging.INFO, logger="scorecard.imports.pipeline.writing")
    before = foreign_keys()
    reader = None
    if connection.vendor == "postgresql":
        import psycopg2

        settings = connection.settings_dict
        reader = psycopg2.connect(
            dbname=settings["NAME"],
            user=settings["USER"],
            host=settings["HOST"],
            port=settings["PORT"] or 5432,
            password=settings["PASSWORD"],
        )
        reader.cursor().execute("SELECT 1 FROM scorecard_area LIMIT 1")  # a transaction holding a read lock
    try:
        call_command("import_ascof", str(REAL_FILE), stdout=StringIO(), stderr=StringIO())
    finally:
        if reader is not None:
            reader.rollback()
            reader.close()
    assert Value.objects.count() >= writing.BULK_LOAD_ROWS
    assert ("row by row" in caplog.text) == (connection.vendor == "postgresql")
    assert foreign_keys() == before
    assert_keys_hold()


def test_a_small_load_or_a_load_into_a_larger_table_is_left_to_the_row_checks(monkeypatch):
    call_command("import_ascof", str(REAL_FILE), stdout=StringIO(), stderr=StringIO())  # 8,768 values
    present = Value.objects.count()

    def drops(rows: int) -> bool:
        with transaction.atomic():
            dropped = writing._foreign_keys_drop(model=Value, rows=rows)
            transaction.set_rollback(True)  # put them back
        return bool(dropped)

    monkeypatch.setattr(writing, "BULK_LOAD_ROWS", 10)
    assert not drops(present - 1)  # the table holds more than the load
    assert drops(present) == (connection.vendor == "postgresql")  # the load at least doubles it
    monkeypatch.setattr(writing, "BULK_LOAD_ROWS", present + 1)
    assert not drops(present)  # too small a load
    assert foreign_keys() and assert_keys_hold() is None
