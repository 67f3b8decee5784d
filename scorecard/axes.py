"""Where a chart's value axis starts and ends: one rule for every chart of figures (pages and packs).

A chart must not make a small change look large. The value axis starts at zero (rates, percentages,
counts, scores, money: every unit the catalogue has), so the height of a line or a bar is in proportion to its
value. Only when the figures lie so close together that their differences would vanish on such an axis (all
of them within ``VISIBLE_SHARE`` of its height) does the axis start higher; it then still spans at least
``ZOOM_MIN_SHARE`` of the zero-based axis (a 0.2-point change on a percentage is never drawn as a collapse),
and the chart says so in words: :attr:`ValueAxis.note`.

Pure: no Django, no plotly. ``scorecard/charts.py`` (the pages' plotly charts) and
``peerchallenge/packs/charts.py`` (the pack's SVG) both draw with it.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal

VISIBLE_SHARE = 0.1  # figures spread over less than this share of a zero-based axis: start higher
ZOOM_MIN_SHARE = 0.25  # a raised axis still spans at least this share of the zero-based one
TICK_STEPS = (1.0, 2.0, 2.5, 5.0)  # times a power of ten
UNIT_CEILING = {"percent": 100.0}  # an axis never runs past what the unit can reach


@dataclass(frozen=True)
class ValueAxis:
    low: float
    high: float
    ticks: tuple[float, ...]  # labelled values, low to high
    starts_at_zero: bool  # zero is on the axis (False: the axis was raised, and ``note`` says so)
    note: str = ""  # e.g. "The axis starts at 60%, not zero" ("" when it starts at zero)

    def position(self, value: float) -> float:
        """Where ``value`` sits on the axis, 0.0 (low) to 1.0 (high)."""
        return (value - self.low) / (self.high - self.low)


def _plain(value: float) -> str:
    return f"{value:g}"


def axis_text(value: float, *, unit: str = "") -> str:
    """An axis value as a label: "60%", "£1,500", "512.5", "0.4" (the axis title names other units)."""
    text = f"{value:,g}"
    if unit == "percent":
        return f"{text}%"
    if unit == "currency":
        return f"-£{text[1:]}" if text.startswith("-") else f"£{text}"
    return text


def nice_step(span: float, *, most: int = 5) -> float:
    """The smallest round step (1, 2, 2.5 or 5 times a power of ten) that cuts ``span`` into at most ``most``
    parts."""
    if span <= 0:
        return 1.0
    power = 10.0 ** math.floor(math.log10(span / most))
    for factor in (*TICK_STEPS, 10.0):
        if span / (factor * power) <= most:
            return factor * power
    return 10.0 * power  # pragma: no cover (10 always fits)


def _ticks(low: float, high: float, step: float) -> tuple[float, ...]:
    """Every multiple of ``step`` from ``low`` (itself a multiple) up to ``high``."""
    count = math.floor((high - low) / step + 1e-9)
    return tuple(round(low + i * step, 10) for i in range(count + 1))


def value_axis(
    values: Iterable[float | Decimal | None],
    *,
    unit: str = "",
    scale_max: float | Decimal | None = None,
    label: Callable[[float], str] = _plain,
) -> ValueAxis:
    """The value axis for ``values`` (every figure the chart draws: the council's and its comparators').

    ``unit`` and ``scale_max`` cap the axis at what the unit can reach (100%, a score's maximum);
    ``label`` writes a value as the axis shows it (for the note).
    """
    numbers = [float(v) for v in values if v is not None]
    if not numbers:
        return ValueAxis(0.0, 1.0, (0.0, 1.0), True)
    lowest, highest = min(numbers), max(numbers)
    ceiling = float(scale_max) if scale_max is not None else UNIT_CEILING.get(unit)
    if ceiling is not None and highest > ceiling:
        ceiling = None  # figures beyond the unit's reach (a score over its maximum): never cut them off
    if lowest < 0:  # a negative figure: the axis spans both signs, zero included
        step = nice_step(max(highest, 0.0) - lowest)
        low, high = math.floor(lowest / step) * step, math.ceil(max(highest, 0.0) / step) * step
        return ValueAxis(low, high or step, _ticks(low, high or step, step), True)
    step = nice_step(highest or 1.0)
    top = math.ceil(highest / step) * step or step
    if ceiling is not None:
        top = min(top, ceiling)
    spread = highest - lowest
    if spread == 0 or spread >= VISIBLE_SHARE * top:
        # Zero-based: the figures' differences show (or there are none to show: a flat line is flat).
        return ValueAxis(0.0, top, _ticks(0.0, top, step), True)
    span = max(spread * 1.5, ZOOM_MIN_SHARE * top)
    step = nice_step(span, most=4)
    middle = (lowest + highest) / 2
    low = max(math.floor((middle - span / 2) / step) * step, 0.0)
    high = max(math.ceil((middle + span / 2) / step) * step, low + step)
    if ceiling is not None and high > ceiling:
        low, high = max(low - (high - ceiling), 0.0), ceiling
    low = min(low, math.floor(lowest / step) * step)
    if low <= 0:
        return ValueAxis(0.0, high, _ticks(0.0, high, step), True)
    return ValueAxis(low, high, _ticks(low, high, step), False, f"The axis starts at {label(low)}, not zero")
