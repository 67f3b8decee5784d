"""The fast paths of the ASCOF import give exactly what the reference paths give.

The column-wise validation must produce the same plan, skips, counts and problems as the row-by-row
validation (which it hands every file with a problem to), and pandas' C parser must be used only for
text it reads exactly as the csv module does.
"""

import csv
import io
from pathlib import Path
from unittest import mock

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scorecard.imports import ascof
from scorecard.imports.pipeline import reading
from scorecard.imports.pipeline.outcome import Counts, Problems
from scorecard.imports.pipeline.reading import csv_frame, decode_text
from tests.files import BAD, GOOD, REAL_FILE

TRICKY_TEXTS = [
    "a,b,c\n1,2,3\n",
    "a,b,c\r\n1,2,3\r\n",
    "a,b,c\n1,2,3",
    'a,b,c\n"x,y",2,3\n',
    'a,b,c\n"x\ny",2,3\n',
    'a,b,c\n"x\r\ny",2,3\r\n',
    'a,b,c\n"x""y",2,3\n',
    'a,b,c\n"x"y,2,3\n',
    'a,b,c\nx"y,2,3\n',
    "a,b,c\n 1 , 2 ,3\n",
    "a,b,c\n1,2\n",
    "a,b,c\n1,2,3,\n",
    "a,b,c\n1,2,3,4\n",
    "a,b,c\n\n1,2,3\n",
    'a;b;c\n1;"2;x";3\n',
    "a\tb\tc\n1\t2\t3\n",
    "\ufeffa,b,c\n1,2,3\n",
    "a,b,c\r1,2,3\r",
    "a,,\n1,2,3\n",
    "a,a,b\n1,2,3\n",
    'a,b,c\n"",2,3\n',
    'a,b,c\n1,2,"3\n',
    " , , \n1,2,3\n",
    "a,b,c\n,,\n1,2,3\n",
    'a,b,c\n1,2,3\n"4",5,6',
    "a,b,c\nNA,nan,NULL\n",
    '"a","b","c"\n1,2,3\n',
    "a,b,c\n1,2,3\n\n\n",
    "a,b,c\n1,2,3\n \n",
]


def read_both(text: str, monkeypatch) -> tuple:
    results = []
    for fast in (True, False):
        if not fast:
            monkeypatch.setattr(reading, "_fast_frame", lambda text, sep: None)
        problems = Problems("f.csv")
        frame = csv_frame(text, problems)
        shape = None if frame is None else (list(frame.columns), frame.index.tolist(), frame.values.tolist())
        results.append((shape, [str(problem) for problem in problems.items]))
    return tuple(results)


@pytest.mark.parametrize("text", TRICKY_TEXTS)
def test_the_c_parser_reads_csv_text_exactly_as_the_csv_module(text, monkeypatch):
    fast, reference = read_both(text, monkeypatch)
    assert fast == reference


def test_the_c_parser_is_used_for_plain_and_quoted_files_only():
    assert reading._fast_frame('a,b,c\n"x, y",2,3\n', ",") is not None
    assert reading._fast_frame("a,b,c\n1,2\n", ",") is None  # the csv path names the short row
    assert reading._fast_frame('a,b,c\n"x"y,2,3\n', ",") is None  # a quote the C parser reads leniently


def validate_both(path: Path, skip_unknown: bool, monkeypatch) -> tuple:
    results = []
    for fast in (True, False):
        if not fast:
            monkeypatch.setattr(ascof, "_validate_columns", lambda *args, **kwargs: None)
        problems, counts = Problems(path.name), Counts()
        text = decode_text(path.read_bytes(), problems)
        frame = csv_frame(text, problems) if text is not None else None
        plan = None
        if frame is not None:
            plan = ascof._validate(frame, path.name, None, problems, counts, None, skip_unknown)
        summary = None
        if plan is not None:
            summary = (
                plan.rows,
                [(key, vars(spec)) for key, spec in plan.areas.items()],
                list(plan.cassr.items()),
                [(key, sorted(fields.items())) for key, fields in plan.values.items()],
            )
        results.append(
            (summary, [str(p) for p in problems.items], problems.count, list(counts.skipped_reasons.items()))
        )
    return tuple(results)


VARIANT_ROWS = {
    "duplicates": [
        "406,Birmingham,Council,E08000025,1A,Total,Outcome,19.1,1A,SCRQoL",
        "406,Birmingham,Council,E08000025,1A,Total,Base,812,1A,SCRQoL",
    ],
    "unknown_type_and_measure": [
        "406,Birmingham,Council,E08000025,1A,Total,Median,3,1A,SCRQoL",
        "406,Birmingham,Council,E08000025,9Z,Total,Outcome,3,9Z,New",
        "406,Birmingham,Council,E08000025,9Z,Total,Outcome,3,9Z,New",
    ],
    "bounds": [
        "407,Coventry,Council,E08000026,1C1A,Total,Outcome,100,1C1A,SDS",
        "407,Coventry,Council,E08000026,1C1B,Total,Outcome,0,1C1B,SDS",
        "407,Coventry,Council,E08000026,2A1,Total,Numerator,0,2A1,Adm",
        "407,Coventry,Council,E08000026,2A2,Total,Outcome,[c],2A2,Adm",
    ],
    "over_the_bound": ["407,Coventry,Council,E08000026,1C1A,Total,Outcome,100.0001,1C1A,SDS"],
    "conflicting_duplicate": ["406,Birmingham,Council,E08000025,1A,Total,Outcome,19.2,1A,SCRQoL"],
    "cassr_conflict": ["999,Birmingham,Council,E08000025,1B,Total,Outcome,80,1B,Control"],
    "council_type_and_region": [
        ",Shire Counties,Council Type,,1B,Total,Outcome,80.5,1B,Control",
        ",West Midlands,Region,E12000005,1B,Total,Outcome,80.5,1B,Control",
        ",England,England,E92000001,1B,Total,Outcome,80.5,1B,Control",
    ],
}


def corpus() -> list[Path]:
    files = sorted(GOOD.glob("*.csv")) + sorted(BAD.glob("*.csv"))
    return files + ([REAL_FILE] if REAL_FILE.exists() else [])


@pytest.mark.parametrize("skip_unknown", [False, True])
@pytest.mark.parametrize("path", corpus(), ids=lambda path: path.name)
def test_column_wise_validation_gives_the_row_by_row_result(db, path, skip_unknown, monkeypatch):
    fast, reference = validate_both(path, skip_unknown, monkeypatch)
    assert fast == reference


@pytest.mark.parametrize("skip_unknown", [False, True])
@pytest.mark.parametrize("variant", sorted(VARIANT_ROWS))
def test_column_wise_validation_of_variants(db, tmp_path, variant, skip_unknown, monkeypatch):
    base = (GOOD / "meas-from-asc-of-eng-2019-20.csv").read_text(encoding="utf-8")
    path = tmp_path / "meas-from-asc-of-eng-2019-20.csv"
    path.write_text(base.rstrip("\n") + "\n" + "\n".join(VARIANT_ROWS[variant]) + "\n", encoding="utf-8")
    fast, reference = validate_both(path, skip_unknown, monkeypatch)
    assert fast == reference


@pytest.mark.parametrize("name", ["meas-from-asc-of-eng-2019-20.csv", "odd_but_valid.csv"])
def test_a_file_without_problems_is_not_checked_row_by_row(db, name, monkeypatch):
    def row_by_row(*args, **kwargs):
        raise AssertionError("the column-wise pass should have accepted this file")

    monkeypatch.setattr(ascof, "_validate_rows", row_by_row)
    monkeypatch.setattr(reading.csv, "reader", row_by_row)  # read by pandas' C parser
    outcome = ascof.ascof_import(path=GOOD / name, dry_run=True)
    assert outcome.ok, outcome.problems


YEARS = ["2018-19", "2019-20", "2023-24", "2010-11", "", "2019/20"]
AREAS = [  # description, ONS code, CASSR code, level
    ("Birmingham", "E08000025", "406", "Council"),
    ("Coventry", "E08000026", "407", "Council"),
    ("Coventry", "E08000026", "999", "Council"),
    ("Solihull", "E08000029", "", ""),
    ("West Midlands", "E12000005", "", "Region"),
    ("England", "E92000001", "", "England"),
    ("Shire Counties", "", "", "Council Type"),
    ("Shire Counties", "", "", ""),
    ("Cardiff", "W06000015", "", "Council"),
    ("", "", "", ""),
    ("Somewhere", "E08000025", "", "Ward"),
]
CODES = [
    ("1A", ""),
    ("2A1", ""),
    ("1C1A", ""),
    ("", "2A11864"),
    ("", "2A165OV"),
    ("9Z", ""),
    ("", ""),
    ("1A", "1A"),
]
VALUES = ["19.1", "0", "100", "100.5", "-1", "[c]", "x", "", "abc", "1,234", "45%", "1e3", "1000000000000000"]
BREAKDOWNS = ["Total", "", "Male", "18-64", "65 and over"]
TYPES = ["Outcome", "", "Base", "Numerator", "Median", "Margin of Error"]
ROW = st.tuples(
    st.sampled_from(YEARS),
    st.sampled_from(AREAS),
    st.sampled_from(CODES),
    st.sampled_from(VALUES),
    st.sampled_from(BREAKDOWNS),
    st.sampled_from(TYPES),
)
# Mostly valid rows, so that the column-wise pass accepts many of the files (skips and duplicates included).
VALID_ROW = st.tuples(
    st.sampled_from(["2018-19", "2019-20"]),
    st.sampled_from([area for area in AREAS if area[3] != "Ward" and area[1] != "W06000015" and area[0]]),
    st.sampled_from(CODES[:6]),
    st.sampled_from(["19.1", "0", "100", "[c]", ""]),
    st.sampled_from(BREAKDOWNS),
    st.sampled_from(TYPES),
)


def random_file(rows: list) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(
        [
            "Year",
            "Geographical Description",
            "ONS Code",
            "Geographical Code",
            "Measure Group",
            "ASCOF Measure Code",
            "Measure_Value",
            "Geographical Level",
            "Disaggregation Level",
            "Measure Type",
        ]
    )
    for year, (name, ons, cassr, level), (group, code), value, breakdown, mtype in rows:
        writer.writerow([year, name, ons, cassr, group, code, value, level, breakdown, mtype])
    return out.getvalue()


def validate(path: Path, skip_unknown: bool) -> tuple:
    problems, counts = Problems(path.name), Counts()
    frame = csv_frame(decode_text(path.read_bytes(), problems), problems)
    plan = (
        ascof._validate(frame, path.name, None, problems, counts, None, skip_unknown)
        if frame is not None
        else None
    )
    summary = None
    if plan is not None:
        summary = (
            [(key, vars(spec)) for key, spec in plan.areas.items()],
            list(plan.cassr.items()),
            [(key, sorted(fields.items())) for key, fields in plan.values.items()],
        )
    return summary, [str(p) for p in problems.items], problems.count, list(counts.skipped_reasons.items())


@settings(
    max_examples=60,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(rows=st.lists(ROW, min_size=1, max_size=14), skip_unknown=st.booleans())
def test_column_wise_validation_of_random_files(db, tmp_path, rows, skip_unknown):
    assert_same_validation(tmp_path, rows, skip_unknown)


@settings(
    max_examples=80,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(rows=st.lists(VALID_ROW, min_size=1, max_size=6), skip_unknown=st.booleans())
def test_column_wise_validation_of_random_valid_files(db, tmp_path, rows, skip_unknown):
    assert_same_validation(tmp_path, rows, skip_unknown)


def assert_same_validation(tmp_path: Path, rows: list, skip_unknown: bool) -> None:
    path = tmp_path / "random.csv"
    path.write_text(random_file(rows), encoding="utf-8")
    fast = validate(path, skip_unknown)
    with mock.patch.object(ascof, "_validate_columns", lambda *args, **kwargs: None):
        reference = validate(path, skip_unknown)
    assert fast == reference
