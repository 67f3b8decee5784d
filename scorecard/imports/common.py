"""Shared parts of the file imports: problems, outcomes, reading files safely, parsing cells, writing values.

Every import follows the same shape: read and validate everything first, collecting every problem with
the file, the spreadsheet row (header = row 1) and the column; then, only if there is none, write in one
``transaction.atomic()``. An :class:`~scorecard.models.ImportRecord` is written in every case: APPLIED
inside the transaction, or FAILED / PREVIEWED after the rolled-back transaction.
"""

from __future__ import annotations

import csv
import gc
import hashlib
import io
import itertools
import logging
import re
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Context, Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from django.conf import settings
from django.db import DatabaseError, connection, models, transaction
from django.utils import timezone

from core.cache import rows_written
from core.text import text_clean
from councils.models import NearestNeighbour
from councils.services import demo_neighbours_remove
from scorecard.models import Area, ImportRecord, Measure, Period, Unit, Value

MAX_PROBLEMS_KEPT = 10_000  # in ImportOutcome.problems; problem_count is always the full count
MAX_PROBLEMS_RECORDED = 50  # in ImportRecord.problems
logger = logging.getLogger(__name__)

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
    changes: list[dict[str, Any]] = field(default_factory=list)
    plan: Any = None  # the validated plan, kept so that a confirmed preview is applied as checked

    @property
    def removed_count(self) -> int:
        return sum(1 for change in self.changes if change["kind"] == "removed")

    @property
    def changed_count(self) -> int:
        return len(self.changes) - self.removed_count

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
    changes: list[dict[str, Any]] = field(default_factory=list)  # published figures changed or removed

    def skip(self, reason: str, n: int = 1) -> None:
        self.skipped_reasons[reason] = self.skipped_reasons.get(reason, 0) + n

    @property
    def skipped(self) -> int:
        return sum(self.skipped_reasons.values())


@contextmanager
def collection_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while an import builds tens of thousands of small
    objects: each full collection would walk every object of the process (profiled: about a fifth of an
    import's CPU time). Reference counting still frees everything; the collector runs again
    afterwards."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


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
            return text_clean(data.decode("utf-16"), line_breaks=False)
        except UnicodeDecodeError:
            problems.add("is not readable text (UTF-16 with errors)")
            return None
    sample = data[:65536]
    controls = sum(1 for byte in sample if byte < 32 and byte not in (9, 10, 13))
    if b"\x00" in sample or (sample and controls / len(sample) > 0.01):
        problems.add("is not a text (CSV) file: it contains binary data")
        return None
    nul = data.find(b"\x00", len(sample))
    if nul >= 0:  # text at first, then a NUL: a damaged file (or text and binary joined), never a figure
        row = data.count(b"\n", 0, nul) + 1
        problems.add(
            f"contains a NUL character (a zero byte) at byte {nul + 1:,}: the file is damaged or is not "
            "plain text; save it again as CSV (UTF-8)",
            row=row,
        )
        return None
    for encoding in ("utf-8-sig", "cp1252", "latin-1"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        return text_clean(text, line_breaks=False)  # the one rule for text (core.text)
    problems.add("is not readable text")  # pragma: no cover (latin-1 decodes any bytes)
    return None


MAX_ROW_PROBLEMS = 200  # field-count problems listed before the rest are only counted


def csv_frame(text: str, problems: Problems) -> pd.DataFrame | None:
    """Parse CSV text into a DataFrame of stripped strings. Detects ``,``, ``;`` and tab delimiters.

    Every record must have as many fields as the header: a row cut short (an interrupted download) or
    with an extra field would otherwise shift or blank published figures, so each one is named (file,
    row, "expected 9 fields, found 4") and the file is refused. Extra fields that are empty (a trailing
    delimiter) lose nothing and are allowed. A file that ends inside a quoted field is refused too.
    Blank lines are kept (as empty rows) so that index + 2 is the spreadsheet row number.
    """
    if not text.strip():
        problems.add("the file is empty")
        return None
    limit = int(settings.IMPORT_MAX_ROWS)
    if text.count("\n") > limit and _record_count(text, limit + 2) > limit + 1:
        problems.add(f"the file has more than {limit:,} rows, over the limit for one import: split it")
        return None
    sep = max([",", ";", "\t"], key=_first_line(text).count)
    frame = _fast_frame(text, sep)
    if frame is not None:
        return tidy_frame(frame)
    reader = csv.reader(io.StringIO(text), delimiter=sep, strict=True)
    try:
        records = list(reader)
    except csv.Error as exc:
        message = str(exc)
        if "unexpected end of data" in message:
            message = "the file ends inside a quoted field: it looks cut short (an interrupted download?)"
        problems.add(f"cannot be read as CSV ({message})", row=reader.line_num or None)
        return None
    if not records or not any(field.strip() for field in records[0]):
        problems.add("the file is empty")
        return None
    header = records[0]
    width = len(header)
    body = records[1:]
    bad = 0
    lengths = np.fromiter(map(len, body), dtype=np.int64, count=len(body))
    for index in np.flatnonzero(lengths != width).tolist():  # only the rows that need a closer look
        number, record = index + 2, body[index]
        found = len(record)
        if found == width:
            continue
        if found > width and not any(field.strip() for field in record[width:]):
            record[width:] = []  # a trailing delimiter: nothing is lost
            continue
        if not any(field.strip() for field in record):
            record[:] = [""] * width  # a blank line
            continue
        bad += 1
        if bad <= MAX_ROW_PROBLEMS:
            problems.add(
                f"cannot be read as CSV: expected {width} fields, found {found} "
                + ("(the row is cut short)" if found < width else "(the row has an extra field)"),
                row=number,
            )
        else:
            problems.count += 1
    if bad:
        return None
    frame = pd.DataFrame(body, columns=_unique_names(header), dtype=object) if body else None
    if frame is None:
        frame = pd.DataFrame(columns=_unique_names(header), dtype=object)
    frame.columns = [str(name).lstrip("\ufeff").strip() for name in frame.columns]
    return tidy_frame(frame)


def _record_count(text: str, most: int) -> int:
    """How many CSV records ``text`` holds (a quoted field may span lines), counting no further than
    ``most``: a cheap, bounded check before the file is parsed whole. A field too large for the csv module
    stops the count there (the parse then names it)."""
    count = 0
    try:
        for _ in itertools.islice(csv.reader(io.StringIO(text)), most):
            count += 1
    except csv.Error:
        pass
    return count


_QUOTED = re.compile(r'"[^"]*(?:""[^"]*)*"')


def _first_line(text: str) -> str:
    """``text.lstrip("\\ufeff").splitlines()[0]`` without splitting the whole text."""
    head = text[:65536].lstrip("\ufeff")
    lines = head.splitlines()
    if len(lines) > 1 or len(head) == len(text):
        return lines[0]
    return text.lstrip("\ufeff").splitlines()[0]


def _fast_frame(text: str, sep: str) -> pd.DataFrame | None:
    """The frame ``csv_frame`` would build, read by pandas' C parser (several times faster than
    the csv module), or None whenever the text has anything that parser could read differently: a quote
    that does not enclose a whole field, a carriage return that does not end a line, a blank line, a field
    over the csv module's size limit, or any record whose field count differs from the header's. The
    csv-module path then reads it and names every such row."""
    body = text.rstrip("\r\n")
    if not text[len(body) :].replace("\r\n", "").replace("\n", ""):
        text = body + "\n"  # blank lines at the end: the csv path reads them as blank rows, then drops them
    limit = csv.field_size_limit()
    pieces, last, size = [], 0, len(text)
    starts_ok, ends_ok = (sep, "\n"), (sep, "\r", "\n")
    for match in _QUOTED.finditer(text):
        start, end = match.span()
        if (
            end - start > limit
            or (start and text[start - 1] not in starts_ok)
            or (end < size and text[end] not in ends_ok)
        ):
            return None
        pieces.append(text[last:start])
        last = end
    pieces.append(text[last:])
    outside = "".join(pieces)  # the text without its quoted fields: one line per record
    if '"' in outside or outside.count("\r") != outside.count("\r\n"):
        return None
    data = np.frombuffer(
        outside.encode("utf-8", "surrogatepass"), dtype=np.uint8
    )  # newline and delimiters are ASCII
    ends = np.flatnonzero(data == 10)
    if not len(ends) or ends[-1] != len(data) - 1:
        ends = np.append(ends, len(data))
    starts = np.concatenate(([0], ends[:-1] + 1))
    lengths = ends - starts
    records = len(ends)
    if records < 2 or lengths.max() > limit:
        return None
    if ((lengths == 0) | ((lengths == 1) & (data[np.minimum(starts, len(data) - 1)] == 13))).any():
        return None  # a blank line
    delimiters = np.flatnonzero(data == ord(sep))
    fields = np.searchsorted(delimiters, ends) - np.searchsorted(delimiters, starts) + 1
    width = int(fields[0])
    if (fields != width).any():
        return None
    try:
        frame = pd.read_csv(
            io.StringIO(text),
            sep=sep,
            header=None,
            dtype=object,
            na_filter=False,
            skip_blank_lines=False,
            engine="c",
            quotechar='"',
            doublequote=True,
        )
    except (pd.errors.ParserError, ValueError):  # pragma: no cover (the checks above leave none)
        return None
    if frame.shape != (records, width):
        return None  # pragma: no cover
    header = [str(name) for name in frame.iloc[0].tolist()]
    if not any(name.strip() for name in header):
        return None
    frame = frame.iloc[1:].reset_index(drop=True)
    frame.columns = [name.lstrip("\ufeff").strip() for name in _unique_names(header)]
    return frame


def _unique_names(header: list[str]) -> list[str]:
    """Column names as pandas would give them: blanks become ``Unnamed: i``, repeats get ``.1``, ``.2``."""
    seen: dict[str, int] = {}
    names = []
    for i, name in enumerate(header):
        name = name.lstrip("\ufeff").strip() or f"Unnamed: {i}"
        if name in seen:
            seen[name] += 1
            name = f"{name}.{seen[name]}"
        else:
            seen[name] = 0
        names.append(name)
    return names


def tidy_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """Cells as stripped strings (NaN → ""); drop rows that are entirely blank but keep the numbering."""
    frame = frame.fillna("").astype(object)
    blank = np.ones(len(frame), dtype=bool)
    for column in frame.columns:
        # Each distinct text is stripped once (a national file repeats a few texts thousands of times).
        codes, uniques = pd.factorize(frame[column].to_numpy())
        stripped = np.array([str(cell).strip() for cell in uniques] or [""], dtype=object)
        if len(codes):
            frame[column] = stripped[codes]
            blank &= (stripped == "")[codes]
    frame.index = pd.RangeIndex(2, len(frame) + 2)  # spreadsheet row numbers, header = row 1
    return frame[~blank] if blank.any() else frame


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
        # Each distinct text is looked at once (a national file repeats a few texts thousands of times).
        codes, uniques = pd.factorize(series.to_numpy())
        flagged = [i for i, text in enumerate(uniques) if text[:1] in "=+-@" and looks_like_formula(text)]
        if not flagged:
            continue
        suspicious = series[np.isin(codes, flagged)]
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
