"""The one export helper every CSV and XLSX download goes through.

- Numbers are written as numbers: ``Decimal("18.300000")`` becomes the number 18.3 (a numeric XLSX cell,
  "18.3" in a CSV), never the text "18.300000".
- No markup: HTML a table renders for the page (links, tags) is reduced to its text.
- Nothing a file cannot hold: control characters and lone surrogates are removed (``core.text``), so
  text stored before that rule was applied at the edge still exports.
- Nothing a spreadsheet would run: a text cell beginning with ``=``, ``+``, ``-``, ``@``, a tab or a
  carriage return is prefixed with a single quote (so ``=1+2`` is written as the text ``'=1+2``). Numbers
  stay numbers; a text that is just a negative number (``-4.2``) is left as it is.

Use :func:`export_response` for rows you build, and :class:`SafeExportMixin` on every django-tables2
table that can be exported (``?_export=csv|xlsx`` through django-tables2's ``ExportMixin``/``TableExport``):
it passes every cell of ``as_values()`` through :func:`export_cell`.

Lives in ``councils`` (the app every other app may import) so that councils, scorecard and
peerchallenge share it.
"""

from __future__ import annotations

import csv
import datetime
import io
import re
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from django.http import HttpResponse
from django.utils.html import strip_tags
from django.utils.text import slugify
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from core.text import text_clean

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
EXPORT_FORMATS = ("csv", "xlsx")
_NUMBER_RE = re.compile(r"^-?\d+(\.\d+)?$")
_MARKUP_RE = re.compile(r"<[a-zA-Z/!][^>]*>")
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}

Cell = str | int | float | None


def export_number(value: Decimal | int | float) -> int | float:
    """A number for a cell: whole numbers as int, others as float (Decimal("18.300000") → 18.3)."""
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise ValueError(f"not a finite number: {value}")
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def export_text(text: str) -> str:
    """Text for a cell: unwritable characters and markup removed, a leading formula character neutralised
    with a quote."""
    text = text_clean(text)
    if _MARKUP_RE.search(text):
        text = strip_tags(text)
    if text.startswith(FORMULA_PREFIXES) and not _NUMBER_RE.match(text):
        return "'" + text
    return text


def export_cell(value: Any) -> Cell:
    """Any value a table or a page holds, as a safe spreadsheet cell (see the module docstring)."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, Decimal | int | float):
        try:
            return export_number(value)
        except ValueError:
            return None
    if isinstance(value, datetime.datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, datetime.date):
        return value.isoformat()
    return export_text(str(value))


def export_rows(rows: Iterable[Sequence[Any]]) -> list[list[Cell]]:
    return [[export_cell(value) for value in row] for row in rows]


class SafeExportMixin:
    """For django-tables2 tables: every exported cell (header included) goes through :func:`export_cell`."""

    def as_values(self, exclude_columns: Iterable[str] | None = None):  # type: ignore[no-untyped-def]
        for row in super().as_values(exclude_columns=exclude_columns):  # type: ignore[misc]
            yield [export_cell(value) for value in row]


def _csv_text(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return repr(value) if abs(value) >= 1e-4 or value == 0 else f"{value:.10f}".rstrip("0")
    return str(value)


def csv_bytes(headers: Sequence[Any], rows: Iterable[Sequence[Any]]) -> bytes:
    """UTF-8 with a byte-order mark, so Excel reads £ and – correctly."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([_csv_text(cell) for cell in export_rows([headers])[0]])
    for row in export_rows(rows):
        writer.writerow([_csv_text(cell) for cell in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def xlsx_bytes(headers: Sequence[Any], rows: Iterable[Sequence[Any]], *, sheet_title: str = "Data") -> bytes:
    """One sheet: a bold, frozen header row; numbers as numeric cells; text as text (never a formula)."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=(re.sub(r"[\[\]:*?/\\]", " ", sheet_title)[:31] or "Data"))
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)

    def cells(values: list[Cell], *, header: bool = False) -> list[WriteOnlyCell]:
        out = []
        for value in values:
            cell = WriteOnlyCell(sheet, value=value)
            if isinstance(value, str):
                cell.data_type = "s"  # text, even if it looks like a formula
            if header:
                cell.font = bold
            out.append(cell)
        return out

    sheet.append(cells(export_rows([headers])[0], header=True))
    for row in export_rows(rows):
        sheet.append(cells(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def export_response(
    *,
    export_format: str,
    headers: Sequence[Any],
    rows: Iterable[Sequence[Any]],
    filename: str,
    sheet_title: str = "Data",
) -> HttpResponse:
    """A CSV or XLSX attachment of ``rows`` under ``headers``. ``filename`` without its extension."""
    if export_format not in EXPORT_FORMATS:
        raise ValueError(f"unknown export format {export_format!r}")
    content = (
        csv_bytes(headers, rows)
        if export_format == "csv"
        else xlsx_bytes(headers, rows, sheet_title=sheet_title)
    )
    response = HttpResponse(content, content_type=CONTENT_TYPES[export_format])
    safe_name = slugify(filename.removesuffix(f".{export_format}")) or "data"
    response["Content-Disposition"] = f'attachment; filename="{safe_name}.{export_format}"'
    return response


def dict_rows(
    columns: Sequence[tuple[str, str]], records: Iterable[dict[str, Any]]
) -> tuple[list[str], list[list]]:
    """``columns`` = [(key, header)…]; returns (headers, rows) for :func:`export_response`."""
    return [header for _, header in columns], [[record.get(key) for key, _ in columns] for record in records]


# --- Word documents ---------------------------------------------------------------------------------------

DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


class _CleanProperties:
    """A document's core properties whose text (title, subject…) passes through ``text_clean``."""

    def __init__(self, properties: Any) -> None:
        object.__setattr__(self, "_properties", properties)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._properties, name)

    def __setattr__(self, name: str, value: Any) -> None:
        setattr(self._properties, name, text_clean(value) if isinstance(value, str) else value)


class CleanDocument:
    """A python-docx ``Document`` whose headings, paragraphs and properties take any stored text.

    XML cannot hold control characters, and python-docx refuses them (ValueError): one stray U+0001 in a
    title would make the whole file a 500. New text is cleaned at the edge; this cleans text on its way into
    the document too, for text stored before (``core.text``). Table cells go through :func:`docx_fill`.
    """

    def __init__(self, document: Any) -> None:
        self._document = document

    def __getattr__(self, name: str) -> Any:
        return getattr(self._document, name)

    @property
    def core_properties(self) -> _CleanProperties:
        return _CleanProperties(self._document.core_properties)

    def add_heading(self, text: str = "", level: int = 1) -> Any:
        return self._document.add_heading(text_clean(text), level)

    def add_paragraph(self, text: str = "", style: Any = None) -> Any:
        return self._document.add_paragraph(text_clean(text), style)


def docx_document(*, header: str = "") -> CleanDocument:
    """A new python-docx document in the house style the PDF pack shares: A4 with 20 mm margins, Arial 11
    (the GDS font is for gov.uk only), black headings, ``header`` (who and what the document is about) at
    the top of every page and "Page n of N" at the foot."""
    from docx import Document
    from docx.shared import Mm, Pt, RGBColor

    document = Document()
    document.styles["Normal"].font.name = "Arial"
    document.styles["Normal"].font.size = Pt(11)
    for name in ("Title", "Heading 1", "Heading 2", "Heading 3"):
        style = document.styles[name]
        style.font.name = "Arial"
        style.font.color.rgb = RGBColor(0x0B, 0x0C, 0x0C)
    for section in document.sections:
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.left_margin = section.right_margin = Mm(20)
        section.top_margin = section.bottom_margin = Mm(20)
        if header:
            paragraph = section.header.paragraphs[0]
            run = paragraph.add_run(text_clean(header))
            run.font.size = Pt(9)
            run.font.color.rgb = RGBColor(0x50, 0x5A, 0x5F)
        _docx_page_numbers(section.footer.paragraphs[0])
    return CleanDocument(document)


def docx_note(document: Any, text: str) -> Any:
    """A small grey paragraph (a colophon, a note under the text)."""
    from docx.shared import Pt, RGBColor

    paragraph = document.add_paragraph(text)
    for run in paragraph.runs:
        run.font.size = Pt(8)
        run.font.color.rgb = RGBColor(0x50, 0x5A, 0x5F)
    return paragraph


def _docx_field(paragraph: Any, code: str) -> None:
    """A Word field (PAGE, NUMPAGES) in ``paragraph``: the document's own, never stored text."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    run = paragraph.add_run()
    for kind, text in (("begin", None), (None, code), ("separate", None), (None, "1"), ("end", None)):
        if kind is not None:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        elif text == code:
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = f" {code} "
        else:
            element = OxmlElement("w:t")
            element.text = text
        run._r.append(element)


def _docx_page_numbers(paragraph: Any) -> None:
    """ "Page n of N" at the right of a footer paragraph."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    paragraph.add_run("Page ")
    _docx_field(paragraph, "PAGE")
    paragraph.add_run(" of ")
    _docx_field(paragraph, "NUMPAGES")


def docx_fill(cell: Any, text: str, *, bold: bool = False) -> None:
    """Put ``text`` in a table cell as typed (python-docx escapes it; nothing becomes a field code)."""
    cell.text = ""
    run = cell.paragraphs[0].add_run(text_clean(text))
    run.bold = bold


def docx_label_table(document: Any, rows: Iterable[tuple[str, str]]) -> Any:
    """A two-column bordered table of (label in bold, text) rows, added to ``document``."""
    table = document.add_table(rows=0, cols=2)
    table.style = "Table Grid"
    for label, text in rows:
        cells = table.add_row().cells
        docx_fill(cells[0], label, bold=True)
        docx_fill(cells[1], text)
    return table


def docx_bytes(document: Any) -> bytes:
    """The document as the bytes of a .docx file."""
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def docx_response(body: bytes, *, filename: str) -> HttpResponse:
    """A Word attachment; ``filename`` (codes and slugs only) without its extension."""
    response = HttpResponse(body, content_type=DOCX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}.docx"'
    return response
