"""django-tables2 tables for the scorecard pages: rendered on the page and exported to CSV/XLSX."""

from typing import Any

import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString

from core.exports import SafeExportMixin
from scorecard.areas import ENGLAND_CODE
from scorecard.figure_exports import (
    basis,
    comparator_figure_row,
    council_figure_row,
    figure_row,
    unit_label,
)
from scorecard.figures import COUNCIL_TYPE, ENGLAND, NEAREST_NEIGHBOURS, REGION
from scorecard.models import Measure, Unit
from scorecard.scorecards.selectors import Comparison, CouncilScorecard, RegionOverview
from scorecard.scoring import format_short

RAG_CELL = {"green": "app-rag-cell--green", "amber": "app-rag-cell--amber", "red": "app-rag-cell--red"}


# --- Exports: one row per figure, numbers as numbers, codes and period on every row (scorecard/figure_exports.py)


def _measure_fields(measure: Measure) -> dict[str, Any]:
    return {
        "domain": measure.domain.name if measure.domain_id and measure.domain else "",
        "code": measure.code,
        "measure_key": measure.key,
        "measure": measure.title,
        "unit": unit_label(measure),
        "polarity": measure.get_polarity_display(),
    }


# The columns every figure row starts with: where, when, which measure, the figure and its rank in the region.
_FIGURE_COLUMNS = [
    ("period", "Period"),
    ("area_gss_code", "GSS code"),
    ("area", "Council"),
    ("region_gss_code", "Region GSS code"),
    ("region", "Region"),
    ("domain", "Domain"),
    ("code", "Code"),
    ("measure_key", "Measure key"),
    ("measure", "Measure"),
    ("value", "Value"),
    ("unit", "Unit"),
    ("status", "Status"),
    ("rank", "Rank in region"),
    ("rank_of", "Councils ranked in region"),
    ("quartile_england", "England quartile"),
]
_REGION_AND_ENGLAND_COLUMNS = [
    ("region_value", "Region comparator"),
    ("region_basis", "Region comparator basis"),
    ("england_value", "England comparator"),
    ("england_basis", "England comparator basis"),
]

SCORECARD_COLUMNS = [
    *_FIGURE_COLUMNS,
    ("quartile_region", "Region quartile"),
    ("rag", "RAG"),
    ("direction", "Direction of travel"),
    ("previous_period", "Previous period"),
    ("previous_value", "Previous value"),
    *_REGION_AND_ENGLAND_COLUMNS,
    ("council_type_value", "Council type comparator"),
    ("council_type_basis", "Council type comparator basis"),
    ("neighbours_value", "Nearest-neighbour median"),
    ("neighbours_basis", "Nearest-neighbour median basis"),
    ("commentary", "Commentary"),
    ("demo", "Demo data"),
]


def scorecard_export_rows(scorecard: CouncilScorecard) -> list[dict[str, Any]]:
    """One row per measure of a council's scorecard."""
    council = scorecard.council
    rows = []
    for row in scorecard.rows:
        comparators = row.comparators
        neighbours = comparators[NEAREST_NEIGHBOURS]
        rows.append(
            {
                "period": scorecard.period.label if scorecard.period else "",
                "area_gss_code": council.gss_code,
                "area": council.name,
                "region_gss_code": council.region.gss_code if council.region else "",
                "region": council.region.name if council.region else "",
                **_measure_fields(row.measure),
                "value": row.value,
                "status": row.status,
                "rank": row.rank,
                "rank_of": row.rank_of if row.rank is not None else None,
                "quartile_england": row.quartile_england,
                "quartile_region": row.quartile_region,
                "rag": row.rag.value if row.rag else "",
                "direction": row.direction.label,
                "previous_period": scorecard.previous_period.label if scorecard.previous_period else "",
                "previous_value": row.previous_value,
                "region_value": comparators[REGION].value,
                "region_basis": basis(comparators[REGION]),
                "england_value": comparators[ENGLAND].value,
                "england_basis": basis(comparators[ENGLAND]),
                "council_type_value": comparators[COUNCIL_TYPE].value,
                "council_type_basis": basis(comparators[COUNCIL_TYPE]),
                "neighbours_value": neighbours.value,
                "neighbours_basis": basis(neighbours)
                or ("no real comparator group" if scorecard.lacks_real_neighbours else ""),
                "commentary": row.commentary.text if row.commentary else "",
                "demo": "yes" if row.is_demo else "",
            }
        )
    return rows


OVERVIEW_COLUMNS = [*_FIGURE_COLUMNS, ("rag", "RAG"), *_REGION_AND_ENGLAND_COLUMNS, ("demo", "Demo data")]


def _cell_fields(cell: Any) -> dict[str, Any]:
    return {
        "value": cell.value,
        "status": cell.status,
        "rank": cell.rank,
        "rank_of": cell.rank_of if cell.rank is not None else None,
        "quartile_england": cell.quartile_england,
        "rag": cell.rag.value if cell.rag else "",
        "demo": "yes" if cell.is_demo else "",
    }


def overview_export_rows(overview: RegionOverview) -> list[dict[str, Any]]:
    """One row per council and measure of the regional scorecard."""
    period = overview.period.label if overview.period else ""
    rows = []
    for row in overview.rows:
        for index, cell in enumerate(row.cells):
            region_c, england_c = overview.region_comparators[index], overview.england_comparators[index]
            rows.append(
                {
                    "period": period,
                    "area_gss_code": row.council.gss_code,
                    "area": row.council.name,
                    "region_gss_code": overview.region.gss_code,
                    "region": overview.region.name,
                    **_measure_fields(cell.measure),
                    **_cell_fields(cell),
                    "region_value": region_c.value,
                    "region_basis": basis(region_c),
                    "england_value": england_c.value,
                    "england_basis": basis(england_c),
                }
            )
    return rows


def comparison_export_rows(comparison: Comparison) -> list[dict[str, Any]]:
    """One row per council and measure of a comparison; each council with its own region's comparator."""
    period = comparison.period.label if comparison.period else ""
    region_index = {region.pk: index for index, region in enumerate(comparison.regions)}
    rows = []
    for row in comparison.rows:
        for council, cell in zip(comparison.councils, row.cells, strict=True):
            index = region_index.get(council.region_id) if council.region_id is not None else None
            region_c = row.region_comparators[index] if index is not None else None
            rows.append(
                {
                    "period": period,
                    "area_gss_code": council.gss_code,
                    "area": council.name,
                    "region_gss_code": council.region.gss_code if council.region else "",
                    "region": council.region.name if council.region else "",
                    **_measure_fields(row.measure),
                    **_cell_fields(cell),
                    "region_value": region_c.value if region_c else None,
                    "region_basis": basis(region_c),
                    "england_value": row.england.value,
                    "england_basis": basis(row.england),
                }
            )
    return rows


def scorecard_figure_rows(scorecard: CouncilScorecard) -> list[dict[str, Any]]:
    """The council's figure for every measure and year shown (trend included), and each comparator."""
    council = scorecard.council
    period = scorecard.period.label if scorecard.period else ""
    out: list[dict[str, Any]] = []
    for row in scorecard.rows:
        for label, value in row.trend:
            if label == period or value is None:
                continue
            out.append(
                figure_row(
                    period=label,
                    gss=council.gss_code,
                    area=council.name,
                    area_type="council",
                    measure=row.measure,
                    value=value,
                    demo=row.is_demo,
                )
            )
        out.append(council_figure_row(period, council, row.measure, row))
        region = council.region
        for key, gss, name, area_type in (
            (REGION, region.gss_code if region else "", region.name if region else "Region", "region"),
            (ENGLAND, ENGLAND_CODE, "England", "england"),
            (COUNCIL_TYPE, "", council.get_council_type_display() + "s", "council type"),
            (NEAREST_NEIGHBOURS, "", f"Nearest neighbours of {council.name} (median)", "comparator group"),
        ):
            figure = comparator_figure_row(period, gss, name, area_type, row.measure, row.comparators[key])
            if figure:
                out.append(figure)
    return out


def overview_figure_rows(overview: RegionOverview) -> list[dict[str, Any]]:
    period = overview.period.label if overview.period else ""
    out: list[dict[str, Any]] = []
    for index, measure in enumerate(overview.measures):
        for row in overview.rows:
            cell = row.cells[index]
            out.append(council_figure_row(period, row.council, measure, cell))
        for figure in (
            comparator_figure_row(
                period,
                overview.region.gss_code,
                overview.region.name,
                "region",
                measure,
                overview.region_comparators[index],
            ),
            comparator_figure_row(
                period, ENGLAND_CODE, "England", "england", measure, overview.england_comparators[index]
            ),
        ):
            if figure:
                out.append(figure)
    return out


def comparison_figure_rows(comparison: Comparison) -> list[dict[str, Any]]:
    period = comparison.period.label if comparison.period else ""
    out: list[dict[str, Any]] = []
    for row in comparison.rows:
        for council, cell in zip(comparison.councils, row.cells, strict=True):
            out.append(council_figure_row(period, council, row.measure, cell))
        for region, c in zip(comparison.regions, row.region_comparators, strict=True):
            figure = comparator_figure_row(period, region.gss_code, region.name, "region", row.measure, c)
            if figure:
                out.append(figure)
        figure = comparator_figure_row(period, ENGLAND_CODE, "England", "england", row.measure, row.england)
        if figure:
            out.append(figure)
    return out


# --- The measure page (one measure, every council of a region or of England) -------------------------


def short_value(cell: Any) -> str:
    """A cell's figure without its unit words (the column says the measure): "20.6", "67.3%", "£1,234"."""
    if cell.value is None:
        return cell.formatted
    return format_short(cell.value, unit=cell.measure.unit, decimal_places=cell.measure.decimal_places)


def unit_short(measure: Any) -> str:
    """A column heading's unit: "%", "out of 24", "per 100,000", "£"."""
    if measure.unit == Unit.SCORE and measure.scale_max is not None:
        return f"out of {measure.scale_max.normalize():f}"
    return {
        Unit.PERCENT: "%",
        Unit.RATE_100K: "per 100,000",
        Unit.RATIO: "ratio",
        Unit.COUNT: "count",
        Unit.CURRENCY: "£",
    }.get(measure.unit, "")


class HeatCell(tables.Column):
    """One measure's cell in the regional heat-map: value plus RAG in words, cell coloured by RAG."""

    def __init__(self, index: int, measure: Any = None, **kwargs: Any) -> None:
        self.index = index
        # What the heading's code means and the unit, for the page's heading (not the export's).
        self.header_title = measure.title if measure is not None else ""
        self.header_unit = unit_short(measure) if measure is not None else ""
        super().__init__(
            accessor=f"cells__{index}",
            order_by=(f"sort_{index}",),
            attrs={"td": {"class": self.td_class}, "th": {"class": "govuk-table__header--numeric"}},
            **kwargs,
        )

    @staticmethod
    def td_class(record: dict[str, Any], bound_column: Any = None, **_: Any) -> str:
        index = bound_column.column.index if bound_column is not None else 0
        cell = record["cells"][index]
        rag = cell.rag.value if cell.rag else ""
        return f"govuk-table__cell--numeric {RAG_CELL.get(rag, '')}".strip()

    def render(self, value: Any) -> SafeString:
        rag = value.rag.value.capitalize() if value.rag else "No RAG"
        if value.value is None:
            return format_html('<span class="govuk-body-s">{}</span>', value.formatted)
        if not value.rank:
            return format_html('{}<br><span class="govuk-body-s">{}</span>', short_value(value), rag)
        # The rank on a line of its own ("12th of 14", as every page words it): the column stays narrow.
        return format_html(
            '{}<br><span class="govuk-body-s">{}<br>{}</span>', short_value(value), rag, value.rank_label
        )

    def value(self, value: Any) -> Any:  # the export: the number itself
        return value.value


def overview_table(overview: RegionOverview, **kwargs: Any) -> tables.Table:
    """A councils × measures table; columns are the period's measures, sortable by rank."""
    extra = [
        (f"m{index}", HeatCell(index, measure, verbose_name=measure.code))
        for index, measure in enumerate(overview.measures)
    ]
    data = []
    for row in overview.rows:
        record: dict[str, Any] = {"council": row.council, "cells": row.cells}
        for index, cell in enumerate(row.cells):
            record[f"sort_{index}"] = cell.rank if cell.rank is not None else 10_000
        data.append(record)
    table = OverviewTable(data, extra_columns=extra, **kwargs)
    table.caption = "Councils by measure: figure, RAG and rank in the region"  # also names its scroll region
    return table


class OverviewTable(SafeExportMixin, tables.Table):
    council = tables.Column(
        linkify=lambda record: reverse("scorecard:council-scorecard", args=[record["council"].gss_code]),
        order_by=("council__name",),
    )

    class Meta:
        attrs = {"class": "govuk-table app-heatmap"}
