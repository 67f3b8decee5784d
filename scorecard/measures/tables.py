"""The measure pages' tables: the catalogue (django-tables2, CSV/XLSX) and what a measure's page downloads."""

from typing import Any

import django_tables2 as tables
from django.utils.html import format_html, format_html_join

from core.exports import SafeExportMixin
from scorecard.areas import ENGLAND_CODE
from scorecard.figure_exports import (
    LONG_COLUMNS,
    comparator_figure_row,
    council_figure_row,
    figure_row,
    unit_label,
)
from scorecard.figures import ENGLAND, NEAREST_NEIGHBOURS, REGION
from scorecard.measures.selectors import MeasureValues
from scorecard.models import Framework, Measure, Polarity, Unit

# Short labels for the catalogue table (the exports keep the full labels).
FRAMEWORK_SHORT: dict[str, str] = {
    Framework.ASCOF_2014: "ASCOF 2014",
    Framework.ASCOF_2023: "ASCOF 2023",
    Framework.LOCAL: "Local",
    Framework.NATIONAL: "National",
}
UNIT_SHORT: dict[str, str] = {Unit.PERCENT: "%", Unit.RATE_100K: "Per 100,000", Unit.CURRENCY: "£"}
POLARITY_SHORT: dict[str, str] = {
    Polarity.HIGHER: "Higher is better",
    Polarity.LOWER: "Lower is better",
    Polarity.NONE: "None",
}


class MeasureTable(SafeExportMixin, tables.Table):
    code = tables.Column(linkify=True, verbose_name="Code", order_by=("code", "framework"))
    title = tables.Column(linkify=True)
    framework = tables.Column(order_by=("framework", "position"))
    unit = tables.Column()
    polarity = tables.Column()
    source = tables.Column(default="–")
    domain = tables.Column(accessor="domain__name", verbose_name="Domain", default="No domain")
    crosswalk = tables.Column(verbose_name="Series", empty_values=(), orderable=False)

    class Meta:
        model = Measure
        fields = ("code", "title", "framework", "unit", "polarity", "source", "domain")
        sequence = ("code", "title", "framework", "unit", "polarity", "source", "domain", "crosswalk")
        order_by = ("framework",)
        attrs = {"class": "govuk-table"}
        empty_text = "No measures match these filters."

    def render_code(self, value: str) -> str:
        return format_html('<span class="app-code">{}</span>', value)

    def value_code(self, value: str) -> str:
        return value

    def render_framework(self, value: str, record: Measure) -> str:
        return FRAMEWORK_SHORT.get(record.framework, value)

    def render_unit(self, value: str, record: Measure) -> str:
        if record.unit == Unit.SCORE and record.scale_max is not None:
            return f"Score /{record.scale_max.normalize():f}"
        return UNIT_SHORT.get(record.unit, value)

    def render_polarity(self, value: str, record: Measure) -> str:
        return POLARITY_SHORT.get(record.polarity, value)

    def value_framework(self, record: Measure) -> str:
        return record.get_framework_display()

    def value_unit(self, record: Measure) -> str:
        return record.get_unit_display()

    def value_polarity(self, record: Measure) -> str:
        return record.get_polarity_display()

    def _crosswalk(self, record: Measure) -> list[tuple[str, Measure]]:
        links = []
        if record.replaces is not None:
            links.append(("continues", record.replaces))
        links += [("continued by", later) for later in record.replaced_by.all()]
        return links

    def render_crosswalk(self, record: Measure) -> str:
        links = self._crosswalk(record)
        if not links:
            return "–"
        return format_html_join(
            "; ",
            '{} <a class="govuk-link" href="{}">{}</a>',
            ((word, other.get_absolute_url(), other.code) for word, other in links),
        )

    def value_crosswalk(self, record: Measure) -> str:
        return "; ".join(f"{word} {other.code}" for word, other in self._crosswalk(record))


MEASURE_COLUMNS = [
    *LONG_COLUMNS,
    ("rank_england", "Rank in England"),
    ("rank_england_of", "Councils ranked in England"),
    ("rank", "Rank in region"),
    ("rank_of", "Councils ranked in region"),
    ("basis", "Basis"),
    ("demo", "Demo data"),
]


def measure_comparators(result: MeasureValues) -> list[tuple[str, str, str, str]]:
    """(comparator key, GSS code, name, area type) of the comparators the measure page shows."""
    out = []
    if result.region is not None:
        out.append((REGION, result.region.gss_code, result.region.name, "region"))
    out.append((ENGLAND, ENGLAND_CODE, "England", "england"))
    council = result.council
    if council is not None and NEAREST_NEIGHBOURS in result.comparator_trends:
        out.append(
            (NEAREST_NEIGHBOURS, "", f"Nearest neighbours of {council.name} (median)", "comparator group")
        )
    return out


def measure_export_rows(result: MeasureValues) -> list[dict[str, Any]]:
    """The measure page's figures for the selected year: councils best first, then the region and England."""
    period = result.period.label if result.period else ""
    measure = result.measure
    rows: list[dict[str, Any]] = []
    for row in result.rows:
        rows.append(
            {
                "period": period,
                "area_gss_code": row.council.gss_code,
                "area": row.council.name,
                "area_type": "council",
                "code": row.code or measure.code,
                "measure_key": measure.key,
                "measure": measure.title,
                "value": row.value,
                "unit": unit_label(measure),
                "status": row.status,
                "rank_england": row.rank_england,
                "rank_england_of": row.rank_england_of if row.rank_england is not None else None,
                "rank": row.rank,
                "rank_of": row.rank_of if row.rank is not None else None,
                "basis": "published" if row.value is not None else "",
                "demo": "yes" if row.is_demo else "",
            }
        )
    for key, gss, name, area_type in measure_comparators(result)[:2]:
        figure = comparator_figure_row(period, gss, name, area_type, measure, result.comparators.get(key))
        if figure:
            rows.append({k: v for k, v in figure.items() if k != "rag"})
    return rows


def measure_figure_rows(result: MeasureValues) -> list[dict[str, Any]]:
    """Every figure the measure page shows, one per row: the year's table and every year of the trend."""
    selected = result.period.label if result.period else ""
    out: list[dict[str, Any]] = []
    for row in result.rows:
        out.append({**council_figure_row(selected, row.council, result.measure, row), "rank": row.rank})
        for index, (label, value) in enumerate(row.trend):
            if label == selected or value is None:
                continue
            out.append(
                figure_row(
                    period=label,
                    gss=row.council.gss_code,
                    area=row.council.name,
                    area_type="council",
                    measure=result.measure_in(result.periods[index]),
                    value=value,
                    demo=row.is_demo,
                )
            )
    for key, gss, name, area_type in measure_comparators(result):
        for period, comparator in zip(result.periods, result.comparator_trends.get(key, []), strict=False):
            figure = comparator_figure_row(
                period.label, gss, name, area_type, result.measure_in(period), comparator
            )
            if figure:
                out.append(figure)
    return out
