"""Shared parts of the file imports: problems, outcomes, reading files safely, parsing cells, writing values.

Every import follows the same shape: read and validate everything first, collecting every problem with
the file, the spreadsheet row (header = row 1) and the column; then, only if there is none, write in one
``transaction.atomic()``. An :class:`~scorecard.models.ImportRecord` is written in every case: APPLIED
inside the transaction, or FAILED / PREVIEWED after the rolled-back transaction.
"""

from __future__ import annotations

import hashlib
import io
import math
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import pandas as pd
from django.conf import settings
from django.db import transaction
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from councils.services import demo_neighbours_remove
from scorecard.models import ImportRecord, Measure, Unit, Value

MAX_PROBLEMS_KEPT = 10_000  # in ImportOutcome.problems; problem_count is always the full count
MAX_PROBLEMS_RECORDED = 50  # in ImportRecord.problems
BATCH_SIZE = 2000

Progress = Callable[[int, int], None]


@dataclass
class Problem:
    """One reason a file cannot be imported, located as precisely as possible."""

    file: str
    row: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        where = [self.file]
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column:
            where.append(f"column {self.column}")
        return f"{', '.join(where)}: {self.message}"

    def as_dict(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "row": self.row,
            "column": self.column,
            "message": self.message,
            "text": str(self),
        }


@dataclass
class ImportOutcome:
    ok: bool
    dry_run: bool
    problems: list[Problem]
    problem_count: int
    rows_read: int
    created: int
    updated: int
    unchanged: int
    skipped: int
    skipped_reasons: dict[str, int]
    record: ImportRecord | None

    def summary(self) -> str:
        text = (
            f"{self.rows_read} rows read: {self.created} created, {self.updated} updated, "
            f"{self.unchanged} unchanged, {self.skipped} skipped"
        )
        if self.skipped_reasons:
            text += " (" + "; ".join(f"{reason}: {n}" for reason, n in self.skipped_reasons.items()) + ")"
        return text


class Problems:
    """Collects problems for one file; keeps the first MAX_PROBLEMS_KEPT and counts all of them."""

    def __init__(self, file_name: str) -> None:
        self.file = file_name
        self.items: list[Problem] = []
        self.count = 0

    def add(self, message: str, *, row: int | None = None, column: str | None = None) -> None:
        self.count += 1
        if len(self.items) < MAX_PROBLEMS_KEPT:
            self.items.append(Problem(self.file, row, column, message))

    def __bool__(self) -> bool:
        return self.count > 0


@dataclass
class Counts:
    rows_read: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped_reasons: dict[str, int] = field(default_factory=dict)
    summary: dict[str, Any] = field(default_factory=dict)

    def skip(self, reason: str, n: int = 1) -> None:
        self.skipped_reasons[reason] = self.skipped_reasons.get(reason, 0) + n

    @property
    def skipped(self) -> int:
        return sum(self.skipped_reasons.values())


class Rollback(Exception):
    """Raised inside the write transaction to undo a dry run."""


# READING ----------------------------------------------------------------------------------------------

XLSX_MAGIC = b"PK\x03\x04"
XLS_MAGIC = b"\xd0\xcf\x11\xe0"


@dataclass
class RawFile:
    data: bytes
    sha256: str
    size: int


def read_raw(path: Path, problems: Problems) -> RawFile | None:
    """Read the file's bytes, refusing missing files and files over settings.IMPORT_MAX_BYTES."""
    limit = int(settings.IMPORT_MAX_BYTES)
    try:
        size = Path(path).stat().st_size
    except OSError as exc:
        problems.add(f"cannot be read ({exc.strerror or exc})")
        return None
    if size > limit:
        problems.add(f"the file is {size:,} bytes, over the limit of {limit:,} bytes")
        return RawFile(b"", "", size)
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        problems.add(f"cannot be read ({exc.strerror or exc})")
        return None
    return RawFile(data, hashlib.sha256(data).hexdigest(), len(data))


def decode_text(data: bytes, problems: Problems) -> str | None:
    """Decode CSV bytes: UTF-8 (with or without BOM), else Windows-1252 / Latin-1. Refuse binary files."""
    if data.startswith((XLSX_MAGIC, XLS_MAGIC)):
        problems.add("is an Excel workbook, not a CSV file: save the data sheet as CSV (UTF-8)")
        return None
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            problems.add("is not readable text (UTF-16 with errors)")
            return None
    sample = data[:65536]
    controls = sum(1 for byte in sample if byte < 32 and byte not in (9, 10, 13))
    if b"\x00" in sample or (sample and controls / len(sample) > 0.01):
        problems.add("is not a text (CSV) file: it contains binary data")
        return None
    for encoding in ("utf-8-sig", "cp1252", "latin-1"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    problems.add("is not readable text")  # pragma: no cover (latin-1 decodes any bytes)
    return None


_PARSER_LINE_RE = re.compile(r"line (\d+)")


def csv_frame(text: str, problems: Problems) -> pd.DataFrame | None:
    """Parse CSV text into a DataFrame of stripped strings. Detects ``,``, ``;`` and tab delimiters.

    Blank lines are kept (as empty rows) so that index + 2 is the spreadsheet row number.
    """
    if not text.strip():
        problems.add("the file is empty")
        return None
    header_line = text.lstrip("\ufeff").splitlines()[0]
    sep = max([",", ";", "\t"], key=header_line.count)
    try:
        frame = pd.read_csv(
            io.StringIO(text),
            sep=sep,
            dtype=str,
            keep_default_na=False,
            na_filter=False,
            skip_blank_lines=False,
            engine="c",
        )
    except pd.errors.EmptyDataError:
        problems.add("the file is empty")
        return None
    except pd.errors.ParserError as exc:
        match = _PARSER_LINE_RE.search(str(exc))
        problems.add(
            f"cannot be read as CSV ({str(exc).strip()})", row=int(match.group(1)) if match else None
        )
        return None
    frame.columns = [str(name).lstrip("\ufeff").strip() for name in frame.columns]
    return tidy_frame(frame)


def tidy_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """Cells as stripped strings (NaN → ""); drop rows that are entirely blank but keep the numbering."""
    frame = frame.fillna("").astype(str)
    for column in frame.columns:
        frame[column] = frame[column].str.strip()
    frame.index = pd.RangeIndex(2, len(frame) + 2)  # spreadsheet row numbers, header = row 1
    blank = (frame == "").all(axis=1)
    return frame[~blank]


def normalise_header(name: str) -> str:
    """Headers compare stripped, case-insensitive, with spaces, underscores and hyphens equivalent."""
    return re.sub(r"[\s_\-]+", " ", str(name).strip().lstrip("\ufeff")).strip().lower()


def map_columns(
    frame: pd.DataFrame, aliases: dict[str, tuple[str, ...]], problems: Problems
) -> dict[str, str]:
    """Find each wanted field's column: ``{field: column as written in the file}``."""
    by_normal: dict[str, str] = {}
    for column in frame.columns:
        normal = normalise_header(column)
        if not normal or normal.startswith("unnamed:"):
            continue
        if normal in by_normal:
            problems.add(f"the column {column!r} appears twice", row=1, column=column)
        by_normal.setdefault(normal, column)
    found = {}
    for name, options in aliases.items():
        for option in options:
            if option in by_normal:
                found[name] = by_normal[option]
                break
    return found


# CELLS ------------------------------------------------------------------------------------------------

# Markers for figures that are not numbers: the GSS shorthand used by NHS England/DHSC ([c], [x], [z]) and
# the older symbols of earlier publications (* for small numbers suppressed; : .. - n/a for not available).
SUPPRESSED_MARKERS = {"[c]", "c", "*"}
NOT_APPLICABLE_MARKERS = {"[x]", "[z]", "x", "z", ":", "..", "-", "n/a", "na"}
FORMULA_START = ("=", "+", "-", "@")
_NUMBER_RE = re.compile(r"^[+-]?(\d{1,3}(,\d{3})+|\d+)?(\.\d+)?([eE][+-]?\d+)?%?$")
QUANT = Decimal("0.000001")
MAX_ABS = Decimal("999999999999")  # Value fields: 18 digits, 6 after the point


def looks_like_formula(text: str) -> bool:
    """Spreadsheet-formula text (=HYPERLINK(…), +cmd, @SUM…) that is not simply a signed number."""
    if text.lower() in SUPPRESSED_MARKERS | NOT_APPLICABLE_MARKERS:
        return False  # "-" alone is the published "not available" symbol
    return bool(text) and text[0] in FORMULA_START and parse_number(text) is None


def parse_number(text: str) -> Decimal | None:
    """A finite decimal from cell text such as 12, -3.5, 1,234.5, 45% or 1e3; else None."""
    if not text or not _NUMBER_RE.match(text) or not any(ch.isdigit() for ch in text):
        return None
    try:
        number = Decimal(text.replace(",", "").rstrip("%"))
    except InvalidOperation:  # pragma: no cover (the pattern only passes valid numbers)
        return None
    if not number.is_finite():
        return None
    return number


def parse_value_cell(text: str) -> tuple[str, Decimal | None] | None:
    """``(status, value)`` for a value cell, or None if it is neither a number nor a known marker."""
    lowered = text.lower()
    if text == "":
        return Value.Status.MISSING, None
    if lowered in SUPPRESSED_MARKERS:
        return Value.Status.SUPPRESSED, None
    if lowered in NOT_APPLICABLE_MARKERS:
        return Value.Status.NOT_APPLICABLE, None
    number = parse_number(text)
    if number is None:
        return None
    return Value.Status.OK, number


def check_number_size(number: Decimal) -> str | None:
    if abs(number) > MAX_ABS:
        return f"{number} is too large to store"
    return None


def range_problem(measure: Measure, number: Decimal) -> str | None:
    """Why a headline value cannot be right for this measure, or None."""
    if measure.unit == Unit.PERCENT and not (0 <= number <= 100):
        return f"{number} is a percentage outside 0-100"
    low, high = measure.plausible_min, measure.plausible_max
    if (low is not None and number < low) or (high is not None and number > high):
        bounds = f"{_fmt(low) if low is not None else '-∞'} to {_fmt(high) if high is not None else '∞'}"
        return f"{number} is outside the plausible range for {measure.code} ({bounds})"
    if measure.unit in (Unit.RATE_100K, Unit.COUNT, Unit.RATIO, Unit.SCORE) and number < 0:
        return f"{number} is negative, which is impossible for a {measure.get_unit_display().lower()}"
    if measure.unit == Unit.SCORE and measure.scale_max is not None and number > measure.scale_max:
        return f"{number} is over the maximum score of {_fmt(measure.scale_max)}"
    return None


def _fmt(number: Decimal) -> str:
    text = format(number.normalize(), "f")
    return text


def quantize(number: Decimal | None) -> Decimal | None:
    return None if number is None else number.quantize(QUANT)


def column_label(frame: pd.DataFrame, column: str) -> str:
    """A column as reported in problems: ``Values!Value`` for a workbook sheet, else the header."""
    sheet = frame.attrs.get("sheet")
    return f"{sheet}!{column}" if sheet else column


def scan_formulas(frame: pd.DataFrame, problems: Problems, columns: Iterable[str]) -> None:
    """Name every cell that starts like a spreadsheet formula (= + - @) and is not a number."""
    for column in columns:
        series = frame[column]
        suspicious = series[series.str.match(r"^[=+\-@]", na=False)]
        for row, text in suspicious.items():
            if looks_like_formula(text):
                shown = text if len(text) <= 40 else text[:37] + "…"
                problems.add(
                    f"{shown!r} looks like a spreadsheet formula, which is not allowed",
                    row=int(row),
                    column=column_label(frame, column),
                )


def report_progress(progress: Progress | None, done: int, total: int) -> None:
    if progress is not None:
        progress(done, total)


# WRITING ----------------------------------------------------------------------------------------------


def upsert_values(
    *,
    desired: dict[tuple[int, int, int, str], dict[str, Any]],
    record: ImportRecord,
    user: Any,
    counts: Counts,
    step: Callable[[float], None] | None = None,
) -> None:
    """Create or update Values keyed by (measure_id, period_id, area_id, breakdown), with history.

    Each entry of ``desired`` holds only the fields the file gives for that value; others are left as
    they are. Values whose given fields are already equal are left alone (no save, no history row).
    ``step(fraction)`` reports progress through the writes.
    """
    if not desired:
        return
    measure_ids = {key[0] for key in desired}
    period_ids = {key[1] for key in desired}
    existing: dict[tuple[int, int, int, str], Value] = {}
    queryset = Value.objects.filter(measure_id__in=measure_ids, period_id__in=period_ids)
    for value in queryset.iterator(chunk_size=5000):
        existing[(value.measure_id, value.period_id, value.area_id, value.breakdown)] = value

    reason = f"Imported from {record.file_name}"[:100]
    history_user = user if getattr(user, "pk", None) else None
    to_create: list[Value] = []
    to_update: list[Value] = []
    update_fields: set[str] = set()
    for key, fields in desired.items():
        current = existing.get(key)
        if current is None:
            to_create.append(
                Value(
                    measure_id=key[0],
                    period_id=key[1],
                    area_id=key[2],
                    breakdown=key[3],
                    source_import=record,
                    **fields,
                )
            )
            continue
        changed = [name for name, new in fields.items() if not _same(getattr(current, name), new)]
        if not changed and not current.is_demo:
            counts.unchanged += 1
            continue
        for name in changed:
            setattr(current, name, fields[name])
        update_fields.update(changed)
        current.source_import = record
        current.is_demo = False
        to_update.append(current)

    total = len(to_create) + len(to_update)
    done = 0
    for start in range(0, len(to_create), BATCH_SIZE):
        batch = to_create[start : start + BATCH_SIZE]
        bulk_create_with_history(
            batch, Value, batch_size=BATCH_SIZE, default_user=history_user, default_change_reason=reason
        )
        done += len(batch)
        if step:
            step(done / total)
    fields_list = sorted(update_fields | {"source_import", "is_demo"})
    for start in range(0, len(to_update), BATCH_SIZE):
        batch = to_update[start : start + BATCH_SIZE]
        bulk_update_with_history(
            batch,
            Value,
            fields_list,
            batch_size=BATCH_SIZE,
            default_user=history_user,
            default_change_reason=reason,
        )
        done += len(batch)
        if step:
            step(done / total)
    counts.created += len(to_create)
    counts.updated += len(to_update)


def _same(old: Any, new: Any) -> bool:
    if isinstance(old, Decimal) or isinstance(new, Decimal):
        if old is None or new is None:
            return old is None and new is None
        return Decimal(old) == Decimal(new)
    if isinstance(old, float) and math.isnan(old):  # pragma: no cover (defensive)
        return False
    return old == new


def delete_demo_values(counts: Counts) -> None:
    """Real figures replace synthetic ones: remove every demo value (its history records the deletion)."""
    deleted, _ = Value.objects.filter(is_demo=True).delete()
    counts.summary["demo_values_deleted"] = deleted
    counts.summary["demo_neighbours_deleted"] = demo_neighbours_remove()


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
                record.save()
                write(record)
                if problems:
                    raise Rollback
                _fill_record(record, counts, problems, dry_run)
                record.save()
                if dry_run:
                    raise Rollback
                applied_record = record
        except Rollback:
            pass
    ok = not problems
    if applied_record is None:
        status = ImportRecord.Status.PREVIEWED if ok else ImportRecord.Status.FAILED
        if not ok:
            counts.created = counts.updated = counts.unchanged = 0
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
    )


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
    record.summary = {
        **counts.summary,
        "dry_run": dry_run,
        "skipped_reasons": dict(counts.skipped_reasons),
    }
