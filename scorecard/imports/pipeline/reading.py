"""Reading a file safely: its bytes within the bounds, decoding, CSV parsing into frames of stripped text, and
finding the columns a file names."""

from __future__ import annotations

import csv
import datetime
import hashlib
import io
import itertools
import re
import time
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from django.conf import settings

from core.text import text_clean
from scorecard.imports.pipeline.outcome import Problems

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


# WORKBOOKS --------------------------------------------------------------------------------------------

SheetPicker = Callable[[list[Any], Problems], list[tuple[Any, str]] | None]
MAX_COLUMNS = 100  # cells beyond this column of a row are never looked at


class _TooBig(Exception):
    """A sheet over the row or time bound (the message says which)."""


def _check_zip(data: bytes, problems: Problems) -> bool:
    """Refuse a workbook whose parts would inflate past the bound (a decompression bomb), before opening it.

    The sizes are those the zip declares; Python's zipfile never inflates a part beyond its declared
    size (it stops with a CRC error), so the declared total bounds what reading can cost.
    """
    limit = int(settings.IMPORT_XLSX_MAX_UNCOMPRESSED_BYTES)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            total = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        problems.add(f"is not a readable Excel workbook ({type(exc).__name__})")
        return False
    if total > limit:
        problems.add(
            f"the workbook would unpack to {total:,} bytes, over the limit of {limit:,} bytes: "
            "save only the Values (and Measures) sheets, or upload the values as CSV"
        )
        return False
    return True


def read_workbook(
    data: bytes, problems: Problems, *, pick: SheetPicker
) -> dict[str, pd.DataFrame | None] | None:
    """The sheets ``pick`` chooses, as frames of strings (``{title: frame}``, None for an empty sheet, its
    problem added). Formulas are kept as text. ``pick(worksheets, problems)`` returns ``[(sheet, title)]`` or
    None (its problem added).

    Bounded: the zip's unpacked size is checked first, rows are read as they come (the sheet's declared
    dimension is not trusted), at most IMPORT_MAX_ROWS of them, within IMPORT_XLSX_MAX_SECONDS.
    """
    if not _check_zip(data, problems):
        return None
    from openpyxl import load_workbook  # here: openpyxl takes 0.1 s to import, and most imports are CSV

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception as exc:  # openpyxl raises many kinds for corrupt files
        problems.add(f"is not a readable Excel workbook ({type(exc).__name__})")
        return None
    try:
        chosen = pick(list(workbook.worksheets), problems)
        if chosen is None:
            return None
        deadline = time.monotonic() + float(settings.IMPORT_XLSX_MAX_SECONDS)
        try:
            return {title: _sheet_frame(sheet, problems, title, deadline) for sheet, title in chosen}
        except _TooBig as exc:
            problems.add(str(exc))
            return None
    finally:
        workbook.close()


def _sheet_frame(sheet: Any, problems: Problems, title: str, deadline: float) -> pd.DataFrame | None:
    limit = int(settings.IMPORT_MAX_ROWS)
    if hasattr(sheet, "reset_dimensions"):
        sheet.reset_dimensions()  # read every row there is, whatever dimension the sheet declares
    rows: list[list[str]] = []
    for number, row in enumerate(sheet.iter_rows(values_only=True), start=1):
        if number > limit + 1:  # the header and `limit` data rows
            raise _TooBig(f"the {title} sheet has more than {limit:,} rows, over the limit for one import")
        if number % 1000 == 0 and time.monotonic() > deadline:
            raise _TooBig(
                f"the {title} sheet took too long to read (over {settings.IMPORT_XLSX_MAX_SECONDS:g} s)"
            )
        rows.append([_cell_text(cell) for cell in row[:MAX_COLUMNS]])
    while rows and not any(rows[-1]):
        rows.pop()
    if not rows or not any(rows[0]):
        problems.add(f"the {title} sheet is empty")
        return None
    header = rows[0]
    while header and not header[-1]:
        header = header[:-1]
    width = len(header)
    body = [(row + [""] * width)[:width] for row in rows[1:]]
    frame = pd.DataFrame(body, columns=[name.strip() or f"Unnamed: {i}" for i, name in enumerate(header)])
    frame = tidy_frame(frame)
    frame.attrs["sheet"] = title
    return frame


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return format(value, ".15g")
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    return text_clean(str(value), line_breaks=False)  # the one rule for text (core.text)


def is_workbook(data: bytes) -> bool:
    """An XLSX workbook (a zip), by its first bytes."""
    return data.startswith(XLSX_MAGIC)


def frames_read(raw: RawFile, problems: Problems, *, pick: SheetPicker) -> dict[str, pd.DataFrame | None]:
    """A data file sniffed by its first bytes and read: an XLSX workbook's sheets that ``pick`` chooses
    (``{title: frame}``), or CSV text as ``{"": frame}``; ``{}`` when it cannot be read (its problem added).
    An old-style .xls workbook is refused. (The ASCOF import takes CSV only: ``decode_text`` names a
    workbook given to it.)"""
    if raw.data.startswith(XLS_MAGIC):
        problems.add("is an old-style Excel .xls file: save it as .xlsx (or CSV) and upload that")
        return {}
    if is_workbook(raw.data):
        return read_workbook(raw.data, problems, pick=pick) or {}
    text = decode_text(raw.data, problems)
    frame = csv_frame(text, problems) if text is not None else None
    return {"": frame} if frame is not None else {}
