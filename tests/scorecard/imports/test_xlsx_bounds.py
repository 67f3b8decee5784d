"""Workbook uploads are bounded before and while they are read."""

import io
import zipfile

import pytest
from openpyxl import Workbook

from scorecard.imports.local import measures_import
from scorecard.models import ImportRecord, Value

pytestmark = pytest.mark.django_db


def workbook_bytes(rows: list[list[object]]) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "Values"
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def with_sheet_xml(data: bytes, transform) -> bytes:  # type: ignore[no-untyped-def]
    """The same workbook with its first sheet's XML rewritten."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                content = transform(content)
            target.writestr(info.filename, content)
    return out.getvalue()


HEADER = ["GSS code", "Measure code", "Period", "Value", "Note"]


def test_a_small_decompression_bomb_is_refused_before_it_is_unpacked(tmp_path, settings):
    settings.IMPORT_XLSX_MAX_UNCOMPRESSED_BYTES = 5 * 1024 * 1024
    padding = b"<!--" + b" " * (40 * 1024 * 1024) + b"-->"  # 40 MB of nothing that compresses to ~40 KB

    def inflate(xml: bytes) -> bytes:
        return xml.replace(b"<sheetData>", padding + b"<sheetData>", 1)

    bomb = with_sheet_xml(workbook_bytes([HEADER, ["E08000025", "X1", "2023-24", "1", ""]]), inflate)
    assert len(bomb) < 200_000
    path = tmp_path / "bomb.xlsx"
    path.write_bytes(bomb)
    outcome = measures_import(path=path)
    assert not outcome.ok
    (problem,) = outcome.problems
    assert "would unpack to" in problem.message and "over the limit of 5,242,880 bytes" in problem.message
    assert outcome.record.status == ImportRecord.Status.FAILED
    assert not Value.objects.exists()


def test_rows_beyond_the_declared_dimension_are_read_and_counted(tmp_path, settings):
    settings.IMPORT_MAX_ROWS = 50
    rows = [HEADER] + [["E08000025", "X1", "2023-24", str(i), ""] for i in range(200)]

    def lie(xml: bytes) -> bytes:  # the sheet says A1:E2 but holds 201 rows
        start = xml.index(b"<dimension ref=")
        end = xml.index(b"/>", start)
        return xml[:start] + b'<dimension ref="A1:E2"' + xml[end:]

    path = tmp_path / "liar.xlsx"
    path.write_bytes(with_sheet_xml(workbook_bytes(rows), lie))
    outcome = measures_import(path=path)
    assert not outcome.ok
    assert "the Values sheet has more than 50 rows" in outcome.problems[0].message


def test_a_sheet_that_declares_fewer_rows_still_has_every_row_checked(tmp_path):
    rows = [HEADER] + [["E08000025", "NOPE", "2023-24", str(i), ""] for i in range(5)]

    def lie(xml: bytes) -> bytes:
        start = xml.index(b"<dimension ref=")
        end = xml.index(b"/>", start)
        return xml[:start] + b'<dimension ref="A1:E2"' + xml[end:]

    path = tmp_path / "liar.xlsx"
    path.write_bytes(with_sheet_xml(workbook_bytes(rows), lie))
    outcome = measures_import(path=path)
    assert outcome.rows_read == 5  # not "1 row read"
