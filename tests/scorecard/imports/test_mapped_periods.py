"""One period parser for every publisher's spelling of a financial year."""

import pytest

from scorecard.periods import period_start_year


@pytest.mark.parametrize(
    ("text", "start"),
    [
        ("2022-23", 2022),
        ("2022/23", 2022),
        ("FY2022/23", 2022),
        ("FY 2022-23", 2022),
        ("fy2022/23", 2022),
        ("Financial year 2022-23", 2022),
        ("2022/2023", 2022),
        ("2022-2023", 2022),
        ("202223", 2022),
        ("2223", 2022),
        ("1999-00", 1999),
    ],
)
def test_financial_year_spellings(text, start):
    assert period_start_year(text) == start
    assert period_start_year(text, bare_year=True) == start


def test_a_year_alone_is_the_financial_year_starting_in_it_only_when_asked():
    assert period_start_year("2023") is None  # ?period=2023 stays unknown on pages and the API
    assert period_start_year("2023", bare_year=True) == 2023
    assert period_start_year("FY2023", bare_year=True) == 2023


@pytest.mark.parametrize("text", ["2022-24", "2022/2024", "22-23x", "", "FY", "year", "12345", "2022-23-24"])
def test_not_financial_years(text):
    assert period_start_year(text, bare_year=True) is None
