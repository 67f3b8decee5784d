"""The ASCOF import's bad-input rules hold for a mapped file: a cut row, a text value, a duplicate key with two
values, an unknown area or measure code, and a file that would blank a published figure each stop the import
(exit 1, every problem as file, row, column: reason) and leave the database as it was."""

from decimal import Decimal

import pytest

from scorecard.models import ImportRecord, Value
from tests.mapped_helpers import OFLOG_HEADER, oflog_row, problems, run, write

pytestmark = pytest.mark.django_db

BIRMINGHAM, COVENTRY = "E08000025", "E08000026"
GOOD = [
    OFLOG_HEADER,
    oflog_row("2022-23", BIRMINGHAM, "Birmingham", "ASC7", "31.5"),
    oflog_row("2022-23", COVENTRY, "Coventry", "ASC7", "27.5"),
]


def snapshot() -> list[tuple]:
    return sorted(
        Value.objects.values_list("measure_id", "period_id", "area_id", "breakdown", "value", "status")
    )


@pytest.fixture
def loaded(tmp_path):
    assert run(write(tmp_path, "first.csv", GOOD), "--mapping", "oflog-asc")[0] == 0
    return snapshot()


def assert_refused(path, expected: list[str], before: list[tuple]) -> None:
    status, _, err = run(path, "--mapping", "oflog-asc")
    assert status == 1
    assert problems(err)[: len(expected)] == expected
    assert f"{len(expected)} problem(s) found; nothing was imported" in err
    assert snapshot() == before
    assert ImportRecord.objects.filter(kind="mapped").order_by("-pk").first().status == "failed"


def test_a_cut_row(tmp_path, loaded):
    lines = [*GOOD, "2022-23,E08000027,Dudley,LA_Raw"]
    expected = ["cut.csv, row 4: cannot be read as CSV: expected 12 fields, found 4 (the row is cut short)"]
    assert_refused(write(tmp_path, "cut.csv", lines), expected, loaded)


def test_every_cell_problem_at_once(tmp_path, loaded):
    lines = [
        OFLOG_HEADER,
        oflog_row("2022-23", BIRMINGHAM, "Birmingham", "ASC7", "about 30"),  # text value
        oflog_row("2022-23", COVENTRY, "Coventry", "ASC7", "27.5"),
        oflog_row("2022-23", COVENTRY, "Coventry", "ASC7", "28.0"),  # duplicate key, another value
        oflog_row("2022-23", "E06999999", "Nowhere", "ASC7", "20"),  # unknown area
        oflog_row("2022-23", BIRMINGHAM, "Birmingham", "ASC9", "1"),  # a code the catalogue lacks
        oflog_row("2022-23", COVENTRY, "Coventry", "ASC9", "1"),
        oflog_row("2022-23", BIRMINGHAM, "Birmingham", "ASC7", "=HYPERLINK(1)"),
        oflog_row("22-23x", BIRMINGHAM, "Birmingham", "ASC6", "5"),
        oflog_row("2022-23", BIRMINGHAM, "Birmingham", "ASC6", "140"),  # a percentage over 100
    ]
    expected = [
        "bad.csv, row 8, column Value: '=HYPERLINK(1)' looks like a spreadsheet formula, which is not allowed",
        "bad.csv, row 2, column Value: 'about 30' is not a number",
        "bad.csv, row 4, column Value: row 3 has a different value for the same council, measure and period",
        "bad.csv, row 5, column Local authority code: “E06999999” is not the name or code of a council",
        "bad.csv, row 8, column Value: '=HYPERLINK(1)' is not a number",
        "bad.csv, row 9, column Financial year: '22-23x' is not a financial year such as 2023-24",
        "bad.csv, row 10, column Value: 140 is a percentage outside 0-100",
        "bad.csv, row 6, column Code: 'ASC9' is not a measure code in the catalogue: add the measure to the "
        "catalogue, or map the code to one in the mapping's codes (2 rows)",
    ]
    assert_refused(write(tmp_path, "bad.csv", lines), expected, loaded)


def test_a_council_name_that_fits_two_councils_is_never_guessed(tmp_path, loaded):
    path = write(tmp_path, "names.csv", ["Council,Turnover", "Birmingham,30", "Nowhereshire,31"])
    status, _, err = run(
        path, "--area", "Council", "--value", "Turnover", "--period", "2022-23", "--measure", "ASC7"
    )
    assert status == 1
    assert "names.csv, row 3, column Council: “Nowhereshire” is not" in err
    assert snapshot() == loaded


def test_a_file_that_would_blank_a_published_figure(tmp_path, loaded):
    lines = [GOOD[0], GOOD[1], oflog_row("2022-23", COVENTRY, "Coventry", "ASC7", "")]
    path = write(tmp_path, "blanking.csv", lines)
    status, _, err = run(path, "--mapping", "oflog-asc")
    assert status == 1
    assert "REMOVED" in err and "Coventry" in err
    assert "nothing was imported" in err
    assert snapshot() == loaded
    status, out, _ = run(path, "--mapping", "oflog-asc", "--allow-blanking")
    assert status == 0 and "1 updated" in out
    coventry = Value.objects.get(measure__key="national-asc7", area__key=COVENTRY, breakdown="")
    assert (coventry.value, coventry.status) == (None, Value.Status.MISSING)


def test_an_identical_duplicate_row_is_counted_not_refused(tmp_path):
    path = write(tmp_path, "dup.csv", [*GOOD, GOOD[1]])
    status, out, _ = run(path, "--mapping", "oflog-asc")
    assert status == 0 and "1 skipped (identical duplicate row: 1)" in out
    assert Value.objects.get(
        measure__key="national-asc7", area__key=BIRMINGHAM, breakdown=""
    ).value == Decimal("31.5")


def test_two_medians_for_one_measure_and_year(tmp_path):
    lines = [
        OFLOG_HEADER,
        oflog_row("2022-23", BIRMINGHAM, "Birmingham", "ASC7", "31.5", median="28"),
        oflog_row("2022-23", COVENTRY, "Coventry", "ASC7", "27.5", median="29"),
    ]
    status, _, err = run(write(tmp_path, "medians.csv", lines), "--mapping", "oflog-asc")
    assert status == 1
    assert (
        "medians.csv, row 3, column MEDIAN: row 2 gives another median for the same measure and period" in err
    )
    assert Value.objects.count() == 0
