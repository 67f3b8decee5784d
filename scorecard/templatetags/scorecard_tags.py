"""Presentation helpers for scorecard pages: sparklines, RAG tags and direction markers."""

from collections.abc import Sequence
from decimal import Decimal

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

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
        '<span class="app-direction {}"><span aria-hidden="true">{} </span>{}</span>', css, symbol, label
    )


@register.simple_tag
def sparkline(
    points: Sequence[tuple[str, Decimal | float | None]], width: int = 96, height: int = 24
) -> SafeString:
    """A small inline SVG trend line. Decorative: the figures are in the row and on the measure page."""
    values = [(label, float(v)) for label, v in points if v is not None]
    if len(values) < 2:
        return format_html('<span class="govuk-body-s app-muted">{}</span>', "Not enough years")
    lows, highs = min(v for _, v in values), max(v for _, v in values)
    span = (highs - lows) or 1.0
    step = (width - 4) / (len(values) - 1)
    coords = [
        (2 + i * step, height - 2 - (v - lows) / span * (height - 4)) for i, (_, v) in enumerate(values)
    ]
    path = " ".join(f"{x:.1f},{y:.1f}" for x, y in coords)
    last_x, last_y = coords[-1]
    title = ", ".join(f"{label}: {v:g}" for label, v in values)
    return format_html(
        '<svg class="app-sparkline" width="{}" height="{}" viewBox="0 0 {} {}" '
        'role="img" aria-label="Trend {}">'
        '<polyline fill="none" stroke="#1d70b8" stroke-width="2" points="{}"/>'
        '<circle cx="{}" cy="{}" r="2.5" fill="#0b0c0c"/></svg>',
        width,
        height,
        width,
        height,
        title,
        path,
        f"{last_x:.1f}",
        f"{last_y:.1f}",
    )


@register.filter
def get_item(mapping: dict, key: object) -> object:
    """``{{ cells|get_item:measure.key }}`` for dict lookups with a variable key."""
    try:
        return mapping.get(key)
    except AttributeError:
        return None
