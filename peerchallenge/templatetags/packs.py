"""Template helpers for the PDF pack: trends up to the pack's period, the static SVG trend chart and the
ranking bars."""

from django import template
from django.utils.safestring import SafeString

from peerchallenge.packs import charts
from scorecard import scoring
from scorecard.axes import axis_text
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


def block_trend_figure(block) -> charts.TrendFigure:  # type: ignore[no-untyped-def]
    """The charted measure's trend figure: its lines on a value axis fitted by ``scorecard.axes``, the axis
    labelled as the scorecard writes values ("60%", "512.3")."""
    measure = block.row.measure

    return charts.trend_figure(
        block.trend_periods,
        block.trend_lines,
        unit=measure.unit,
        scale_max=measure.scale_max,
        label=lambda value: axis_text(value, unit=measure.unit),
    )


@register.simple_tag
def trend_chart(block) -> SafeString:  # type: ignore[no-untyped-def]
    """The trend chart as an image; its alternative text names the lines and the axis note."""
    figure = block_trend_figure(block)
    title = f"Trend of {block.row.code} {block.row.measure.title}"
    lines = ", ".join(line.label for line in figure.lines)
    alt = f"{title}: {lines}, {figure.periods[0]} to {figure.periods[-1]}" if figure.periods else title
    if figure.axis.note:
        alt += f". {figure.axis.note}"
    alt += ". The figures are in the table below."
    svg = charts.trend_svg(figure, title=alt)
    return charts.svg_image(svg, alt=alt, width=f"{charts.TREND_WIDTH}px", height=f"{charts.TREND_HEIGHT}px")


@register.filter
def trend_table(block) -> list[list[str]]:  # type: ignore[no-untyped-def]
    """The chart's table: one row per period, a column per line (as the scorecard writes values)."""
    measure = block.row.measure
    return [
        [
            period,
            *[
                scoring.format_short(line.values[i], unit=measure.unit, decimal_places=measure.decimal_places)
                or "No figure"
                for line in block.trend_lines
            ],
        ]
        for i, period in enumerate(block.trend_periods)
    ]


@register.simple_tag
def ranking_bars_chart(block) -> SafeString:  # type: ignore[no-untyped-def]
    title = f"Ranking of the region's councils on {block.row.code}"
    svg = charts.ranking_bars_svg(block.ranking, title=title)
    height = charts.ranking_height_mm(len(block.ranking))
    return charts.svg_image(svg, alt=title, width="100%", height=f"{height:.2f}mm")
