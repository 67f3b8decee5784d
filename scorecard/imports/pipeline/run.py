"""The one shape of every import: validated first, then written in one transaction, with its import record."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import connection, transaction

from core.cache import rows_written
from councils.models import NearestNeighbour
from scorecard.imports.pipeline.outcome import (
    MAX_PROBLEMS_RECORDED,
    Counts,
    ImportOutcome,
    Problems,
    Progress,
)
from scorecard.imports.pipeline.reading import RawFile
from scorecard.models import Area, ImportRecord, Value


class Rollback(Exception):
    """Raised inside the write transaction to undo a dry run."""


def run_planned_import(
    *,
    kind: str,
    raw: RawFile | None,
    file_name: str,
    problems: Problems,
    counts: Counts,
    dry_run: bool,
    user: Any,
    plan: Any,
    write_plan: Callable[..., None],
    progress: Progress | None,
    allow_blanking: bool,
    into: ImportRecord | None = None,
) -> ImportOutcome:
    """:func:`run_import` for a file validated into ``plan`` (None: it had problems, nothing is written).

    ``write_plan(plan, record, user, counts, progress, allow_blanking=..., problems=...)`` writes it; a dry
    run lists the figures it would blank instead of stopping on them.
    """

    def write(record: ImportRecord) -> None:
        write_plan(
            plan, record, user, counts, progress, allow_blanking=allow_blanking or dry_run, problems=problems
        )

    return run_import(
        kind=kind,
        raw=raw,
        file_name=file_name,
        problems=problems,
        counts=counts,
        dry_run=dry_run,
        user=user,
        write=write if plan is not None else None,
        into=into,
        plan=plan,
    )


def run_import(
    *,
    kind: str,
    raw: RawFile | None,
    file_name: str,
    problems: Problems,
    counts: Counts,
    dry_run: bool,
    user: Any,
    write: Callable[[ImportRecord], None] | None,
    into: ImportRecord | None = None,
    preview_of: ImportRecord | None = None,
    plan: Any = None,
) -> ImportOutcome:
    """Write (if there are no problems) in one transaction, then return the outcome and its record.

    ``write(record)`` does the work inside ``transaction.atomic()``; a problem it adds rolls everything
    back. FAILED and PREVIEWED records are written after the rolled-back transaction.
    """
    applied_record: ImportRecord | None = None
    if not problems and write is not None:
        try:
            with transaction.atomic():
                record = _new_record(kind, raw, file_name, user, ImportRecord.Status.APPLIED)
                record.preview_of = preview_of
                record.save()
                write(record)
                if problems:
                    raise Rollback
                _fill_record(record, counts, problems, dry_run)
                record.save()
                if dry_run:
                    raise Rollback
                applied_record = record
                rows_written(Value, NearestNeighbour)  # set-based (COPY, bulk writes): now and on commit
        except Rollback:
            pass
        if applied_record is not None and (counts.created or counts.updated):
            analyze_after_import()
    ok = not problems
    if applied_record is None:
        status = ImportRecord.Status.PREVIEWED if ok else ImportRecord.Status.FAILED
        if not ok:
            counts.created = counts.updated = counts.unchanged = 0
        if into is not None:
            record = into
            record.status = status
            record.sha256 = raw.sha256 if raw else record.sha256
            record.size_bytes = raw.size if raw else record.size_bytes
        else:
            record = _new_record(kind, raw, file_name, user, status)
        _fill_record(record, counts, problems, dry_run)
        record.save()
        applied_record = record
    return ImportOutcome(
        ok=ok,
        dry_run=dry_run,
        problems=list(problems.items),
        problem_count=problems.count,
        rows_read=counts.rows_read,
        created=counts.created,
        updated=counts.updated,
        unchanged=counts.unchanged,
        skipped=counts.skipped,
        skipped_reasons=dict(counts.skipped_reasons),
        record=applied_record,
        changes=list(counts.changes),
        plan=plan if ok else None,
    )


def analyze_after_import() -> None:
    """On PostgreSQL, refresh the planner's statistics of the tables pages read that an import fills (a
    first national import turns an empty table into 30,000 rows; stale statistics would keep choosing
    plans for 0). Not the history table: pages never read it, and autovacuum analyses it in its time."""
    if connection.vendor != "postgresql":
        return
    tables = [Value._meta.db_table, Area._meta.db_table]
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE " + ", ".join(connection.ops.quote_name(name) for name in tables))


def _new_record(kind: str, raw: RawFile | None, file_name: str, user: Any, status: str) -> ImportRecord:
    return ImportRecord(
        kind=kind,
        status=status,
        file_name=file_name[:255],
        sha256=raw.sha256 if raw else "",
        size_bytes=raw.size if raw else 0,
        imported_by=user if getattr(user, "pk", None) else None,
    )


def _fill_record(record: ImportRecord, counts: Counts, problems: Problems, dry_run: bool) -> None:
    record.rows_read = counts.rows_read
    record.created = counts.created
    record.updated = counts.updated
    record.unchanged = counts.unchanged
    record.skipped = counts.skipped
    record.problem_count = problems.count
    record.problems = [problem.as_dict() for problem in problems.items[:MAX_PROBLEMS_RECORDED]]
    record.changes = list(counts.changes)
    record.removed_count = sum(1 for change in counts.changes if change["kind"] == "removed")
    record.changed_count = len(counts.changes) - record.removed_count
    record.summary = {
        **counts.summary,
        "dry_run": dry_run,
        "skipped_reasons": dict(counts.skipped_reasons),
    }
