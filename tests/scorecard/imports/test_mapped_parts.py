"""A mapped import's numerator and denominator columns (stored with each figure, as the ASCOF import stores
them) and Excel workbooks read through the shared reader: by the command and by the columns page."""

import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from scorecard.models import ImportMapping, ImportRecord, Value
from tests.mapped_helpers import problems, run, write

pytestmark = pytest.mark.django_db

BIRMINGHAM, COVENTRY = "E08000025", "E08000026"
TURNOVER = "national-asc7"
HEADER = "Local authority code,Year,Turnover rate,Leavers,Staff"


def figure(gss: str, period: str = "2022-23") -> Value:
    return Value.objects.get(measure__key=TURNOVER, area__key=gss, period__label=period, breakdown="")


def workbook_file(tmp_path, rows: list[list[object]], name: str = "turnover.xlsx"):  # type: ignore[no-untyped-def]
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Turnover"
    for row in rows:
        sheet.append(row)
    workbook.create_sheet("Notes").append(["Source: Skills for Care"])  # only the first sheet is read
    buffer = io.BytesIO()
    workbook.save(buffer)
    path = tmp_path / name
    path.write_bytes(buffer.getvalue())
    return path


COLUMNS = [
    "--area", "Local authority code",
    "--value", "Turnover rate",
    "--period", "Year",
    "--measure", TURNOVER,
    "--numerator-column", "Leavers",
    "--denominator-column", "Staff",
]  # fmt: skip


def test_numerator_and_denominator_are_stored_with_each_figure(tmp_path):
    path = write(
        tmp_path,
        "turnover.csv",
        [HEADER, f"{BIRMINGHAM},2022-23,31.5,3150.25,10000", f"{COVENTRY},2022-23,27.5,[c],"],
    )
    status, out, err = run(path, *COLUMNS)
    assert status == 0, err
    assert "2 rows read: 2 created" in out
    birmingham = figure(BIRMINGHAM)
    assert (birmingham.value, birmingham.numerator, birmingham.denominator) == (
        Decimal("31.5"),
        Decimal("3150.25"),
        Decimal("10000"),
    )
    coventry = figure(COVENTRY)  # a suppressed or blank part is stored as no number
    assert (coventry.value, coventry.numerator, coventry.denominator) == (Decimal("27.5"), None, None)
    # Changed parts are an update of the figure, with its history.
    path.write_text(f"{HEADER}\n{BIRMINGHAM},2022-23,31.5,3150.25,10001\n", encoding="utf-8")
    status, out, err = run(path, *COLUMNS)
    assert status == 0, err
    assert "0 created, 1 updated, 0 unchanged" in out
    assert figure(BIRMINGHAM).denominator == Decimal("10001")
    assert figure(BIRMINGHAM).history.count() == 2


def test_a_bad_numerator_or_denominator_is_named_and_nothing_is_written(tmp_path):
    path = write(
        tmp_path,
        "turnover.csv",
        [HEADER, f"{BIRMINGHAM},2022-23,31.5,many,10000", f"{COVENTRY},2022-23,27.5,2750,-5"],
    )
    status, _out, err = run(path, *COLUMNS)
    assert status == 1
    assert problems(err) == [
        "turnover.csv, row 2, column Leavers: 'many' is not a number",
        "turnover.csv, row 3, column Staff: -5 is negative, which is impossible for a denominator",
    ]
    assert not Value.objects.filter(measure__key=TURNOVER, is_demo=False).exists()


def test_a_duplicate_row_with_another_numerator_is_a_second_figure_for_the_key(tmp_path):
    path = write(
        tmp_path,
        "turnover.csv",
        [HEADER, f"{BIRMINGHAM},2022-23,31.5,3150,10000", f"{BIRMINGHAM},2022-23,31.5,3151,10000"],
    )
    status, _out, err = run(path, *COLUMNS)
    assert status == 1
    assert problems(err) == [
        "turnover.csv, row 3, column Turnover rate: row 2 has a different value for the same council, "
        "measure and period"
    ]


def test_parts_are_not_read_with_a_column_per_year(tmp_path):
    path = write(tmp_path, "wide.csv", ["Local authority code,2022-23,Leavers", f"{BIRMINGHAM},31.5,3150"])
    status, _out, err = run(
        path,
        "--area",
        "Local authority code",
        "--wide",
        "--measure",
        TURNOVER,
        "--numerator-column",
        "Leavers",
    )
    assert status == 1
    assert "a numerator or denominator is read beside a value column, not with --wide" in err


def test_a_workbook_is_read_from_its_first_sheet(tmp_path):
    path = workbook_file(
        tmp_path,
        [
            ["Local authority code", "Year", "Turnover rate", "Leavers", "Staff"],
            [BIRMINGHAM, "2022-23", 31.5, 3150, 10000],
            [COVENTRY, "2022/23", 27.25, None, None],
        ],
    )
    status, out, err = run(path, *COLUMNS)  # --period Year is the workbook's column
    assert status == 0, err
    assert "2 rows read: 2 created" in out
    assert (figure(BIRMINGHAM).value, figure(BIRMINGHAM).numerator) == (Decimal("31.5"), Decimal("3150"))
    assert (figure(COVENTRY).value, figure(COVENTRY).denominator) == (Decimal("27.25"), None)


def test_a_workbook_formula_is_refused_at_its_cell(tmp_path):
    path = workbook_file(
        tmp_path,
        [
            ["Local authority code", "Year", "Turnover rate", "Leavers", "Staff"],
            [BIRMINGHAM, "2022-23", "=B2*2", 3150, 10000],
        ],
    )
    status, _out, err = run(path, *COLUMNS)
    assert status == 1
    assert problems(err) == [
        "turnover.xlsx, row 2, column Turnover rate: '=B2*2' looks like a spreadsheet formula, which is not "
        "allowed",
        "turnover.xlsx, row 2, column Turnover rate: '=B2*2' is not a number",
    ]
    assert not Value.objects.filter(measure__key=TURNOVER, is_demo=False).exists()


def test_the_columns_page_offers_numerator_and_denominator_and_saves_them(client_for, settings, tmp_path):
    settings.IMPORT_UPLOAD_DIR = tmp_path / "uploads"
    client = client_for("admin")
    lines = [HEADER, f"{BIRMINGHAM},2022-23,31.5,3150,10000", f"{COVENTRY},2022-23,27.5,2750,10000"]
    file = SimpleUploadedFile("turnover.csv", ("\n".join(lines) + "\n").encode(), content_type="text/csv")
    client.post(reverse("scorecard:import-upload"), {"kind": "mapped", "file": file, "year": ""})
    record = ImportRecord.objects.get()
    url = reverse("scorecard:import-columns", kwargs={"pk": record.pk})
    page = client.get(url).content.decode()
    assert "Which column holds each figure&#x27;s numerator? (optional)" in page
    assert 'name="denominator_column"' in page
    choice = {
        "area": "Local authority code",
        "layout": "long",
        "value": "Turnover rate",
        "period_column": "Year",
        "measure": TURNOVER,
        "numerator_column": "Leavers",
        "denominator_column": "Staff",
        "save_as": "turnover-with-parts",
    }
    client.post(url, choice)
    record.refresh_from_db()
    assert record.status == ImportRecord.Status.PREVIEWED, record.problems
    assert ImportMapping.objects.get(name="turnover-with-parts").spec["denominator_column"] == "Staff"
    client.post(reverse("scorecard:import-confirm", kwargs={"pk": record.pk}))
    assert (figure(COVENTRY).numerator, figure(COVENTRY).denominator) == (Decimal("2750"), Decimal("10000"))
    detail = client.get(reverse("scorecard:import-detail", kwargs={"pk": record.pk})).content.decode()
    assert "numerator: Leavers" in detail and "denominator: Staff" in detail
