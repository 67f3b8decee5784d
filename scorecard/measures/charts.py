"""A measure's charts: the region's councils ranked for a year, and every council's trend, each with its
table and CSV (``scorecard/charts.py``). Built without a request, so the page keeps them per data version."""

from decimal import Decimal

from scorecard.charts import (
    BarItem,
    ChartBundle,
    ReferenceLine,
    TrendSeries,
    ranking_bar_chart,
    trend_chart,
)
from scorecard.figure_exports import unit_label
from scorecard.figures import ENGLAND, NEAREST_NEIGHBOURS, REGION
from scorecard.measures.selectors import MeasureValues
from scorecard.models import Measure, Polarity, Unit
from scorecard.scoring import format_short, format_value


def measure_ranking_chart(data: MeasureValues, *, region_name: str, csv_url: str) -> ChartBundle | None:
    """The region's councils best first, with the region and England as reference lines. Needs no request."""
    if data.period is None or not data.rows:
        return None
    measure = data.measure
    refs = [
        ReferenceLine(
            f"{name} (computed)" if figure.computed else name,
            float(figure.value) if figure.value is not None else None,
            short_value_text(figure.value, measure),
        )
        for name, figure in ((region_name, data.region_figure), ("England", data.england_figure))
        if figure is not None
    ]
    return ranking_bar_chart(
        title=f"{measure.code}: {region_name} councils, {data.period.label}",
        items=[
            BarItem(
                label=row.council.name,
                value=float(row.value) if row.value is not None else None,
                text=short_value_text(row.value, measure) or row.status_text,
                highlight=data.council is not None and row.council.pk == data.council.pk,
            )
            for row in data.rows
        ],
        higher_is_better=None if measure.polarity == Polarity.NONE else measure.polarity == Polarity.HIGHER,
        reference_lines=refs,
        value_label=unit_label(measure),
        csv_url=csv_url,
        chart_id="chart-ranking",
        axis_from_zero=measure.unit != Unit.SCORE,
    )


def measure_trend_chart(
    data: MeasureValues, *, region_name: str, csv_url: str, end: str = ""
) -> ChartBundle | None:
    """Every council's line, with the region, England and (for a council) its nearest neighbours' median as
    dashed comparator lines; ``end`` cuts the years after an older year shown. Needs no request."""
    shown_years = [p for p in data.periods if not end or p.label <= end]
    if len(shown_years) < 2 or not data.rows:  # a trend needs two years or more
        return None
    measure = data.measure
    series = [
        TrendSeries(
            label=row.council.name,
            values=[float(v) if v is not None else None for _, v in row.trend],
            texts=[value_text(v, measure) for _, v in row.trend],
            highlight=data.council is not None and row.council.pk == data.council.pk,
        )
        for row in data.rows
    ]
    names = {REGION: region_name, ENGLAND: "England"}
    if data.council is not None:
        names[NEAREST_NEIGHBOURS] = f"{data.council.name}'s nearest neighbours (median)"
    for key, name in names.items():
        line = data.comparator_trends.get(key, [])
        if all(c.value is None for c in line):
            continue
        series.append(
            TrendSeries(
                label=name,
                values=[float(c.value) if c.value is not None else None for c in line],
                texts=[value_text(c.value, measure) + (" (computed)" if c.computed else "") for c in line],
                comparator=True,
                dashed=True,
            )
        )
    labels = [p.label for p in data.periods]
    return trend_chart(
        title=f"{measure.code} trend: {region_name} councils, {labels[0]} to {end or labels[-1]}",
        periods=labels,
        series=series,
        value_label=unit_label(measure),
        csv_url=csv_url,
        chart_id="chart-trend",
        end_period=end,
        unit=measure.unit,
        scale_max=float(measure.scale_max) if measure.scale_max is not None else None,
        tick_text=lambda value: (
            format_short(Decimal(str(value)), unit=measure.unit, decimal_places=None)
            if measure.unit in (Unit.PERCENT, Unit.CURRENCY)
            else f"{value:g}"
        ),
    )


def value_text(value: Decimal | None, measure: Measure) -> str:
    """A value with its unit ("72.4%", "19.1 out of 24"); "" when there is none."""
    if value is None:
        return ""
    return format_value(
        value, unit=measure.unit, decimal_places=measure.decimal_places, scale_max=measure.scale_max
    )


def short_value_text(value: Decimal | None, measure: Measure) -> str:
    """A value for a chart label, where the axis names the unit: "72.4%", "512.3", "£1,234"."""
    return format_short(value, unit=measure.unit, decimal_places=measure.decimal_places)
