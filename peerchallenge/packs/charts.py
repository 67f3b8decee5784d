"""Charts for the PDF pack, drawn from the selectors' numbers without a browser.

- The trend is a small hand-made SVG line (vector in the PDF, about a millisecond to make), printed beside its
  data table.
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
from collections.abc import Sequence
from decimal import Decimal
from html import escape
from typing import TYPE_CHECKING, TypeVar

from django.utils.safestring import SafeString, mark_safe

if TYPE_CHECKING:
    from peerchallenge.packs.selectors import RankingBar

B = TypeVar("B", bound="RankingBar")

INK = "#0b0c0c"
GREY = "#b1b4b6"
BLUE = "#1d70b8"
DARK = "#003078"
TREND_WIDTH, TREND_HEIGHT = 260, 110  # px


def _scale(values: Sequence[Decimal], low_zero: bool = True) -> tuple[float, float]:
    numbers = [float(v) for v in values]
    low = min([*numbers, 0.0]) if low_zero else min(numbers)
    high = max(numbers)
    if high == low:
        high = low + 1.0
    return low, high


def trend_svg(
    points: Sequence[tuple[str, Decimal | None]],
    *,
    title: str,
    width: int = TREND_WIDTH,
    height: int = TREND_HEIGHT,
) -> SafeString:
    """A line of the council's value in each period (gaps where there is no figure)."""
    present = [v for _, v in points if v is not None]
    label = escape(title)
    if not present:
        return mark_safe(  # noqa: S308 (the title is escaped)
            f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="{label}: no figures" '
            f'width="{width}" height="{height}" viewBox="0 0 {width} {height}"><text x="8" y="20" '
            f'font-size="10" fill="{INK}">No figures to draw</text></svg>'
        )
    left, right, top, bottom = 34, 18, 8, 22
    smallest, largest = _scale(present, low_zero=False)
    span = largest - smallest
    low, high = smallest - span * 0.1, largest + span * 0.1
    n = len(points)
    step = (width - left - right) / max(n - 1, 1)

    def y_of(value: float) -> float:
        return top + (height - top - bottom) * (1 - (value - low) / (high - low))

    def y(value: Decimal) -> float:
        return y_of(float(value))

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="{label}" width="{width}" '
        f'height="{height}" viewBox="0 0 {width} {height}" font-family="DejaVu Sans, sans-serif">',
        f'<line x1="{left}" y1="{height - bottom}" x2="{width - right}" y2="{height - bottom}" stroke="{GREY}"/>',
        f'<text x="{left - 3}" y="{y_of(largest) + 3:.1f}" font-size="7" text-anchor="end" fill="{INK}">{largest:.4g}</text>',
        f'<text x="{left - 3}" y="{y_of(smallest) + 3:.1f}" font-size="7" text-anchor="end" fill="{INK}">{smallest:.4g}</text>',
    ]
    segment: list[str] = []
    for i, (period, value) in enumerate(points):
        x = left + i * step
        parts.append(
            f'<text x="{x:.1f}" y="{height - 8}" font-size="7" text-anchor="middle" fill="{INK}">{escape(period)}</text>'
        )
        if value is None:
            if len(segment) > 1:
                parts.append(
                    f'<polyline fill="none" stroke="{BLUE}" stroke-width="2" points="{" ".join(segment)}"/>'
                )
            segment = []
            continue
        segment.append(f"{x:.1f},{y(value):.1f}")
        parts.append(f'<circle cx="{x:.1f}" cy="{y(value):.1f}" r="2.5" fill="{DARK}"/>')
    if len(segment) > 1:
        parts.append(f'<polyline fill="none" stroke="{BLUE}" stroke-width="2" points="{" ".join(segment)}"/>')
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 (every text above is escaped)


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
