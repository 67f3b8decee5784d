"""The ASCOF checks (one rule set, applied column-wise) and the CSV reader's fast path.

The checks must name every problem of a file exactly (file, row, column), in the order of its rows, skip the
same rows for the same reasons and plan the same figures as the row-by-row validator they replaced. That
validator's outcomes were recorded, before it was removed, for the good and bad corpora, the real file,
variants of a published file and random files built from awkward cells (``tests/data/ascof_checks_expected.json``:
problems verbatim, skips, and a digest of the plan); the checks are held to them. pandas' C parser must be used
only for text it reads exactly as the csv module does.
"""

import csv
import hashlib
import io
import json
import random
from pathlib import Path

import pytest

from scorecard.imports import ascof
from scorecard.imports.pipeline import reading
from scorecard.imports.pipeline.outcome import Counts, Problems
from scorecard.imports.pipeline.reading import csv_frame, decode_text
from tests.files import BAD, DATA, GOOD, REAL_FILE

EXPECTED = json.loads((DATA / "ascof_checks_expected.json").read_text(encoding="utf-8"))

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


def checked(path: Path, skip_unknown: bool) -> dict:
    """What the checks make of a file, in the recorded form."""
    problems, counts = Problems(path.name), Counts()
    text = decode_text(path.read_bytes(), problems)
    frame = csv_frame(text, problems) if text is not None else None
    plan = None
    if frame is not None:
        plan = ascof._validate(frame, path.name, None, problems, counts, None, skip_unknown)
    digest = None
    if plan is not None:
        summary = (
            [(key, vars(spec)) for key, spec in plan.areas.items()],
            list(plan.cassr.items()),
            [(key, sorted(fields.items())) for key, fields in plan.values.items()],
        )
        digest = hashlib.sha256(json.dumps(summary, default=str).encode()).hexdigest()
    return {
        "plan": digest,
        "problems": [str(problem) for problem in problems.items][:30],
        "problem_count": problems.count,
        "skipped": [list(skip) for skip in counts.skipped_reasons.items()],
    }


def corpus() -> list[Path]:
    files = sorted(GOOD.glob("*.csv")) + sorted(BAD.glob("*.csv"))
    return files + ([REAL_FILE] if REAL_FILE.exists() else [])


@pytest.mark.parametrize("skip_unknown", [False, True])
@pytest.mark.parametrize("path", corpus(), ids=lambda path: path.name)
def test_the_checks_give_the_recorded_outcome_of_each_file(db, path, skip_unknown):
    assert checked(path, skip_unknown) == EXPECTED["corpus"][f"{path.name}|{skip_unknown}"]


def test_the_recorded_outcomes_name_problems_and_plans():
    """The record is not empty or trivial: bad files have their problems, good ones a plan."""
    outcomes = EXPECTED["corpus"]
    assert outcomes["conflicting_duplicate.csv|False"]["problems"]
    assert outcomes["meas-from-asc-of-eng-2019-20.csv|False"]["plan"]
    assert sum(1 for outcome in EXPECTED["random"].values() if outcome["plan"]) > 50
    assert sum(1 for outcome in EXPECTED["random"].values() if outcome["problems"]) > 50


@pytest.mark.parametrize("skip_unknown", [False, True])
@pytest.mark.parametrize("variant", sorted(VARIANT_ROWS))
def test_the_checks_give_the_recorded_outcome_of_variants(db, tmp_path, variant, skip_unknown):
    base = (GOOD / "meas-from-asc-of-eng-2019-20.csv").read_text(encoding="utf-8")
    path = tmp_path / "meas-from-asc-of-eng-2019-20.csv"
    path.write_text(base.rstrip("\n") + "\n" + "\n".join(VARIANT_ROWS[variant]) + "\n", encoding="utf-8")
    assert checked(path, skip_unknown) == EXPECTED["variants"][f"{variant}|{skip_unknown}"]


def random_rows(seed: int, valid: bool) -> list:
    """A file's rows drawn from awkward cells (``valid``: mostly acceptable ones, so that many files pass
    and their skips and duplicates are planned)."""
    draw = random.Random(seed)
    if valid:
        areas = [area for area in AREAS if area[3] != "Ward" and area[1] != "W06000015" and area[0]]
        return [
            (
                draw.choice(["2018-19", "2019-20"]),
                draw.choice(areas),
                draw.choice(CODES[:6]),
                draw.choice(["19.1", "0", "100", "[c]", ""]),
                draw.choice(BREAKDOWNS),
                draw.choice(TYPES),
            )
            for _ in range(draw.randint(1, 6))
        ]
    return [
        (
            draw.choice(YEARS),
            draw.choice(AREAS),
            draw.choice(CODES),
            draw.choice(VALUES),
            draw.choice(BREAKDOWNS),
            draw.choice(TYPES),
        )
        for _ in range(draw.randint(1, 14))
    ]


@pytest.mark.parametrize("valid", [False, True], ids=["awkward", "mostly-valid"])
def test_the_checks_give_the_recorded_outcome_of_random_files(db, tmp_path, valid):
    path = tmp_path / "random.csv"
    differences = []
    for seed in range(150):
        path.write_text(random_file(random_rows(seed, valid)), encoding="utf-8")
        key = f"{seed}|{valid}|{seed % 2 == 0}"
        if checked(path, seed % 2 == 0) != EXPECTED["random"][key]:
            differences.append(key)
    assert differences == []


@pytest.mark.parametrize("name", ["meas-from-asc-of-eng-2019-20.csv", "odd_but_valid.csv"])
def test_a_plain_file_is_read_by_the_c_parser(db, name, monkeypatch):
    def csv_module(*args, **kwargs):
        raise AssertionError("pandas' C parser should have read this file")

    monkeypatch.setattr(reading.csv, "reader", csv_module)
    outcome = ascof.ascof_import(path=GOOD / name, dry_run=True)
    assert outcome.ok, outcome.problems
