"""Static SVG charts for the PDF pack, drawn from the selectors' numbers without a browser.

Each chart is small hand-made SVG (vector in the PDF, about a millisecond to make); the pack prints its data
table beside it. Text is escaped; nothing from a user is ever markup.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from html import escape

from django.utils.safestring import SafeString, mark_safe

INK = "#0b0c0c"
GREY = "#b1b4b6"
BLUE = "#1d70b8"
DARK = "#003078"


def _scale(values: Sequence[Decimal], low_zero: bool = True) -> tuple[float, float]:
    numbers = [float(v) for v in values]
    low = min([*numbers, 0.0]) if low_zero else min(numbers)
    high = max(numbers)
    if high == low:
        high = low + 1.0
    return low, high


def trend_svg(
    points: Sequence[tuple[str, Decimal | None]], *, title: str, width: int = 260, height: int = 110
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


def ranking_svg(bars: Sequence, *, title: str, width: int = 300) -> SafeString:
    """Horizontal bars of the region's councils, best first; the council the pack is about in dark blue.

    ``bars`` are :class:`peerchallenge.packs.selectors.RankingBar` (name, value, formatted, is_subject).
    """
    row_height, left, right, top = 11, 110, 84, 4
    height = top * 2 + row_height * max(len(bars), 1)
    present = [b.value for b in bars if b.value is not None]
    label = escape(title)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="{label}" width="{width}" '
        f'height="{height}" viewBox="0 0 {width} {height}" font-family="DejaVu Sans, sans-serif">'
    ]
    low, high = _scale(present) if present else (0.0, 1.0)
    plot = width - left - right
    for i, bar in enumerate(bars):
        y = top + i * row_height
        weight = ' font-weight="bold"' if bar.is_subject else ""
        parts.append(
            f'<text x="{left - 4}" y="{y + 8}" font-size="7" text-anchor="end" fill="{INK}"{weight}>'
            f"{escape(bar.name[:26])}</text>"
        )
        if bar.value is not None:
            length = plot * (float(bar.value) - low) / (high - low)
            colour = DARK if bar.is_subject else GREY
            parts.append(
                f'<rect x="{left}" y="{y + 1}" width="{max(length, 0.5):.1f}" height="{row_height - 3}" fill="{colour}"/>'
            )
            parts.append(
                f'<text x="{left + length + 3:.1f}" y="{y + 8}" font-size="7" fill="{INK}"{weight}>{escape(bar.formatted)}</text>'
            )
        else:
            parts.append(
                f'<text x="{left + 2}" y="{y + 8}" font-size="7" fill="{INK}">{escape(bar.formatted)}</text>'
            )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 (every text above is escaped)
