"""A row with fewer or more fields than the header is refused, never silently blanked."""

from pathlib import Path

import pytest

from scorecard.imports.ascof import ascof_import
from scorecard.imports.local import measures_import
from scorecard.models import ImportRecord, Value

pytestmark = pytest.mark.django_db

HEADER = (
    "Year,Geographical Description,ONS Code,Measure Group,Measure Group Description,Measure_Value,"
    "Geographical Level,Disaggregation Level,Measure Type"
)
ROWS = [
    "2019-20,Birmingham,E08000025,1A,Social care-related quality of life score,18.9,Council,Total,Outcome",
    "2019-20,Coventry,E08000026,1A,Social care-related quality of life score,19.4,Council,Total,Outcome",
    '2019-20,Dudley,E08000027,1A,"Social care-related quality of life score",19.0,Council,Total,Outcome',
]


def write(tmp_path: Path, text: str, name: str = "ascof-2019-20.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_a_file_cut_mid_row_is_refused_and_keeps_the_published_figure(tmp_path):
    assert ascof_import(path=write(tmp_path, "\n".join([HEADER, *ROWS]) + "\n")).ok
    before = list(Value.objects.order_by("pk").values_list("value", "status"))
    # An interrupted download: the last line stops inside the description.
    cut = "\n".join([HEADER, *ROWS[:2], "2019-20,Dudley,E08000027,1A,Social care-rel"])
    outcome = ascof_import(path=write(tmp_path, cut, "cut.csv"))
    assert not outcome.ok
    assert [str(p) for p in outcome.problems] == [
        "cut.csv, row 4: cannot be read as CSV: expected 9 fields, found 5 (the row is cut short)"
    ]
    assert list(Value.objects.order_by("pk").values_list("value", "status")) == before
    assert outcome.record.status == ImportRecord.Status.FAILED


def test_every_row_with_the_wrong_number_of_fields_is_named(tmp_path):
    text = "\n".join(
        [
            HEADER,
            ROWS[0],
            "2019-20,Coventry,E08000026,1A,Social care, with a comma,19.4,Council,Total,Outcome",
            ROWS[2],
            "2019-20,Dudley,E08000027,1A",
        ]
    )
    outcome = ascof_import(path=write(tmp_path, text + "\n", "ragged.csv"))
    assert not outcome.ok
    assert [(p.row, p.message) for p in outcome.problems] == [
        (3, "cannot be read as CSV: expected 9 fields, found 10 (the row has an extra field)"),
        (5, "cannot be read as CSV: expected 9 fields, found 4 (the row is cut short)"),
    ]
    assert not Value.objects.exists()


def test_a_file_cut_inside_a_quoted_field_is_refused(tmp_path):
    text = "\n".join([HEADER, ROWS[0], '2019-20,Dudley,E08000027,1A,"Social care-related qual'])
    outcome = ascof_import(path=write(tmp_path, text, "quoted.csv"))
    assert not outcome.ok
    (problem,) = outcome.problems
    assert problem.row == 3
    assert "ends inside a quoted field" in problem.message and "cut short" in problem.message
    assert not Value.objects.exists()


def test_a_trailing_delimiter_and_blank_lines_lose_nothing_and_are_accepted(tmp_path):
    text = "\n".join([HEADER, ROWS[0] + ",", "", ROWS[1] + ",,", ROWS[2]]) + "\n"
    outcome = ascof_import(path=write(tmp_path, text))
    assert outcome.ok, [str(p) for p in outcome.problems]
    assert outcome.created == 3


def test_the_rule_holds_for_local_csv_files_too(db, tmp_path):
    text = "GSS code,Measure code,Period,Value,Note\nE08000025,LOCAL1,2023-24\n"
    outcome = measures_import(path=write(tmp_path, text, "local.csv"))
    assert not outcome.ok
    assert "expected 5 fields, found 3" in str(outcome.problems[0])
    assert outcome.problems[0].row == 2
