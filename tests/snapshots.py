"""Snapshots of the test database, taken and put back whole in a fraction of a second.

A transactional test (a browser test, a task worker) commits what it writes, so Django empties every table
when it ends; the next one then loads the reference data and seeds the demo figures again through the ORM
(about 1.5 s), and a test that is not transactional and runs after it finds no reference data. Instead, each
test process takes a snapshot of its database as the migrations left it, and puts it back after every
transactional test; the demo figures, seeded once, are a second snapshot.

- SQLite: the database file is copied page by page with SQLite's backup API, to and from memory.
- PostgreSQL: each table is copied out with ``COPY … TO`` and back in with ``COPY … FROM`` in one transaction
  (foreign keys checked at its end, unless the user may skip the checks), after its rows are deleted; the
  sequences follow the rows.
"""

from __future__ import annotations

import io
import sqlite3
from dataclasses import dataclass, field
from typing import Any

from django.core.management.color import no_style
from django.db import connection as default_connection
from django.db.backends.base.base import BaseDatabaseWrapper

WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE")


@dataclass
class Snapshot:
    sqlite: sqlite3.Connection | None = None
    tables: dict[str, bytes] = field(default_factory=dict)


def snapshot_take(*, connection: BaseDatabaseWrapper = default_connection) -> Snapshot:
    connection.ensure_connection()
    if connection.vendor == "sqlite":
        copy = sqlite3.connect(":memory:", check_same_thread=False)
        connection.connection.backup(copy)
        return Snapshot(sqlite=copy)
    tables = {}
    with connection.cursor() as cursor:
        for table in _tables(connection):
            buffer = io.BytesIO()
            cursor.cursor.copy_expert(f"COPY {connection.ops.quote_name(table)} TO STDOUT", buffer)
            tables[table] = buffer.getvalue()
    return Snapshot(tables=tables)


def snapshot_restore(snapshot: Snapshot, *, connection: BaseDatabaseWrapper = default_connection) -> None:
    """Put the database back as it was when ``snapshot`` was taken: every table's rows, and the sequences."""
    connection.ensure_connection()
    if snapshot.sqlite is not None:
        snapshot.sqlite.backup(connection.connection)
        return
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute("BEGIN")
        try:
            cursor.execute("SHOW is_superuser")
            if cursor.fetchone()[0] == "on":
                # The rows were copied out of a consistent database, so their foreign keys hold: as pg_dump's
                # --disable-triggers, skip checking each of them again at COMMIT (most of a restore's time).
                cursor.execute("SET LOCAL session_replication_role = replica")
            else:
                cursor.execute("SET CONSTRAINTS ALL DEFERRED")
            # Table names from Django's own introspection, quoted.
            cursor.execute(";".join(f"DELETE FROM {quote(table)}" for table in snapshot.tables))  # noqa: S608
            for table, rows in snapshot.tables.items():
                if rows:
                    cursor.cursor.copy_expert(f"COPY {quote(table)} FROM STDIN", io.BytesIO(rows))
            for statement in connection.ops.sequence_reset_sql(no_style(), _models(connection)):
                cursor.execute(statement)
            cursor.execute("COMMIT")
        except BaseException:
            cursor.execute("ROLLBACK")
            raise


def _tables(connection: BaseDatabaseWrapper) -> list[str]:
    return sorted(connection.introspection.django_table_names(only_existing=True, include_views=False))


def _models(connection: BaseDatabaseWrapper) -> list[Any]:
    from django.apps import apps

    return [model for model in apps.get_models(include_auto_created=True) if model._meta.managed]


class WriteWatch:
    """Whether this process's own connection wrote anything since ``reset()``: a snapshot of the seeded demo
    figures may only be put back over a database nothing else has written to yet."""

    def __init__(self) -> None:
        self.written = False

    def __call__(self, execute, sql, params, many, context):  # type: ignore[no-untyped-def]
        if not self.written and sql.lstrip()[:7].upper().startswith(WRITES):
            self.written = True
        return execute(sql, params, many, context)

    def reset(self) -> None:
        self.written = False
