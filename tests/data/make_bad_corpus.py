"""Generate the import test corpus: malformed files in tests/data/bad/ and valid-but-odd files in good/.

Run ``.venv/bin/python tests/data/make_bad_corpus.py`` after changing a case; the files are committed.
``bad/expected.json`` records, for each bad file, which import reads it and what its first problem must
say: a substring of the message and, where the problem has one, the spreadsheet row and the column.
The over-the-size-limit case is made at test time (with a small IMPORT_MAX_BYTES), not committed.
"""

import csv
import io
import json
import random
from pathlib import Path

from openpyxl import Workbook

HERE = Path(__file__).resolve().parent
BAD = HERE / "bad"
GOOD = HERE / "good"

HEADER = [
    "Year",
    "Geographical Description",
    "ONS Code",
    "Measure Group",
    "Measure Group Description",
    "Measure_Value",
    "Geographical Level",
    "Disaggregation Level",
    "Measure Type",
]


def row(
    value: str = "19.5",
    *,
    year: str = "2018-19",
    name: str = "Birmingham",
    ons: str = "E08000025",
    code: str = "1A",
    level: str = "Council",
    disagg: str = "Total",
    mtype: str = "Outcome",
) -> list[str]:
    return [year, name, ons, code, f"Measure {code}", value, level, disagg, mtype]


def csv_text(rows: list[list[str]], header: list[str] = HEADER, sep: str = ",") -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=sep, lineterminator="\n")
    writer.writerows([header, *rows])
    return buffer.getvalue()


def base_rows() -> list[list[str]]:
    return [
        row("19.5"),
        row("19.1", name="Coventry", ons="E08000026"),
        row("76.2", code="1B"),
        row("19.3", name="West Midlands", ons="E12000005", level="Region"),
        row("19.4", name="England", ons="E92000001", level="England"),
    ]


def workbook_bytes(sheets: dict[str, list[list[object]]]) -> bytes:
    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, lines in sheets.items():
        sheet = workbook.create_sheet(title)
        for line in lines:
            sheet.append(line)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


VALUES_HEADER = ["GSS code", "Measure code", "Period", "Value", "Note"]
MEASURES_HEADER = [
    "Code",
    "Title",
    "Unit",
    "Polarity",
    "Description",
    "Domain",
    "Plausible min",
    "Plausible max",
]
LOCAL_MEASURE = [
    "WM-REV",
    "Reviews completed on time",
    "percent",
    "higher",
    "",
    "performance-and-outcomes",
    "",
    "",
]


def bad_cases() -> dict[str, tuple[bytes, dict]]:
    """``{file name: (content, expectation)}``."""
    cases: dict[str, tuple[bytes, dict]] = {}

    def add(name: str, content: str | bytes, importer: str, contains: str, row_no=None, column=None) -> None:
        data = content.encode("utf-8") if isinstance(content, str) else content
        cases[name] = (data, {"importer": importer, "contains": contains, "row": row_no, "column": column})

    rows = base_rows()
    # Encodings and delimiters (valid in themselves; each of these carries one bad value).
    latin = [*rows, row("néant", name="Stoke-on-Trent (Café ward)", ons="E06000021")]
    add(
        "latin1_bad_value.csv",
        csv_text(latin).encode("latin-1"),
        "ascof",
        "'néant' is not a number",
        7,
        "Measure_Value",
    )
    add(
        "utf8_bom_bad_value.csv",
        "\ufeff" + csv_text([*rows, row("1O.5")]),
        "ascof",
        "is not a number",
        7,
        "Measure_Value",
    )
    add(
        "semicolon_bad_value.csv",
        csv_text([*rows, row("abc", code="1D")], sep=";"),
        "ascof",
        "'abc' is not a number",
        7,
        "Measure_Value",
    )
    add(
        "cp1252_bad_year.csv",
        csv_text([*rows, row("19.0", year="2018–20")]).encode("cp1252"),
        "ascof",
        "is not a financial year",
        7,
        "Year",
    )
    # Structure
    add("empty.csv", b"", "ascof", "the file is empty")
    add("whitespace_only.csv", "\n \n\t\n", "ascof", "the file is empty")
    add("header_only.csv", csv_text([]), "ascof", "header row but no data rows")
    add(
        "binary_garbage.csv",
        random.Random(3).randbytes(4096),
        "ascof",
        "binary data",
    )
    add(
        "missing_value_column.csv",
        csv_text([r[:5] + r[6:] for r in rows], HEADER[:5] + HEADER[6:]),
        "ascof",
        "missing required column(s): Measure_Value",
        1,
    )
    add(
        "missing_ons_column.csv",
        csv_text([r[:2] + r[3:] for r in rows], HEADER[:2] + HEADER[3:]),
        "ascof",
        "ONS Code",
        1,
    )
    add(
        "missing_measure_column.csv",
        csv_text([r[:3] + r[4:] for r in rows], HEADER[:3] + HEADER[4:]),
        "ascof",
        "Measure Group",
        1,
    )
    add(
        "ragged_row.csv",
        csv_text(rows) + "2018-19,Dudley,E08000027,1A,x,19.0,Council,Total,Outcome,extra,more\n",
        "ascof",
        "cannot be read as CSV",
        7,
    )
    # Files cut short or with a field too many must not blank or shift published figures.
    add(
        "cut_mid_row.csv",
        csv_text(rows) + "2018-19,Dudley,E08000027,1A,Social care-rel",
        "ascof",
        "expected 9 fields, found 5",
        7,
    )
    add(
        "cut_inside_quotes.csv",
        csv_text(rows) + '2018-19,Dudley,E08000027,1A,"Social care-related qual',
        "ascof",
        "ends inside a quoted field",
        7,
    )
    add(
        "extra_field.csv",
        csv_text(rows) + "2018-19,Dudley,E08000027,1A,Quality, of life,19.0,Council,Total,Outcome\n",
        "ascof",
        "expected 9 fields, found 10",
        7,
    )
    add(
        "excel_given_as_ascof.xlsx",
        workbook_bytes({"Data": [HEADER, row()]}),
        "ascof",
        "is an Excel workbook",
    )
    add("no_year_anywhere.csv", csv_text([r[1:] for r in rows], HEADER[1:]), "ascof", "no Year column")
    # Areas
    add(
        "invalid_gss.csv",
        csv_text([*rows, row("19.0", name="Dudley", ons="E0800002")]),
        "ascof",
        "'E0800002' is not an English council GSS code",
        7,
        "ONS Code",
    )
    add(
        "welsh_council.csv",
        csv_text([*rows, row("19.0", name="Cardiff", ons="W06000015")]),
        "ascof",
        "not an English council GSS code",
        7,
        "ONS Code",
    )
    add(
        "unknown_region.csv",
        csv_text([*rows, row("19.0", name="Atlantis", ons="E12000010", level="Region")]),
        "ascof",
        "not the GSS code of an English region",
        7,
        "ONS Code",
    )
    add(
        "england_wrong_code.csv",
        csv_text([*rows, row("19.0", name="England", ons="E92000002", level="England")]),
        "ascof",
        "is not England's code",
        7,
        "ONS Code",
    )
    add(
        "unknown_level.csv",
        csv_text([*rows, row("19.0", level="Ward")]),
        "ascof",
        "'Ward' is not a geographical level",
        7,
        "Geographical Level",
    )
    add(
        "council_type_without_name.csv",
        csv_text([*rows, row("19.0", name="", ons="", level="Council Type")]),
        "ascof",
        "council-type row needs its name",
        7,
        "Geographical Description",
    )
    cassr_header = [*HEADER, "Geographical Code"]
    add(
        "cassr_conflict.csv",
        csv_text(
            [[*r, ""] for r in rows] + [[*row("19.2", name="Northumberland", ons="E06000057"), "406"]],
            cassr_header,
        ),
        "ascof",
        "CASSR code 406",
        7,
        "Geographical Code",
    )
    # Measures and years
    add(
        "unknown_measure.csv",
        csv_text([*rows, row("19.0", code="9Z")]),
        "ascof",
        "'9Z' is not a measure code",
        7,
        "Measure Group",
    )
    add(
        "refreshed_code_in_old_year.csv",
        csv_text([*rows, row("40.0", code="5A1")]),
        "ascof",
        "'5A1' is not a measure code of the ASCOF 2014-15",
        7,
        "Measure Group",
    )
    add(
        "old_code_in_refreshed_year.csv",
        csv_text([*rows, row("1.0", code="2C1", year="2023-24")]),
        "ascof",
        "'2C1' is not a measure code of the ASCOF refreshed",
        7,
        "Measure Group",
    )
    add(
        "year_out_of_range.csv",
        csv_text([*rows, row("19.0", year="2009-10")]),
        "ascof",
        "'2009-10' is not a financial year this service imports",
        7,
        "Year",
    )
    add("blank_year.csv", csv_text([*rows, row("19.0", year="")]), "ascof", "the year is blank", 7, "Year")
    # Values
    add(
        "non_numeric.csv",
        csv_text([*rows, row("nineteen", name="Dudley", ons="E08000027")]),
        "ascof",
        "'nineteen' is not a number",
        7,
        "Measure_Value",
    )
    add(
        "percent_over_100.csv",
        csv_text([*rows, row("104.2", code="1B", name="Dudley", ons="E08000027")]),
        "ascof",
        "percentage outside 0-100",
        7,
        "Measure_Value",
    )
    add(
        "negative_rate.csv",
        csv_text([*rows, row("-12.5", code="2A2", name="Dudley", ons="E08000027")]),
        "ascof",
        "-12.5 is outside the plausible range for 2A2",
        7,
        "Measure_Value",
    )
    add(
        "score_over_max.csv",
        csv_text([*rows, row("25.1", name="Dudley", ons="E08000027")]),
        "ascof",
        "outside the plausible range for 1A",
        7,
        "Measure_Value",
    )
    add(
        "negative_numerator.csv",
        csv_text([*rows, row("-5", name="Dudley", ons="E08000027", mtype="Numerator")]),
        "ascof",
        "negative",
        7,
        "Measure_Value",
    )
    add(
        "conflicting_duplicate.csv",
        csv_text([*rows, row("18.7")]),
        "ascof",
        "row 2 has a different value",
        7,
        "Measure_Value",
    )
    add(
        "formula_hyperlink.csv",
        csv_text([*rows, row("19.0", name='=HYPERLINK("http://example.invalid","Dudley")', ons="E08000027")]),
        "ascof",
        "looks like a spreadsheet formula",
        7,
        "Geographical Description",
    )
    add(
        "formula_in_value.csv",
        csv_text([*rows, row("=1+18", name="Dudley", ons="E08000027")]),
        "ascof",
        "looks like a spreadsheet formula",
        7,
        "Measure_Value",
    )
    add(
        "formula_at_sign.csv",
        csv_text([*rows, row("19.0", code="@SUM(A1:A9)", name="Dudley", ons="E08000027")]),
        "ascof",
        "looks like a spreadsheet formula",
        7,
        "Measure Group",
    )
    add(
        "formula_plus_cmd.csv",
        csv_text([*rows, row("19.0", name="+cmd|' /C calc'!A0", ons="E08000027")]),
        "ascof",
        "looks like a spreadsheet formula",
        7,
        "Geographical Description",
    )

    # Local measures
    local_rows = [
        ["E08000025", "WM-REV", "2023-24", "81.5", ""],
        ["E08000026", "WM-REV", "2023-24", "77.0", ""],
    ]
    local_sheets = {"Values": [VALUES_HEADER, *local_rows], "Measures": [MEASURES_HEADER, LOCAL_MEASURE]}
    add(
        "local_wrong_sheet.xlsx",
        workbook_bytes({"Sheet1": [VALUES_HEADER, *local_rows]}),
        "measures",
        "no sheet named 'Values'",
    )
    add(
        "local_old_xls.xls",
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504),
        "measures",
        "old-style Excel .xls",
    )
    add(
        "local_corrupt.xlsx",
        b"PK\x03\x04" + random.Random(5).randbytes(600),
        "measures",
        "not a readable Excel workbook",
    )
    add(
        "local_unknown_measure.csv",
        csv_text(local_rows, VALUES_HEADER),
        "measures",
        "'WM-REV' is not a known local measure",
        2,
        "Measure code",
    )
    add(
        "local_ascof_code.csv",
        csv_text([["E08000025", "1A", "2023-24", "19.0", ""]], VALUES_HEADER),
        "measures",
        "not a local measure",
        2,
        "Measure code",
    )
    add(
        "local_unknown_council.xlsx",
        workbook_bytes(
            {**local_sheets, "Values": [VALUES_HEADER, ["E08999999", "WM-REV", "2023-24", 80, ""]]}
        ),
        "measures",
        "E08999999 is not a council",
        2,
        "Values!GSS code",
    )
    add(
        "local_bad_unit.xlsx",
        workbook_bytes(
            {
                **local_sheets,
                "Measures": [MEASURES_HEADER, [*LOCAL_MEASURE[:2], "furlongs", *LOCAL_MEASURE[3:]]],
            }
        ),
        "measures",
        "'furlongs' is not a unit",
        2,
        "Measures!Unit",
    )
    add(
        "local_percent_over_100.xlsx",
        workbook_bytes(
            {**local_sheets, "Values": [VALUES_HEADER, ["E08000025", "WM-REV", "2023-24", 120, ""]]}
        ),
        "measures",
        "percentage outside 0-100",
        2,
        "Values!Value",
    )
    add(
        "local_bad_period.xlsx",
        workbook_bytes(
            {**local_sheets, "Values": [VALUES_HEADER, ["E08000025", "WM-REV", "last year", 80, ""]]}
        ),
        "measures",
        "'last year' is not a financial year",
        2,
        "Values!Period",
    )
    add(
        "local_formula.xlsx",
        workbook_bytes(
            {
                **local_sheets,
                "Values": [
                    VALUES_HEADER,
                    ["E08000025", "WM-REV", "2023-24", 80, '=HYPERLINK("http://example.invalid","see")'],
                ],
            }
        ),
        "measures",
        "looks like a spreadsheet formula",
        2,
        "Values!Note",
    )
    add(
        "local_duplicate.xlsx",
        workbook_bytes(
            {
                **local_sheets,
                "Values": [VALUES_HEADER, *local_rows, ["E08000025", "WM-REV", "2023-24", 79, ""]],
            }
        ),
        "measures",
        "row 2 has a different value",
        4,
        "Values!Value",
    )
    add(
        "local_missing_columns.csv",
        csv_text([r[:2] for r in local_rows], VALUES_HEADER[:2]),
        "measures",
        "missing required column(s): Period, Value",
        1,
    )
    add(
        "local_latin1_bad_value.csv",
        csv_text([["E08000025", "1A", "2023-24", "dix-neuf (élevé)", ""]], VALUES_HEADER).encode("latin-1"),
        "measures",
        "is not a number",
        2,
        "Value",
    )
    return cases


def good_files() -> dict[str, bytes]:
    files: dict[str, bytes] = {}
    rows = base_rows()
    files["latin1_valid.csv"] = csv_text(
        [*rows, row("18.9", name="Stoke-on-Trent (Café)", ons="E06000021")]
    ).encode("latin-1")
    files["utf8_bom_valid.csv"] = ("\ufeff" + csv_text(rows)).encode("utf-8")
    files["semicolon_valid.csv"] = csv_text(rows, sep=";").encode("utf-8")
    # Odd but valid: header spellings, spaces, extra columns, markers, both council-type spellings,
    # breakdowns, numerator/denominator rows, an identical duplicate row, a blank line.
    odd_header = [
        "  year ",
        "Geographical Description",
        "ons area code",
        "MEASURE GROUP",
        "Measure Value ",
        "Geographical_Level",
        "Disaggregation Level",
        "Measure Type",
        "Notes (ignored)",
    ]
    odd = [
        ["2018-19 ", " Birmingham ", "E08000025 ", "1A", " 19.5 ", "Council", "Total", "Outcome", "x"],
        ["2018-19", "Coventry", "E08000026", "1A", "[c]", "council", "Total", "Outcome", ""],
        ["2018-19", "Dudley", "E08000027", "1A", "[x]", "COUNCIL", "Total", "Outcome", ""],
        ["2018-19", "Sandwell", "E08000028", "1A", "", "Council", "Total", "Outcome", ""],
        ["2018-19", "Birmingham", "E08000025", "2A2", "600.1", "Council", "Total", "Outcome", ""],
        ["2018-19", "Birmingham", "E08000025", "2A2", "1200", "Council", "Total", "Numerator", ""],
        ["2018-19", "Birmingham", "E08000025", "2A2", "199961", "Council", "Total", "Denominator", ""],
        ["2018-19", "Birmingham", "E08000025", "1B", "74.0", "Council", "18-64", "Outcome", ""],
        ["2018-19", "Birmingham", "E08000025", "1B", "78.0", "Council", "65 and over", "Outcome", ""],
        ["2018-19", "Birmingham", "E08000025", "1B", "76.2", "Council", "Total", "Outcome", ""],
        ["2018-19", "Birmingham", "E08000025", "1B", "76.2", "Council", "Total", "Outcome", ""],
        ["", "", "", "", "", "", "", "", ""],
        ["2018-19", "Metropolitan Districts", "", "1A", "19.2", "Council type", "Total", "Outcome", ""],
        ["2019-20", "Metropolitan District", "", "1A", "19.3", "Council Type", "Total", "Outcome", ""],
        ["2018-19", "Eastern", "E12000006", "1A", "19.6", "Region", "Total", "Outcome", ""],
        ["2018-19", "England", "E92000001", "1A", "19.4", "England", "", "", ""],
    ]
    files["odd_but_valid.csv"] = csv_text(odd, odd_header).encode("utf-8")
    # The published single-year layout (2018-19 / 2019-20 era): no Year column, the year is in the
    # file name; ONS Area Code, Measure Value, Geographical Code (CASSR), suffixed ASCOF Measure Code.
    single_header = [
        "Geographical Code",
        "Geographical Description",
        "Geographical Level",
        "ONS Area Code",
        "ASCOF Measure Code",
        "Disaggregation Level",
        "Measure Type",
        "Measure Value",
        "Measure Group",
        "Measure Group Description",
    ]
    single = [
        ["406", "Birmingham", "Council", "E08000025", "1A", "Total", "Outcome", "19.1", "1A", "SCRQoL"],
        ["406", "Birmingham", "Council", "E08000025", "1A", "Total", "Base", "812", "1A", "SCRQoL"],
        ["406", "Birmingham", "Council", "E08000025", "1A1864", "18-64", "Outcome", "19.6", "1A", "SCRQoL"],
        [
            "406",
            "Birmingham",
            "Council",
            "E08000025",
            "1A65OV",
            "65 and over",
            "Outcome",
            "18.8",
            "1A",
            "SCRQoL",
        ],
        ["406", "Birmingham", "Council", "E08000025", "1AM", "Total", "Outcome", "19.3", "1A", "SCRQoL"],
        ["406", "Birmingham", "Council", "E08000025", "1AF", "Total", "Outcome", "18.9", "1A", "SCRQoL"],
        ["406", "Birmingham", "Council", "E08000025", "2A1", "Total", "Numerator", "150", "2A1", "Adm 18-64"],
        ["406", "Birmingham", "Council", "E08000025", "2A1", "Total", "Denominator", "700000", "2A1", "Adm"],
        ["406", "Birmingham", "Council", "E08000025", "2A1", "Total", "Outcome", "21.4", "2A1", "Adm 18-64"],
        ["917", "Northumberland", "Council", "E06000057", "1A", "Total", "Outcome", "19.4", "1A", "SCRQoL"],
        ["J", "West Midlands", "Region", "E12000005", "1A", "Total", "Outcome", "19.2", "1A", "SCRQoL"],
        [
            "MD",
            "Metropolitan Districts",
            "Council Type",
            "",
            "1A",
            "Total",
            "Outcome",
            "19.0",
            "1A",
            "SCRQoL",
        ],
        ["England", "England", "England", "E92000001", "1A", "Total", "Outcome", "19.1", "1A", "SCRQoL"],
    ]
    files["meas-from-asc-of-eng-2019-20.csv"] = csv_text(single, single_header).encode("utf-8")
    # Refreshed 2023-24 layout: new codes, blank Disaggregation Level and Measure Type, margin of error.
    refreshed_header = [
        "Geographical Code",
        "Geographical Description",
        "Geographical Level",
        "ONS Code",
        "Measure Group",
        "Measure Group Description",
        "Disaggregation Level",
        "Measure Type",
        "Measure_Value",
    ]
    refreshed = [
        ["406", "Birmingham", "Council", "E08000025", "1A", "SCRQoL", "", "", "18.9"],
        ["406", "Birmingham", "Council", "E08000025", "1A", "SCRQoL", "", "Margin of Error", "0.3"],
        ["406", "Birmingham", "Council", "E08000025", "2C", "Admissions 65+", "", "", "560.2"],
        ["406", "Birmingham", "Council", "E08000025", "5A1", "Social contact", "", "", "[c]"],
        ["407", "Coventry", "Council", "E08000026", "3D2B", "DP carers", "", "", "[x]"],
        ["", "England", "England", "E92000001", "1A", "SCRQoL", "", "", "19.0"],
    ]
    files["meas-from-asc-of-eng-2324-refreshed.csv"] = csv_text(refreshed, refreshed_header).encode("utf-8")
    files["local_measures.xlsx"] = workbook_bytes(
        {
            "Values": [
                VALUES_HEADER,
                ["E08000025", "EXAMPLE-1", "2023-24", 42.5, "EXAMPLE ROW"],
                ["E08000025", "WM-REV", "2023-24", 81.5, "Provisional"],
                ["E08000026", "WM-REV", "2023-24", "[c]", ""],
                ["E08000025", "wm-wait", "2023/24", 12, ""],
                ["E12000005", "WM-WAIT", "2023-24", 14.5, "Regional figure"],
            ],
            "Measures": [
                MEASURES_HEADER,
                ["EXAMPLE-1", "Example", "percent", "higher", "", "", 0, 100],
                LOCAL_MEASURE,
                [
                    "WM-WAIT",
                    "Days waiting for assessment",
                    "Count",
                    "Lower is better",
                    "Median days",
                    "Culture and Change",
                    0,
                    365,
                ],
            ],
        }
    )
    files["local_values.csv"] = csv_text(
        [["E08000025", "WM-REV", "2023-24", "82.0", "Final"], ["E08000027", "WM-REV", "2023-24", "70.5", ""]],
        ["gss_code", "measure_code", "period", "value", "note"],
    ).encode("utf-8")
    return files


def main() -> None:
    BAD.mkdir(exist_ok=True)
    GOOD.mkdir(exist_ok=True)
    for old in [*BAD.iterdir(), *GOOD.iterdir()]:
        old.unlink()
    expected = {}
    for name, (data, expectation) in sorted(bad_cases().items()):
        (BAD / name).write_bytes(data)
        expected[name] = expectation
    (BAD / "expected.json").write_text(
        json.dumps(expected, indent=1, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    for name, data in good_files().items():
        (GOOD / name).write_bytes(data)
    print(f"{len(expected)} bad files, {len(good_files())} good files")


if __name__ == "__main__":
    main()
