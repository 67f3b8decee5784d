"""Presentation helpers for scorecard pages: sparklines, RAG tags and direction markers."""

from collections.abc import Sequence
from decimal import Decimal
from typing import TypeVar

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from scorecard.periods import period_label, period_start_year

T = TypeVar("T")

register = template.Library()

RAG_CLASSES = {"green": "govuk-tag--green", "amber": "govuk-tag--yellow", "red": "govuk-tag--red"}
DIRECTION_SYMBOLS = {
    "improving": ("▲", "app-direction--good"),
    "worsening": ("▼", "app-direction--bad"),
    "increasing": ("▲", ""),
    "decreasing": ("▼", ""),
    "no_change": ("▶", ""),
    "not_comparable": ("–", ""),
}


@register.simple_tag
def rag_tag(rag: str | None) -> SafeString:
    """A GOV.UK tag that says the RAG rating in words as well as colour."""
    if not rag:
        return format_html('<span class="govuk-body-s app-muted">{}</span>', "No RAG")
    value = str(rag)
    return format_html(
        '<strong class="govuk-tag {}">{}</strong>', RAG_CLASSES.get(value, ""), value.capitalize()
    )


@register.simple_tag
def direction_marker(direction: str | None) -> SafeString:
    value = str(direction or "not_comparable")
    symbol, css = DIRECTION_SYMBOLS.get(value, ("–", ""))
    label = value.replace("_", " ").capitalize()
    return format_html(
        # The symbol stays on the line of the first word (a no-break space); a narrow column wraps the rest.
        '<span class="app-direction {}"><span aria-hidden="true">{}\u00a0</span>{}</span>',
        css,
        symbol,
        label,
    )


@register.simple_tag
def sparkline(
    points: Sequence[tuple[str, Decimal | float | None]],
    width: int = 96,
    height: int = 24,
    until: str = "",
) -> SafeString:
    """A small inline SVG trend line: the figures are in the row and on the measure page.

    ``until`` (a period label) ends the line at the year shown, so an older year's scorecard does not show
    later years. Years are spaced by their start year, and a year without a figure (such as the 2020-21
    survey gap) breaks the line rather than joining across it.
    """
    points = trend_until(points, until)
    numbered = [(label, float(v), period_start_year(label)) for label, v in points if v is not None]
    if len(numbered) < 2:
        return format_html('<span class="govuk-body-s app-muted">{}</span>', "Not enough years")
    years = [year for _, _, year in numbered]
    if all(year is not None for year in years):
        positions = [float(year) for year in years]  # type: ignore[arg-type]
    else:  # labels we cannot read as years: evenly spaced, in order
        positions = [float(i) for i in range(len(numbered))]
    first, span_x = positions[0], (positions[-1] - positions[0]) or 1.0
    lows, highs = min(v for _, v, _ in numbered), max(v for _, v, _ in numbered)
    span = (highs - lows) or 1.0
    coords = [
        (2 + (x - first) / span_x * (width - 4), height - 2 - (v - lows) / span * (height - 4))
        for x, (_, v, _) in zip(positions, numbered, strict=True)
    ]
    # Split into runs of consecutive years: a missing year is a gap.
    runs: list[list[tuple[float, float]]] = [[coords[0]]]
    for index in range(1, len(coords)):
        if positions[index] - positions[index - 1] > 1:
            runs.append([])
        runs[-1].append(coords[index])
    shapes = []
    for run in runs:
        if len(run) == 1:
            shapes.append(format_html('<circle cx="{}" cy="{}" r="2.5" fill="#1d70b8"/>', *_xy(run[0])))
        else:
            shapes.append(
                format_html(
                    '<polyline fill="none" stroke="#1d70b8" stroke-width="2" points="{}"/>',
                    " ".join(f"{x:.1f},{y:.1f}" for x, y in run),
                )
            )
    last_x, last_y = _xy(coords[-1])
    title = ", ".join(f"{label}: {v:g}" for label, v, _ in numbered)
    gaps = [period_label(year) for year in range(int(positions[0]), int(positions[-1])) if year not in years]
    if gaps and all(year is not None for year in years):
        title += "; no figure for " + ", ".join(gaps)
    return format_html(
        '<svg class="app-sparkline" width="{}" height="{}" viewBox="0 0 {} {}" '
        'role="img" aria-label="Trend {}">{}'
        '<circle cx="{}" cy="{}" r="2.5" fill="#0b0c0c"/></svg>',
        width,
        height,
        width,
        height,
        title,
        format_html_join("", "{}", ((shape,) for shape in shapes)),
        last_x,
        last_y,
    )


def trend_until(points: Sequence[tuple[str, T]], until: str) -> list[tuple[str, T]]:
    """The points up to and including the period ``until`` (all of them when it is empty or unreadable)."""
    end = period_start_year(until) if until else None
    if end is None:
        return list(points)
    return [(label, v) for label, v in points if (period_start_year(label) or 0) <= end]


def _xy(point: tuple[float, float]) -> tuple[str, str]:
    return f"{point[0]:.1f}", f"{point[1]:.1f}"


@register.filter
def get_item(mapping: dict, key: object) -> object:
    """``{{ cells|get_item:measure.key }}`` for dict lookups with a variable key."""
    try:
        return mapping.get(key)
    except AttributeError:
        return None


@register.filter
def paired_with(first: Sequence[object], second: Sequence[object]) -> list[tuple[object, object]]:
    """``{% for council, cell in chosen|paired_with:row.cells %}``: walk two aligned lists together."""
    return list(zip(first, second, strict=False))
