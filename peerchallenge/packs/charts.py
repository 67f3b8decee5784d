"""Charts for the PDF pack, drawn from the selectors' numbers without a browser.

- The trend is a small hand-made SVG line chart (vector in the PDF, about a millisecond to make): the council
  with its region and England, a legend, every period labelled, on a value axis that starts at zero unless
  the figures' differences would vanish on it, and then says so (``scorecard.axes``); printed above its data
  table (every period, every line).
- The ranking is drawn as bars inside its own data table (:func:`ranking_widths`): WeasyPrint draws each bar
  as a vector rectangle, and the council names and values are the table's cells rather than SVG text, which
  WeasyPrint lays out slowly (a ranking SVG of 14 councils cost as much as a page of text).

Both are placed in the pack as ``<img>`` elements with the SVG as a data URL (:func:`svg_image`): WeasyPrint
still draws them as vectors, the PDF's structure tree gets a figure with the alternative text, and the SVG's
own elements stay out of the HTML document's style cascade (inline, each one was styled like an HTML
element).

Text is escaped; nothing from a user is ever markup.
"""

from __future__ import annotations

import base64
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from html import escape
from typing import TYPE_CHECKING, TypeVar

from django.utils.safestring import SafeString, mark_safe

from scorecard.axes import ValueAxis, value_axis

if TYPE_CHECKING:
    from peerchallenge.packs.selectors import RankingBar

B = TypeVar("B", bound="RankingBar")

INK = "#0b0c0c"
GREY = "#b1b4b6"
BLUE = "#1d70b8"
DARK = "#003078"
GREY_DARK = "#505a5f"
GRID = "#e5e6e7"
TREND_WIDTH, TREND_HEIGHT = 300, 150  # px, the legend's rows included
LEGEND_ROW = 10  # px


def _scale(values: Sequence[Decimal], low_zero: bool = True) -> tuple[float, float]:
    numbers = [float(v) for v in values]
    low = min([*numbers, 0.0]) if low_zero else min(numbers)
    high = max(numbers)
    if high == low:
        high = low + 1.0
    return low, high


# The trend's lines: the council solid dark blue with dots, its region dashed black, England dotted grey (the
# pages' comparator styles, scorecard/charts.py), so no line is told from another by colour alone.
LINE_STYLES = {
    "council": (DARK, "", 2.0),
    "region": (INK, "5 3", 1.5),
    "england": (GREY_DARK, "1.5 2", 1.5),
}


@dataclass(frozen=True)
class TrendLine:
    label: str  # as the legend and the table name it: the council, its region, "England"
    values: tuple[Decimal | None, ...]  # one per period of the figure, None for a gap
    kind: str = "council"  # a key of LINE_STYLES


@dataclass(frozen=True)
class TrendFigure:
    """What the trend chart draws, before it is drawn: the periods (every one labelled on the axis), the
    lines (the council's first), and the value axis (``scorecard.axes``: from zero unless the figures'
    differences would vanish, and then a note saying so)."""

    periods: tuple[str, ...]
    lines: tuple[TrendLine, ...]
    axis: ValueAxis
    tick_labels: tuple[str, ...]  # the value axis's labels, one per ``axis.ticks``

    @property
    def has_figures(self) -> bool:
        return any(v is not None for line in self.lines for v in line.values)


def trend_figure(
    periods: Sequence[str],
    lines: Sequence[TrendLine],
    *,
    unit: str = "",
    scale_max: Decimal | None = None,
    label: Callable[[float], str] | None = None,
) -> TrendFigure:
    """The council's trend with its comparators' on one value axis that every line fits."""
    write = label or (lambda value: f"{value:g}")
    axis = value_axis((v for line in lines for v in line.values), unit=unit, scale_max=scale_max, label=write)
    return TrendFigure(
        periods=tuple(periods),
        lines=tuple(lines),
        axis=axis,
        tick_labels=tuple(write(tick) for tick in axis.ticks),
    )


def trend_svg(
    figure: TrendFigure,
    *,
    title: str,
    width: int = TREND_WIDTH,
    height: int = TREND_HEIGHT,
) -> SafeString:
    """The figure as a small SVG line chart: labelled value axis with light grid lines, every period on the
    period axis, one line per area (gaps where there is no figure), the axis note and a legend below."""
    label = escape(title)
    if not figure.has_figures:
        return mark_safe(  # noqa: S308 (the title is escaped)
            f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="{label}: no figures" '
            f'width="{width}" height="{height}" viewBox="0 0 {width} {height}"><text x="8" y="20" '
            f'font-size="10" fill="{INK}">No figures to draw</text></svg>'
        )
    legend_top = height - LEGEND_ROW * len(figure.lines)
    left, right, top, bottom = 34, 20, 16 if figure.axis.note else 6, height - legend_top + 18
    axis = figure.axis
    plot = height - top - bottom
    n = len(figure.periods)
    step = (width - left - right) / max(n - 1, 1)

    def y_of(value: float) -> float:
        return top + plot * (1 - axis.position(value))

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="{label}" width="{width}" '
        f'height="{height}" viewBox="0 0 {width} {height}" font-family="DejaVu Sans, sans-serif" font-size="7">',
    ]
    if axis.note:
        parts.append(f'<text x="0" y="8" font-weight="bold" fill="{INK}">{escape(axis.note)}</text>')
    for tick, text in zip(axis.ticks, figure.tick_labels, strict=True):
        y = y_of(tick)
        colour = GREY if tick == axis.low else GRID
        parts.append(f'<line x1="{left}" y1="{y:.1f}" x2="{width - right}" y2="{y:.1f}" stroke="{colour}"/>')
        parts.append(
            f'<text x="{left - 3}" y="{y + 2.5:.1f}" text-anchor="end" fill="{INK}">{escape(text)}</text>'
        )
    for i, period in enumerate(figure.periods):
        parts.append(
            f'<text x="{left + i * step:.1f}" y="{top + plot + 11:.1f}" text-anchor="middle" fill="{INK}">'
            f"{escape(period)}</text>"
        )
    for line in reversed(figure.lines):  # the council's line drawn last, on top
        colour, dash, stroke = LINE_STYLES.get(line.kind, LINE_STYLES["council"])
        dashes = f' stroke-dasharray="{dash}"' if dash else ""
        for run in _runs(line.values):
            points = " ".join(f"{left + i * step:.1f},{y_of(float(v)):.1f}" for i, v in run)
            if len(run) > 1:
                parts.append(
                    f'<polyline fill="none" stroke="{colour}" stroke-width="{stroke}"{dashes} points="{points}"/>'
                )
            if line.kind == "council" or len(run) == 1:  # a lone figure is a dot, never lost
                parts.extend(
                    f'<circle cx="{left + i * step:.1f}" cy="{y_of(float(v)):.1f}" r="2" fill="{colour}"/>'
                    for i, v in run
                )
    for row, line in enumerate(figure.lines):
        colour, dash, stroke = LINE_STYLES.get(line.kind, LINE_STYLES["council"])
        dashes = f' stroke-dasharray="{dash}"' if dash else ""
        y = legend_top + row * LEGEND_ROW + LEGEND_ROW / 2
        parts.append(
            f'<line x1="{left}" y1="{y:.1f}" x2="{left + 18}" y2="{y:.1f}" stroke="{colour}" '
            f'stroke-width="{stroke}"{dashes}/><text x="{left + 22}" y="{y + 2.5:.1f}" fill="{INK}">'
            f"{escape(line.label)}</text>"
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 (every text above is escaped)


def _runs(values: Sequence[Decimal | None]) -> list[list[tuple[int, Decimal]]]:
    """The unbroken runs of figures (index, value): a line never joins across a year without one."""
    runs: list[list[tuple[int, Decimal]]] = [[]]
    for i, value in enumerate(values):
        if value is None:
            if runs[-1]:
                runs.append([])
        else:
            runs[-1].append((i, value))
    return [run for run in runs if run]


def ranking_widths(bars: Sequence[B]) -> list[tuple[B, float | None]]:
    """Each bar with its length in percent of the bar column (``None`` where there is no figure).

    The ranking chart is drawn as bars inside its own data table (rank, council, value, bar): one object
    that is both the chart and its table, vector in the PDF, and cheap for WeasyPrint to lay out. The scale
    starts at zero (or at the smallest value when it is negative); the longest bar fills the column, and a
    bar is never shorter than 1% so that a zero still shows.
    ``bars`` are :class:`peerchallenge.packs.selectors.RankingBar` (name, value, formatted, is_subject).
    """
    present = [b.value for b in bars if b.value is not None]
    if not present:
        return [(bar, None) for bar in bars]
    low, high = _scale(present)
    return [
        (
            bar,
            None if bar.value is None else round(max(100 * (float(bar.value) - low) / (high - low), 1.0), 1),
        )
        for bar in bars
    ]


# The ranking table's row pitch (mm): every cell of the table is one line of this height (the CSS in
# templates/peerchallenge/packs/pack_pdf.html sets it), so the bars, drawn as one SVG in a cell that spans
# every row, line up with their rows.
RANKING_ROW_MM = 4.2
RANKING_RULE_MM = 0.5 * 25.4 / 72  # the 0.5pt rule between rows


def ranking_height_mm(count: int) -> float:
    """The height of the ranking's bars (mm) for ``count`` rows: one row pitch each."""
    return (RANKING_ROW_MM + RANKING_RULE_MM) * max(count, 1)


def ranking_bars_svg(bars: Sequence, *, title: str) -> SafeString:
    """The ranking's bars as one SVG of rectangles (no text: the names and values are the table's cells).

    One SVG instead of a box per bar keeps the table cheap to lay out; the council the pack is about is
    dark blue, the others grey; a council without a figure has no bar.
    """
    pitch = RANKING_ROW_MM + RANKING_RULE_MM
    height = ranking_height_mm(len(bars))
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="{escape(title)}" width="100%" '
        f'height="{height:.2f}mm" viewBox="0 0 100 {height:.2f}" preserveAspectRatio="none">'
    ]
    for i, (bar, width) in enumerate(ranking_widths(bars)):
        if width is None:
            continue
        colour = DARK if bar.is_subject else GREY
        top = i * pitch + pitch * 0.2
        parts.append(
            f'<rect x="0" y="{top:.2f}" width="{width:.1f}" height="{pitch * 0.6:.2f}" fill="{colour}"/>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 (the title is escaped; the rest is numbers)


def svg_image(svg: str, *, alt: str, width: str, height: str) -> SafeString:
    """An SVG as an ``<img>`` with a data URL, sized by CSS (``width``/``height`` are CSS lengths)."""
    data = base64.b64encode(svg.encode()).decode("ascii")
    return mark_safe(  # noqa: S308 (alt is escaped; the rest is base64 and our own lengths)
        f'<img class="chart" alt="{escape(alt)}" style="width: {width}; height: {height}" '
        f'src="data:image/svg+xml;base64,{data}">'
    )
