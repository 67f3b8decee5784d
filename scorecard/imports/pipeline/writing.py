"""Writing values set-based, with their history rows, and the blanking guard."""

from __future__ import annotations

import csv
import io
import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from decimal import Context, Decimal
from typing import Any

from django.db import DatabaseError, connection, models, transaction
from django.utils import timezone

from councils.services import demo_neighbours_remove
from scorecard.imports.pipeline.cells import QUANT
from scorecard.imports.pipeline.outcome import Counts, Problems, Progress, collection_paused, report_progress
from scorecard.models import Area, ImportRecord, Measure, Period, Value
from scorecard.periods import period_get_or_create, period_label

logger = logging.getLogger(__name__)

BATCH_SIZE = 2000


VALUE_FIELDS = ("value", "status", "numerator", "denominator", "base", "margin_of_error", "note")
DECIMAL_FIELDS = frozenset({"value", "numerator", "denominator", "base", "margin_of_error"})
_FLOAT_CONTEXT = Context(prec=15)  # as Django turns SQLite's REAL back into a Decimal


def _dec(value: Any) -> Decimal | None:
    if value is None:
        return None
    if isinstance(value, Decimal):
        return value.quantize(QUANT)
    if isinstance(value, float):
        return _FLOAT_CONTEXT.create_decimal_from_float(value).quantize(QUANT)
    return Decimal(value).quantize(QUANT)


def show_number(number: Decimal | None) -> str:
    """A stored number as people write it: 19.500000 → 19.5."""
    if number is None:
        return ""
    text = format(number.normalize(), "f")
    return "0" if text in ("-0", "") else text


def upsert_values(
    *,
    desired: dict[tuple[int, int, int, str], dict[str, Any]],
    record: ImportRecord,
    user: Any,
    counts: Counts,
    step: Callable[[float], None] | None = None,
    allow_blanking: bool = True,
    problems: Problems | None = None,
) -> None:
    """Create or update Values keyed by (measure_id, period_id, area_id, breakdown), with history.

    Each entry of ``desired`` holds only the fields the file gives for that value; others are left as
    they are. Values whose given fields are already equal are left alone (no write, no history row).
    Every published figure (status "ok" with a number) that the file changes or removes is listed in
    ``counts.changes``; if any would be removed and ``allow_blanking`` is off, a problem is added and
    nothing is written. Writes are set-based (one statement per batch, history rows included), not one
    ORM save per value. ``step(fraction)`` reports progress through the writes.
    """
    if not desired:
        return
    with collection_paused():
        _upsert_values(desired, record, user, counts, step, allow_blanking, problems)


def _upsert_values(
    desired: dict[tuple[int, int, int, str], dict[str, Any]],
    record: ImportRecord,
    user: Any,
    counts: Counts,
    step: Callable[[float], None] | None,
    allow_blanking: bool,
    problems: Problems | None,
) -> None:
    # Only the fields the file gives (and the headline, for the change report) are read to compare;
    # the values that will be updated are then read whole.
    given: set[str] = {"value", "status"}
    for fields in desired.values():
        given.update(fields)
    compared = [name for name in VALUE_FIELDS if name in given]
    existing = _existing_values({key[0] for key in desired}, {key[1] for key in desired}, compared)
    to_create: list[tuple[tuple[int, int, int, str], dict[str, Any]]] = []
    to_update: list[tuple[int, tuple[int, int, int, str], dict[str, Any]]] = []
    changes: list[tuple[int, tuple[int, int, int, str], Decimal, Decimal | None, str]] = []
    dec = _DecimalCache()
    at = {name: i for i, name in enumerate(compared, start=1)}  # position in an existing row
    ok = Value.Status.OK
    unchanged = 0
    stale: list[tuple[tuple[int, int, int, str], dict[str, Any], int, bool]] = []
    for key, fields in desired.items():
        row = existing.get(key)
        if row is None:
            to_create.append((key, fields))
            continue
        is_demo = bool(row[-1])
        if not is_demo:
            for name, new in fields.items():
                old = row[at[name]]
                if (dec(old) if name in DECIMAL_FIELDS else old) != new:
                    break
            else:
                unchanged += 1
                continue
        stale.append((key, fields, row[0], is_demo))
    counts.unchanged += unchanged
    whole = _values_by_id([value_id for _, _, value_id, _ in stale])
    for key, fields, value_id, is_demo in stale:
        old_fields = {
            name: (dec(old) if name in DECIMAL_FIELDS else old)
            for name, old in zip(VALUE_FIELDS, whole[value_id], strict=True)
        }
        if (
            not is_demo
            and "value" in fields
            and old_fields["status"] == ok
            and old_fields["value"] is not None
        ):
            new_status = fields.get("status", old_fields["status"])
            new_value = fields["value"]
            old_value = old_fields["value"]
            if new_status != ok or new_value is None or new_value != old_value:
                changes.append((value_id, key, old_value, new_value, new_status))
        old_fields.update(fields)
        to_update.append((value_id, key, old_fields))

    counts.changes = _describe_changes(changes)
    removed = sum(1 for change in counts.changes if change["kind"] == "removed")
    if removed and not allow_blanking and problems is not None:
        problems.add(
            f"the file would remove {removed:,} published figure(s) (each is listed with its old value); "
            "nothing was imported. If the figures really are withdrawn, import again allowing it "
            "(--allow-blanking)"
        )
        return

    history_user_id = getattr(user, "pk", None)
    reason = f"Imported from {record.file_name}"[:100]
    total = len(to_create) + len(to_update)
    writer = _ValueWriter(record_id=record.pk, user_id=history_user_id, reason=reason)
    done = 0
    with foreign_keys_checked_once(model=Value, rows=total):
        for start in range(0, len(to_create), BATCH_SIZE):
            writer.create(to_create[start : start + BATCH_SIZE])
            done += len(to_create[start : start + BATCH_SIZE])
            if step:
                step(done / total)
        if to_create:
            writer.history(history_type="+")  # before the updates: the values of this import are the new ones
        for start in range(0, len(to_update), BATCH_SIZE):
            writer.update(to_update[start : start + BATCH_SIZE])
            done += len(to_update[start : start + BATCH_SIZE])
            if step:
                step(done / total)
        if to_update:
            writer.history(history_type="~")
    counts.created += len(to_create)
    counts.updated += len(to_update)


# A load of at least this many rows that at least doubles the table checks its foreign keys once.
BULK_LOAD_ROWS = 5_000
# How long the load waits for the locks it needs to do so before it checks row by row instead.
BULK_LOAD_LOCK_TIMEOUT = "2s"


@contextmanager
def foreign_keys_checked_once(*, model: type[models.Model], rows: int) -> Iterator[bool]:
    """PostgreSQL, for a load that at least doubles ``model``'s table: check its foreign keys once for
    the whole table at the end of the load instead of once per row and key at commit.

    Django's foreign keys are deferred constraints: PostgreSQL queues a check for each key of each row
    written and runs them one by one at commit (0.7 s of a 32,732-row national import, four keys each).
    Here, inside the import's transaction, the table's foreign keys are dropped before the load and added
    back after it, exactly as they were (``pg_get_constraintdef``): adding one checks every row in one
    join (~0.1 s). This is PostgreSQL's own advice for populating a database. A row that breaks a key
    fails the import as before, and a rollback restores the constraints with everything else.

    The cost is locking: from the drop to the commit the table and the tables it references (areas,
    measures, periods, import records) are locked against reads too. So it is done only for large loads
    that at least double the table (a first import, a new collection of this size), only if the locks
    come within ``BULK_LOAD_LOCK_TIMEOUT`` and the database user may alter the table; otherwise nothing
    changes and the keys are checked row by row. Yields whether the keys were dropped.
    """
    dropped = _foreign_keys_drop(model=model, rows=rows)
    yield bool(dropped)
    if dropped:
        table = connection.ops.quote_name(model._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(  # names and definitions from the catalogue
                f"ALTER TABLE {table} "
                + ", ".join(
                    f"ADD CONSTRAINT {connection.ops.quote_name(name)} {definition}"
                    for name, definition in dropped
                )
            )


def _foreign_keys_drop(*, model: type[models.Model], rows: int) -> list[tuple[str, str]]:
    """The foreign keys (name, definition) dropped for :func:`foreign_keys_checked_once`; [] if none."""
    if connection.vendor != "postgresql" or rows < BULK_LOAD_ROWS:
        return []
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM (SELECT 1 FROM {table} LIMIT %s) AS present", [rows + 1])  # noqa: S608 (a model's table)
        if cursor.fetchone()[0] > rows:
            return []
        cursor.execute(
            "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE contype = 'f' AND conrelid = %s::regclass ORDER BY conname",
            [table],
        )
        keys = cursor.fetchall()
        if not keys:
            return []
        cursor.execute("SELECT current_setting('lock_timeout')")
        previous = cursor.fetchone()[0]
        try:
            with transaction.atomic():  # a savepoint: a refused drop leaves the import's transaction usable
                cursor.execute("SELECT set_config('lock_timeout', %s, true)", [BULK_LOAD_LOCK_TIMEOUT])
                # Rows written earlier in the transaction (new areas) wait for their checks at commit, and
                # a table with checks waiting cannot be altered: run those checks now (a few hundred).
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                cursor.execute("SET CONSTRAINTS ALL DEFERRED")
                cursor.execute(  # names from the catalogue
                    f"ALTER TABLE {table} "
                    + ", ".join(f"DROP CONSTRAINT {connection.ops.quote_name(name)}" for name, _ in keys)
                )
                cursor.execute("SELECT set_config('lock_timeout', %s, true)", [previous])
        except DatabaseError as error:  # locked, not the table's owner, pending trigger events, ...
            logger.info("Checking %s's foreign keys row by row: %s", table, error)
            return []
    return keys


def _existing_values(
    measure_ids: set[int], period_ids: set[int], fields: list[str]
) -> dict[tuple[int, int, int, str], tuple]:
    """Existing values of these measures and periods, read as plain rows (no model instances):
    ``{(measure_id, period_id, area_id, breakdown): (id, *fields, is_demo)}``."""
    queryset = Value.objects.filter(measure_id__in=measure_ids, period_id__in=period_ids).values_list(
        "measure_id", "period_id", "area_id", "breakdown", "id", *fields, "is_demo"
    )
    return {row[:4]: row[4:] for row in _raw_rows(queryset)}


def _values_by_id(ids: list[int]) -> dict[int, tuple]:
    """``{id: (*VALUE_FIELDS)}`` of these values, read as plain rows."""
    whole: dict[int, tuple] = {}
    for start in range(0, len(ids), 500):
        queryset = Value.objects.filter(id__in=ids[start : start + 500]).values_list("id", *VALUE_FIELDS)
        whole.update((row[0], row[1:]) for row in _raw_rows(queryset))
    return whole


def _raw_rows(queryset: Any) -> list[tuple]:
    """The rows of a values_list queryset as the database driver gives them (no ORM conversion)."""
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


class _DecimalCache:
    """``_dec`` of stored numbers, each distinct one converted once (a national file repeats them)."""

    def __init__(self) -> None:
        self.known: dict[Any, Decimal | None] = {None: None}

    def __call__(self, value: Any) -> Decimal | None:
        try:
            return self.known[value]
        except KeyError:
            result = self.known[value] = _dec(value)
            return result


def _describe_changes(
    changes: list[tuple[int, tuple[int, int, int, str], Decimal, Decimal | None, str]],
) -> list[dict[str, Any]]:
    """Published figures changed or removed, with readable labels, in catalogue order."""
    if not changes:
        return []
    measures = Measure.objects.in_bulk({key[0] for _, key, *_ in changes})
    periods = Period.objects.in_bulk({key[1] for _, key, *_ in changes})
    areas = Area.objects.in_bulk({key[2] for _, key, *_ in changes})
    described = []
    for _value_id, key, old, new, new_status in changes:
        measure, period, area = measures[key[0]], periods[key[1]], areas[key[2]]
        removed = new_status != Value.Status.OK or new is None
        described.append(
            {
                "kind": "removed" if removed else "changed",
                "measure": measure.code,
                "period": period.label,
                "area": area.name,
                "area_code": area.key,
                "breakdown": key[3],
                "old": show_number(old),
                "new": show_number(new) if not removed else "",
                "new_status": str(Value.Status(new_status).label) if removed else "",
            }
        )
    described.sort(key=lambda c: (c["measure"], c["period"], c["area"], c["breakdown"]))
    return described


# A value's stored columns but its id, in the order the set-based writes use.
VALUE_COLUMNS = [
    "measure_id",
    "period_id",
    "area_id",
    "breakdown",
    *VALUE_FIELDS,
    "is_demo",
    "source_import_id",
]


class _ValueWriter:
    """Set-based writes of values and their history rows (the django-simple-history table)."""

    def __init__(self, *, record_id: int, user_id: int | None, reason: str) -> None:
        self.record_id = record_id
        self.user_id = user_id
        self.reason = reason
        self.quote = connection.ops.quote_name
        self.postgres = connection.vendor == "postgresql"

    def _many(self, sql: str, rows: list[tuple], template: str | None = None) -> None:
        if not rows:
            return
        with connection.cursor() as cursor:
            if self.postgres:
                from psycopg2.extras import execute_values

                execute_values(cursor.cursor, sql, rows, template=template, page_size=BATCH_SIZE)
            else:
                placeholders = template or "(" + ", ".join(["%s"] * len(rows[0])) + ")"
                cursor.executemany(sql.replace("VALUES %s", "VALUES " + placeholders), rows)

    def create(self, batch: list[tuple[tuple[int, int, int, str], dict[str, Any]]]) -> None:
        columns = VALUE_COLUMNS
        rows = []
        for key, fields in batch:
            rows.append(
                (
                    *key,
                    fields.get("value"),
                    fields.get("status", Value.Status.OK),
                    fields.get("numerator"),
                    fields.get("denominator"),
                    fields.get("base"),
                    fields.get("margin_of_error"),
                    fields.get("note", ""),
                    False,
                    self.record_id,
                )
            )
        table = self.quote(Value._meta.db_table)
        if self.postgres:
            self._copy(table, columns, rows, text_columns=("breakdown", "status", "note"))
            return
        self._many(f"INSERT INTO {table} ({', '.join(columns)}) VALUES %s", rows)  # noqa: S608 (table and column names from the models)

    def _copy(
        self, table: str, columns: list[str], rows: list[tuple], *, text_columns: tuple[str, ...]
    ) -> None:
        """PostgreSQL: load rows with ``COPY … FROM STDIN`` (CSV), several times faster than INSERTs.
        None is written as an empty field, which COPY reads as NULL except in ``text_columns``
        (read as the empty string, as the ORM would store it)."""
        buffer = io.StringIO()
        csv.writer(buffer, lineterminator="\n").writerows(rows)
        buffer.seek(0)
        with connection.cursor() as cursor:
            cursor.cursor.copy_expert(
                f"COPY {table} ({', '.join(columns)}) FROM STDIN "
                f"WITH (FORMAT csv, FORCE_NOT_NULL ({', '.join(text_columns)}))",
                buffer,
            )

    def update(self, batch: list[tuple[int, tuple[int, int, int, str], dict[str, Any]]]) -> None:
        table = self.quote(Value._meta.db_table)
        rows = [
            (*(merged[name] for name in VALUE_FIELDS), self.record_id, value_id)
            for value_id, _, merged in batch
        ]
        if self.postgres:
            names = ", ".join([*VALUE_FIELDS, "source_import_id", "id"])
            sets = ", ".join(f"{name} = v.{name}" for name in (*VALUE_FIELDS, "source_import_id"))
            template = "(%s::numeric, %s, %s::numeric, %s::numeric, %s::numeric, %s::numeric, %s, %s::bigint, %s::bigint)"
            sql = f"UPDATE {table} SET {sets}, is_demo = false FROM (VALUES %s) AS v({names}) WHERE {table}.id = v.id"  # noqa: S608 (table and column names from the models)
            self._many(sql, rows, template)
        else:
            sets = ", ".join(f"{name} = %s" for name in (*VALUE_FIELDS, "source_import_id"))
            with connection.cursor() as cursor:
                cursor.executemany(
                    f"UPDATE {table} SET {sets}, is_demo = %s WHERE id = %s",  # noqa: S608 (table and column names from the models)
                    [(*row[:-1], False, row[-1]) for row in rows],
                )

    def history(self, *, history_type: str) -> None:
        """One history row per value this import created ("+") or changed ("~"), as django-simple-history
        writes them, copied by the database from the values just written (no row passes through Python).

        "+" must run after the inserts and before the updates (the values of this import are then exactly
        the new ones); "~" after the updates takes this import's values that got no "+" row.
        """
        where, params = "v.source_import_id = %s", [self.record_id]
        if history_type == "~":
            history_table = connection.ops.quote_name(Value.history.model._meta.db_table)
            where += (
                f" AND v.id NOT IN (SELECT h.id FROM {history_table} h "  # noqa: S608 (names from the models)
                "WHERE h.source_import_id = %s AND h.history_type = '+')"
            )
            params.append(self.record_id)
        history_copy(
            where=where, params=params, history_type=history_type, reason=self.reason, user_id=self.user_id
        )


def history_copy(
    *, where: str, params: list[Any], history_type: str, reason: str, user_id: int | None
) -> None:
    """History rows, as django-simple-history writes them, for the values ``v`` matching ``where``: copied
    by the database ("+" created, "~" changed, "-" about to be deleted), all with one date, user and reason."""
    history_model = Value.history.model
    when = connection.ops.adapt_datetimefield_value(timezone.now())
    copied = ["id", *VALUE_COLUMNS]
    columns = [*copied, "history_date", "history_change_reason", "history_type", "history_user_id"]
    table = connection.ops.quote_name(Value._meta.db_table)
    history_table = connection.ops.quote_name(history_model._meta.db_table)
    sql = (
        f"INSERT INTO {history_table} ({', '.join(columns)}) "  # noqa: S608 (table and column names from the models)
        f"SELECT {', '.join('v.' + name for name in copied)}, %s, %s, %s, %s FROM {table} v "
        f"WHERE {where} ORDER BY v.id"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [when, reason[:100], history_type, user_id, *params])


def delete_demo_values(counts: Counts) -> None:
    """On real import: real figures replace synthetic ones. Remove every demo value (its history records
    the deletion). This is the one place both imports (ASCOF and local, web and command line) do it, inside
    their write transaction; anything else demo data must lose on a real import belongs here too.

    Set-based: the "-" history rows are copied by the database and the values deleted in one statement
    (the ORM's delete sent a signal and wrote a history row per value: a second for one region's figures).
    The import's ``rows_written`` after its write covers it (``run_import``)."""
    history_copy(
        where="v.is_demo = %s",
        params=[True],
        history_type="-",
        reason="Demo figure removed: real figures imported",
        user_id=None,
    )
    table = connection.ops.quote_name(Value._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table} WHERE is_demo = %s", [True])  # noqa: S608 (a model's table)
        deleted = cursor.rowcount
    counts.summary["demo_values_deleted"] = deleted
    counts.summary["demo_neighbours_deleted"] = demo_neighbours_remove()


def figures_write(
    *,
    figures: dict[tuple[int, int, int, str], dict[str, Any]],
    rows: int,
    record: ImportRecord,
    user: Any,
    counts: Counts,
    progress: Progress | None,
    allow_blanking: bool,
    problems: Problems | None,
) -> None:
    """Write an import's checked figures, keyed (measure id, start year, area id, breakdown): their periods
    made where new, then every value upserted with its history and the blanking guard (``upsert_values``).
    Progress runs through the second half of the import's ``rows`` (the checks were the first)."""
    periods = {start: period_get_or_create(start_year=start).pk for start in {key[1] for key in figures}}
    counts.summary["years"] = [period_label(start) for start in sorted(periods)]
    desired = {
        (measure_id, periods[start], area_id, breakdown): fields
        for (measure_id, start, area_id, breakdown), fields in figures.items()
    }

    def step(fraction: float) -> None:
        report_progress(progress, rows + round(rows * fraction), rows * 2)

    upsert_values(
        desired=desired,
        record=record,
        user=user,
        counts=counts,
        step=step,
        allow_blanking=allow_blanking,
        problems=problems,
    )
    report_progress(progress, rows * 2, rows * 2)
