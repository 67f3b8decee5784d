"""What a cell says: a number, a marker of a suppressed or missing figure, or formula text."""

from __future__ import annotations

import re
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation

import numpy as np
import pandas as pd

from scorecard.imports.pipeline.outcome import Problems
from scorecard.models import Value

# Markers for figures that are not numbers: the GSS shorthand used by NHS England/DHSC ([c], [x], [z]) and
# the older symbols of earlier publications (* for small numbers suppressed; : .. - n/a for not available).
SUPPRESSED_MARKERS = {"[c]", "c", "*"}
NOT_APPLICABLE_MARKERS = {"[x]", "[z]", "x", "z", ":", "..", "-", "n/a", "na"}
FORMULA_START = ("=", "+", "-", "@")
_NUMBER_RE = re.compile(r"^[+-]?(\d{1,3}(,\d{3})+|\d+)?(\.\d+)?([eE][+-]?\d+)?%?$")
QUANT = Decimal("0.000001")
MAX_ABS = Decimal("999999999999")  # Value fields: 18 digits, 6 after the point


def looks_like_formula(text: str) -> bool:
    """Spreadsheet-formula text (=HYPERLINK(…), +cmd, @SUM…) that is not simply a signed number."""
    if text.lower() in SUPPRESSED_MARKERS | NOT_APPLICABLE_MARKERS:
        return False  # "-" alone is the published "not available" symbol
    return bool(text) and text[0] in FORMULA_START and parse_number(text) is None


def parse_number(text: str) -> Decimal | None:
    """A finite decimal from cell text such as 12, -3.5, 1,234.5, 45% or 1e3; else None."""
    if not text or not _NUMBER_RE.match(text) or not any(ch.isdigit() for ch in text):
        return None
    try:
        number = Decimal(text.replace(",", "").rstrip("%"))
    except InvalidOperation:  # pragma: no cover (the pattern only passes valid numbers)
        return None
    if not number.is_finite():
        return None
    return number


def parse_value_cell(text: str) -> tuple[str, Decimal | None] | None:
    """``(status, value)`` for a value cell, or None if it is neither a number nor a known marker."""
    lowered = text.lower()
    if text == "":
        return Value.Status.MISSING, None
    if lowered in SUPPRESSED_MARKERS:
        return Value.Status.SUPPRESSED, None
    if lowered in NOT_APPLICABLE_MARKERS:
        return Value.Status.NOT_APPLICABLE, None
    number = parse_number(text)
    if number is None:
        return None
    return Value.Status.OK, number


def quantize(number: Decimal | None) -> Decimal | None:
    return None if number is None else number.quantize(QUANT)


def column_label(frame: pd.DataFrame, column: str) -> str:
    """A column as reported in problems: ``Values!Value`` for a workbook sheet, else the header."""
    sheet = frame.attrs.get("sheet")
    return f"{sheet}!{column}" if sheet else column


def scan_formulas(frame: pd.DataFrame, problems: Problems, columns: Iterable[str]) -> None:
    """Name every cell that starts like a spreadsheet formula (= + - @) and is not a number."""
    for column in columns:
        series = frame[column]
        # Each distinct text is looked at once (a national file repeats a few texts thousands of times).
        codes, uniques = pd.factorize(series.to_numpy())
        flagged = [i for i, text in enumerate(uniques) if text[:1] in "=+-@" and looks_like_formula(text)]
        if not flagged:
            continue
        suspicious = series[np.isin(codes, flagged)]
        for row, text in suspicious.items():
            if looks_like_formula(text):
                shown = text if len(text) <= 40 else text[:37] + "…"
                problems.add(
                    f"{shown!r} looks like a spreadsheet formula, which is not allowed",
                    row=int(row),
                    column=column_label(frame, column),
                )
