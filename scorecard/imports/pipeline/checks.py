"""The rules a figure must keep, each stated once: stored size, a measure's range, sign."""

from __future__ import annotations

from decimal import Decimal

from scorecard.imports.pipeline.cells import MAX_ABS
from scorecard.models import Measure, Unit


def check_number_size(number: Decimal) -> str | None:
    if abs(number) > MAX_ABS:
        return f"{number} is too large to store"
    return None


def range_problem(measure: Measure, number: Decimal) -> str | None:
    """Why a headline value cannot be right for this measure, or None."""
    if measure.unit == Unit.PERCENT and not (0 <= number <= 100):
        return f"{number} is a percentage outside 0-100"
    low, high = measure.plausible_min, measure.plausible_max
    if (low is not None and number < low) or (high is not None and number > high):
        bounds = f"{_fmt(low) if low is not None else '-∞'} to {_fmt(high) if high is not None else '∞'}"
        return f"{number} is outside the plausible range for {measure.code} ({bounds})"
    if measure.unit in (Unit.RATE_100K, Unit.COUNT, Unit.RATIO, Unit.SCORE) and number < 0:
        return f"{number} is negative, which is impossible for a {measure.get_unit_display().lower()}"
    if measure.unit == Unit.SCORE and measure.scale_max is not None and number > measure.scale_max:
        return f"{number} is over the maximum score of {_fmt(measure.scale_max)}"
    return None


def _fmt(number: Decimal) -> str:
    text = format(number.normalize(), "f")
    return text
