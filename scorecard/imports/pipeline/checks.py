"""The rules a figure must keep, each stated once: stored size, a measure's limits, sign, one figure per key.

A rule is stated here once and read two ways: for one figure (``figure_problem``, which names the first rule
it breaks) and as bounds (``safe_bounds``) inside which a figure breaks none, so that a whole column of figures
is checked with numpy and only the few on or beyond a bound are looked at one by one.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from scorecard.imports.pipeline.cells import MAX_ABS
from scorecard.imports.pipeline.outcome import Counts, Problems
from scorecard.models import Measure, Unit

IDENTICAL_DUPLICATE = "identical duplicate row"  # the skip reason of a row that repeats another exactly
NON_NEGATIVE_UNITS = (Unit.RATE_100K, Unit.COUNT, Unit.RATIO, Unit.SCORE)


@dataclass(frozen=True)
class Limit:
    """One rule of a measure's headline values: inside ``low``..``high`` (inclusive; None: unbounded)."""

    low: Decimal | None
    high: Decimal | None
    why: Callable[[Decimal], str]

    def broken_by(self, number: Decimal) -> bool:
        return (self.low is not None and number < self.low) or (self.high is not None and number > self.high)


def measure_limits(measure: Measure) -> list[Limit]:
    """The rules a headline value of ``measure`` keeps, in the order a problem names them."""
    limits = []
    if measure.unit == Unit.PERCENT:
        limits.append(Limit(Decimal(0), Decimal(100), lambda n: f"{n} is a percentage outside 0-100"))
    low, high = measure.plausible_min, measure.plausible_max
    if low is not None or high is not None:
        bounds = f"{_fmt(low) if low is not None else '-∞'} to {_fmt(high) if high is not None else '∞'}"
        limits.append(
            Limit(
                None if low is None else Decimal(low),
                None if high is None else Decimal(high),
                lambda n: f"{n} is outside the plausible range for {measure.code} ({bounds})",
            )
        )
    if measure.unit in NON_NEGATIVE_UNITS:
        unit = measure.get_unit_display().lower()
        limits.append(Limit(Decimal(0), None, lambda n: f"{n} is negative, which is impossible for a {unit}"))
    if measure.unit == Unit.SCORE and measure.scale_max is not None:
        top = Decimal(measure.scale_max)
        limits.append(Limit(None, top, lambda n: f"{n} is over the maximum score of {_fmt(top)}"))
    return limits


def check_number_size(number: Decimal) -> str | None:
    """The stored size: Value's decimal fields hold 12 digits before the point."""
    if abs(number) > MAX_ABS:
        return f"{number} is too large to store"
    return None


def range_problem(measure: Measure, number: Decimal) -> str | None:
    """Why a headline value cannot be right for this measure, or None."""
    for limit in measure_limits(measure):
        if limit.broken_by(number):
            return limit.why(number)
    return None


def figure_problem(number: Decimal, *, measure: Measure | None, part: str | None = None) -> str | None:
    """Why a figure cannot be stored: its size; then a headline value (``part`` None) by its measure's limits,
    and a part of it (a base, numerator, denominator or margin of error, named by ``part``) by its sign."""
    message = check_number_size(number)
    if message is None and part is None:
        return range_problem(measure, number) if measure is not None else None
    if message is None and number < 0:
        return f"{number} is negative, which is impossible for a {part}"
    return message


def safe_bounds(measure: Measure | None, *, part: bool = False) -> tuple[Decimal, Decimal]:
    """Bounds inside which a figure breaks none of ``figure_problem``'s rules (a headline value of
    ``measure``, or with ``part`` a part of one); on or beyond them, ``figure_problem`` says."""
    low, high = -MAX_ABS, MAX_ABS
    if part:
        return Decimal(0), high
    for limit in measure_limits(measure) if measure is not None else []:
        low = low if limit.low is None else max(low, limit.low)
        high = high if limit.high is None else min(high, limit.high)
    return low, high


def duplicate_problem(first_row: int, what: str) -> str:
    """A key given twice with different figures: the problem names the row that gave it first."""
    return f"row {first_row} has a different value for the same {what}"


class FirstFigures:
    """The rule for a key given more than once, row by row: the first row's figures are kept; a row that
    repeats them exactly is skipped (counted), one that differs is a problem naming the first row."""

    def __init__(self, what: str) -> None:
        self.what = what
        self.seen: dict[Any, tuple[Any, int]] = {}

    def first(
        self, key: Any, figures: Any, *, row: int, column: str | None, problems: Problems, counts: Counts
    ) -> bool:
        """Whether this row gives ``key`` first (keep it)."""
        previous = self.seen.get(key)
        if previous is None:
            self.seen[key] = (figures, row)
            return True
        if previous[0] == figures:
            counts.skip(IDENTICAL_DUPLICATE)
        else:
            problems.add(duplicate_problem(previous[1], self.what), row=row, column=column)
        return False


def _fmt(number: Decimal) -> str:
    return format(number.normalize(), "f")
