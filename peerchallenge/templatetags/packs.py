"""Template helpers for the PDF pack: trends up to the pack's period, the static SVG trend chart and the
ranking bars."""

from django import template
from django.utils.safestring import SafeString

from peerchallenge.packs import charts
from scorecard import scoring
from scorecard.templatetags.scorecard_tags import trend_until

register = template.Library()


def _points(row, pack):  # type: ignore[no-untyped-def]
    return trend_until(row.trend, pack.period.label if pack.period else "")


@register.filter
def pack_trend(row, pack) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    """(period, formatted value) up to the pack's period, as the scorecard formats them."""
    measure = row.measure
    return [
        (
            label,
            scoring.format_value(
                value, unit=measure.unit, decimal_places=measure.decimal_places, scale_max=measure.scale_max
            ),
        )
        for label, value in _points(row, pack)
    ]


@register.filter
def pack_trend_lines(row, pack) -> str:  # type: ignore[no-untyped-def]
    """The trend as one "period: value" per line, for a cell with ``white-space: pre-line`` (a line break
    without a ``<br>`` element each: the pack's tables hold hundreds)."""
    return "\n".join(f"{label}: {value}" for label, value in pack_trend(row, pack))


@register.simple_tag
def trend_chart(row, pack) -> SafeString:  # type: ignore[no-untyped-def]
    title = f"Trend of {row.code} {row.measure.title}"
    svg = charts.trend_svg(_points(row, pack), title=title)
    return charts.svg_image(
        svg, alt=title, width=f"{charts.TREND_WIDTH}px", height=f"{charts.TREND_HEIGHT}px"
    )


@register.simple_tag
def ranking_bars_chart(block) -> SafeString:  # type: ignore[no-untyped-def]
    title = f"Ranking of the region's councils on {block.row.code}"
    svg = charts.ranking_bars_svg(block.ranking, title=title)
    height = charts.ranking_height_mm(len(block.ranking))
    return charts.svg_image(svg, alt=title, width="100%", height=f"{height:.2f}mm")
