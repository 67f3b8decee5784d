"""django-tables2 tables for the scorecard pages: rendered on the page and exported to CSV/XLSX."""

from typing import Any

import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString

from scorecard.models import Unit
from scorecard.scoring import format_number, ordinal
from scorecard.selectors import CouncilScorecard, RegionOverview

RAG_CELL = {"green": "app-rag-cell--green", "amber": "app-rag-cell--amber", "red": "app-rag-cell--red"}


class CouncilScorecardExportTable(tables.Table):
    """Every row of a council's scorecard, flat, for CSV/XLSX downloads."""

    domain = tables.Column()
    code = tables.Column(verbose_name="Code")
    title = tables.Column(verbose_name="Measure")
    value = tables.Column(verbose_name="Value")
    status = tables.Column()
    rank = tables.Column(verbose_name="Rank in region")
    quartile_england = tables.Column(verbose_name="England quartile")
    quartile_region = tables.Column(verbose_name="Region quartile")
    rag = tables.Column(verbose_name="RAG")
    direction = tables.Column(verbose_name="Direction of travel")
    region = tables.Column(verbose_name="Region")
    england = tables.Column(verbose_name="England")
    council_type = tables.Column(verbose_name="Council type")
    nearest_neighbours_median = tables.Column(verbose_name="Nearest-neighbour median")
    commentary = tables.Column()
    demo = tables.Column(verbose_name="Demo data")

    class Meta:
        orderable = False


def scorecard_export_rows(scorecard: CouncilScorecard) -> list[dict[str, Any]]:
    def comparator(row, key: str) -> str:  # type: ignore[no-untyped-def]
        figure = row.comparators[key]
        if figure.value is None:
            return ""
        return figure.formatted + ("" if figure.published else " (computed)")

    rows = []
    for section in scorecard.domains:
        for row in section.rows:
            rows.append(
                {
                    "domain": section.domain.name if section.domain else "Unassigned",
                    "code": row.code,
                    "title": row.measure.title,
                    "value": row.value,
                    "status": row.status,
                    "rank": row.rank_label,
                    "quartile_england": row.quartile_england,
                    "quartile_region": row.quartile_region,
                    "rag": row.rag.value if row.rag else "",
                    "direction": row.direction.label,
                    "region": comparator(row, "region"),
                    "england": comparator(row, "england"),
                    "council_type": comparator(row, "council_type"),
                    "nearest_neighbours_median": comparator(row, "nearest_neighbours_median"),
                    "commentary": row.commentary.text if row.commentary else "",
                    "demo": "yes" if row.is_demo else "",
                }
            )
    return rows


def short_value(cell: Any) -> str:
    """A cell's figure without its unit words (the column says the measure): "20.6", "67.3%"."""
    if cell.value is None:
        return cell.formatted
    short = format_number(cell.value, decimal_places=cell.measure.decimal_places)
    return short + "%" if cell.measure.unit == Unit.PERCENT else short


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
    def td_class(record: dict, bound_column: Any = None, **_: Any) -> str:  # type: ignore[type-arg]
        index = bound_column.column.index if bound_column is not None else 0
        cell = record["cells"][index]
        rag = cell.rag.value if cell.rag else ""
        return f"govuk-table__cell--numeric {RAG_CELL.get(rag, '')}".strip()

    def render(self, value: Any) -> SafeString:
        rag = value.rag.value.capitalize() if value.rag else "No RAG"
        rank = f", {ordinal(value.rank)}" if value.rank else ""
        if value.value is None:
            return format_html('<span class="govuk-body-s">{}</span>', value.formatted)
        return format_html('{}<br><span class="govuk-body-s">{}{}</span>', short_value(value), rag, rank)

    def value(self, value: Any) -> str:  # the export
        return "" if value.value is None else str(value.value)


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


class OverviewTable(tables.Table):
    council = tables.Column(
        linkify=lambda record: reverse("scorecard:council-scorecard", args=[record["council"].gss_code]),
        order_by=("council__name",),
    )

    class Meta:
        attrs = {"class": "govuk-table app-heatmap"}
