"""``manage.py import_mapped`` on real-shaped files of every layout: Oflog's long explorer download (with the
shipped mapping, or by naming its columns), wide tables with a column per year, councils by GSS code, CASSR
number or name only, every period spelling, blanks, values with many decimals and a published median."""

from decimal import Decimal

import pytest

from scorecard.imports.mapped import MEDIAN_BREAKDOWN
from scorecard.models import ImportMapping, ImportRecord, Value
from tests.mapped_helpers import OFLOG_HEADER, oflog_row, run, write

pytestmark = pytest.mark.django_db

BIRMINGHAM, COVENTRY, DUDLEY = "E08000025", "E08000026", "E08000027"


def figure(key: str, gss: str, period: str, breakdown: str = "") -> Value:
    return Value.objects.get(measure__key=key, area__key=gss, period__label=period, breakdown=breakdown)


@pytest.fixture
def oflog_file(tmp_path):
    return write(
        tmp_path,
        "oflog_asc.csv",
        [
            OFLOG_HEADER,
            oflog_row("2022-23", BIRMINGHAM, "Birmingham", "ASC7", "31.12345678"),
            oflog_row("2022-23", COVENTRY, "Coventry", "ASC7", "27.5"),
            oflog_row("2022-23", DUDLEY, "Dudley", "ASC7", ""),  # blank: missing
            oflog_row("2022-23", BIRMINGHAM, "Birmingham", "ASC6", "40.25", median="35"),
            oflog_row("2022-23", BIRMINGHAM, "Birmingham", "ASC1", "7.3", median="7.6"),
            oflog_row("2021-22", BIRMINGHAM, "Birmingham", "ASC7", "29.87654321", median="27.25"),
        ],
    )


def test_the_shipped_oflog_mapping_loads_the_explorer_file(oflog_file):
    status, out, err = run(oflog_file, "--mapping", "oflog-asc")
    assert status == 0, err
    assert "6 rows read: 10 created, 0 updated, 0 unchanged" in out  # 6 figures and 4 medians
    assert figure("national-asc7", BIRMINGHAM, "2022-23").value == Decimal(
        "31.123457"
    )  # 8 decimals kept to 6
    assert figure("national-asc7", "E08000026", "2022-23").value == Decimal("27.5")
    blank = figure("national-asc7", DUDLEY, "2022-23")
    assert (blank.value, blank.status) == (None, Value.Status.MISSING)
    assert figure("national-asc6", BIRMINGHAM, "2022-23").value == Decimal("40.25")
    assert figure("ascof-2014-1d", BIRMINGHAM, "2022-23").value == Decimal("7.3")  # ASC1 is ASCOF 1D
    median = figure("national-asc7", "E92000001", "2022-23", MEDIAN_BREAKDOWN)
    assert median.value == Decimal("28.5") and "median" in median.note.lower()
    assert figure("national-asc7", "E92000001", "2021-22", MEDIAN_BREAKDOWN).value == Decimal("27.25")
    record = ImportRecord.objects.filter(
        kind=ImportRecord.Kind.MAPPED, status=ImportRecord.Status.APPLIED
    ).get()
    assert record.summary["mapping"] == "oflog-asc" and record.summary["years"] == ["2021-22", "2022-23"]


def test_reimporting_the_same_file_changes_nothing(oflog_file):
    assert run(oflog_file, "--mapping", "oflog-asc")[0] == 0
    history = Value.history.count()
    status, out, _ = run(oflog_file, "--mapping", "oflog-asc")
    assert status == 0
    assert "0 created, 0 updated, 10 unchanged" in out
    assert Value.history.count() == history


def test_naming_the_columns_does_what_the_mapping_does(oflog_file):
    status, _out, err = run(
        oflog_file,
        "--area", "Local authority code",
        "--value", "Value",
        "--period", "Financial year",
        "--measure-column", "Code",
        "--median-column", "MEDIAN",
        "--dry-run",
    )  # fmt: skip
    # Without the mapping's code table ASC1 is not a catalogue code: named once, with its rows counted.
    assert status == 1
    assert "oflog_asc.csv, row 6, column Code: 'ASC1' is not a measure code in the catalogue" in err
    assert Value.objects.count() == 0


def test_a_dry_run_writes_nothing(oflog_file):
    status, out, _ = run(oflog_file, "--mapping", "oflog-asc", "--dry-run")
    assert status == 0 and "Dry run, nothing saved" in out and "10 created" in out
    assert Value.objects.count() == 0


def test_a_wide_table_with_council_names_only_and_every_period_spelling(tmp_path):
    path = write(
        tmp_path,
        "skills_for_care_vacancies.csv",
        [
            "Local authority,2019/2020,FY2020/21,2021/22,2022-23,2023",
            "Birmingham City Council,7.1,8.2,9.3,10.4,9.5",
            "Stoke,5.0,5.5,,6.0,6.5",  # a short form; a blank for 2021-22
            '"Herefordshire, County of",4.12345678,4.2,4.3,4.4,4.5',
            "Royal Borough of Windsor and Maidenhead,3,3,3,3,3",
        ],
    )
    status, out, err = run(path, "--area", "Local authority", "--wide", "--measure", "national-sfc-vacancy")
    assert status == 0, err
    assert "20 created" in out
    assert figure("national-sfc-vacancy", BIRMINGHAM, "2019-20").value == Decimal("7.1")
    assert figure("national-sfc-vacancy", BIRMINGHAM, "2020-21").value == Decimal("8.2")
    assert figure("national-sfc-vacancy", BIRMINGHAM, "2023-24").value == Decimal("9.5")  # "2023"
    assert figure("national-sfc-vacancy", "E06000021", "2021-22").status == Value.Status.MISSING
    assert figure("national-sfc-vacancy", "E06000019", "2019-20").value == Decimal("4.123457")
    assert figure("national-sfc-vacancy", "E06000040", "2022-23").value == Decimal("3")


def test_cassr_numbers_and_one_fixed_period(tmp_path):
    path = write(
        tmp_path,
        "asc_fr_extract.csv",
        ["CASSR,Council,Gross current expenditure per adult", "406,Birmingham,612.5", "407,Coventry,598"],
    )
    status, _out, err = run(
        path,
        "--area", "CASSR",
        "--value", "Gross current expenditure per adult",
        "--period", "FY2022/23",
        "--measure", "national-ascfr-gce-adult",
    )  # fmt: skip
    assert status == 0, err
    assert figure("national-ascfr-gce-adult", BIRMINGHAM, "2022-23").value == Decimal("612.5")
    assert figure("national-ascfr-gce-adult", COVENTRY, "2022-23").value == Decimal("598")


def test_a_long_file_with_a_period_column_in_every_spelling(tmp_path):
    periods = ["2018-19", "2019/20", "FY2020/21", "2021/2022", "2022"]
    path = write(
        tmp_path,
        "turnover.csv",
        ["Year;Area;Turnover"] + [f"{p};Birmingham;{30 + i}" for i, p in enumerate(periods)],  # ; delimited
    )
    status, _, err = run(
        path, "--area", "Area", "--value", "Turnover", "--period", "Year", "--measure", "ASC7"
    )
    assert status == 0, err
    labels = set(Value.objects.filter(measure__key="national-asc7").values_list("period__label", flat=True))
    assert labels == {"2018-19", "2019-20", "2020-21", "2021-22", "2022-23"}


def test_an_ascof_code_follows_its_series_into_the_refreshed_framework(tmp_path):
    path = write(
        tmp_path,
        "oflog_asc.csv",
        [
            OFLOG_HEADER,
            oflog_row("2022-23", BIRMINGHAM, "Birmingham", "ASC1", "7.3", median="7.5"),
            oflog_row("2023-24", BIRMINGHAM, "Birmingham", "ASC1", "7.4", median="7.5"),
            oflog_row("2023-24", BIRMINGHAM, "Birmingham", "ASC2", "0.412", median="0.408"),
        ],
    )
    assert run(path, "--mapping", "oflog-asc")[0] == 0
    assert figure("ascof-2014-1d", BIRMINGHAM, "2022-23").value == Decimal("7.3")  # carer quality of life
    assert figure("ascof-2023-1c", BIRMINGHAM, "2023-24").value == Decimal("7.4")  # renumbered 1D → 1C
    assert figure("ascof-2023-1b", BIRMINGHAM, "2023-24").value == Decimal("0.412")  # 1J → 1B


def test_a_mapping_saved_under_a_name_is_offered_next_time(tmp_path):
    path = write(tmp_path, "cqc.csv", ["Council,Rating", "Birmingham,2", "Coventry,3"])
    args = [
        "--area",
        "Council",
        "--value",
        "Rating",
        "--period",
        "2023-24",
        "--measure",
        "national-cqc-la-rating",
    ]
    status, out, err = run(path, *args, "--save-as", "CQC ratings")
    assert status == 0, err
    assert "Mapping saved as 'cqc-ratings'" in out
    saved = ImportMapping.objects.get(name="cqc-ratings")
    assert saved.spec["area"] == "Council" and not saved.shipped
    status, out, _ = run(path, "--mapping", "cqc-ratings")
    assert status == 0 and "2 unchanged" in out


def test_a_shipped_mapping_is_not_overwritten(tmp_path):
    path = write(tmp_path, "cqc.csv", ["Council,Rating", "Birmingham,2"])
    status, _, err = run(
        path, "--area", "Council", "--value", "Rating", "--period", "2023-24",
        "--measure", "national-cqc-la-rating", "--save-as", "oflog-asc",
    )  # fmt: skip
    assert status == 1 and "shipped with the project" in err
    assert ImportMapping.objects.get(name="oflog-asc").spec["area"] == "Local authority code"


@pytest.mark.parametrize(
    ("args", "reason"),
    [
        (["--mapping", "oflog-asc", "--area", "X"], "--mapping gives every column"),
        (["--mapping", "no-such-mapping"], "no saved mapping called 'no-such-mapping'"),
        (["--value", "Rating", "--period", "2023-24", "--measure", "ASC7"], "which column is the area"),
        (
            ["--area", "Council", "--period", "2023-24", "--measure", "ASC7"],
            "either a value column or --wide",
        ),
        (["--area", "Council", "--value", "Rating", "--measure", "ASC7"], "give the period"),
        (["--area", "Council", "--value", "Rating", "--period", "2023-24"], "give the measure"),
        (
            ["--area", "Council", "--value", "Rating", "--period", "Q3", "--measure", "ASC7"],
            "not a financial year",
        ),
        (
            ["--area", "Nope", "--value", "Rating", "--period", "2023", "--measure", "ASC7"],
            "no column 'Nope'",
        ),
        (
            ["--area", "Council", "--value", "Rating", "--period", "2023", "--measure", "X9"],
            "'X9' is not a measure",
        ),
        (["--area", "Council", "--wide", "--measure", "ASC7"], "no column is headed by a period"),
        (
            ["--area", "Council", "--wide", "--measure", "ASC7", "--median-column", "Rating"],
            "not with --wide",
        ),
    ],
)
def test_a_mapping_that_cannot_be_used_says_why(tmp_path, args, reason):
    path = write(tmp_path, "cqc.csv", ["Council,Rating", "Birmingham,2"])
    status, _, err = run(path, *args)
    assert status == 1
    assert reason in err
    assert Value.objects.count() == 0
