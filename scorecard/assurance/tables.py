"""The region's CQC outcomes: councils × the nine quality statements, coloured by CQC's score (django-tables2).

The page's table sorts by any column; the export (CSV/XLSX through core.exports: numbers as numbers, no formulas)
has one row per council with the scores, percentage, rating, month, report and whether it is demo data.
"""

from __future__ import annotations

from typing import Any

import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString

from core.exports import SafeExportMixin
from scorecard.assurance.selectors import RegionCqcRow
from scorecard.scoring import CQC_SCORE_WORDS, CQC_STATEMENTS

NOT_ASSESSED = 99  # sorts councils without an outcome last


def region_records(rows: list[RegionCqcRow]) -> list[dict[str, Any]]:
    records = []
    for row in rows:
        a = row.assessment
        record: dict[str, Any] = {
            "council": row.council,
            "gss_code": row.council.gss_code,
            "rating": (a.get_rating_display() if a.rating else "Not rated") if a else "",
            "rating_order": ("inadequate", "requires_improvement", "good", "outstanding", "").index(a.rating)
            if a
            else NOT_ASSESSED,
            "percent": a.percent if a else None,
            "assessed": a.assessed_on if a else None,
            "assessed_label": a.assessed_label if a else "",
            "report_url": a.report_url if a else "",
            "demo": "Yes" if a and a.is_demo else "",
        }
        for statement in CQC_STATEMENTS:
            score = a.scores[statement.number - 1] if a else None
            record[f"qs{statement.number}"] = score
            record[f"sort_qs{statement.number}"] = score if score is not None else NOT_ASSESSED
        records.append(record)
    return records


EXPORT_COLUMNS = [
    ("gss_code", "GSS code"),
    ("council_name", "Council"),
    *[(f"qs{s.number}", f"QS{s.number} {s.name}") for s in CQC_STATEMENTS],
    ("percent", "Percentage"),
    ("rating", "Overall rating"),
    ("assessed_label", "Assessment month"),
    ("report_url", "Report"),
    ("demo", "Demo data"),
]


def export_records(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{**r, "council_name": r["council"].name} for r in records]


class ScoreCell(tables.Column):
    """One statement's published score, in figures and CQC's words; the cell coloured by the score."""

    def __init__(self, number: int, **kwargs: Any) -> None:
        self.number = number
        statement = CQC_STATEMENTS[number - 1]
        self.header_title = statement.name
        super().__init__(
            accessor=f"qs{number}",
            verbose_name=f"QS{number}",
            order_by=(f"sort_qs{number}",),
            attrs={"td": {"class": self.td_class}, "th": {"class": "govuk-table__header--numeric"}},
            default="–",
            **kwargs,
        )

    def td_class(self, record: dict[str, Any], **_: Any) -> str:
        score = record.get(f"qs{self.number}")
        return f"govuk-table__cell--numeric app-cqc-score--{score}" if score else "govuk-table__cell--numeric"

    def render(self, value: Any) -> SafeString:
        return format_html(
            '{}<span class="govuk-visually-hidden">: {}</span>', value, CQC_SCORE_WORDS.get(value, "")
        )


class RegionCqcTable(SafeExportMixin, tables.Table):
    council = tables.Column(
        linkify=lambda record: reverse("scorecard:cqc-council", args=[record["council"].gss_code]),
        order_by=("council__name",),
    )
    rating = tables.Column("Rating", order_by=("rating_order",), default="Not assessed")
    percent = tables.Column(
        "%",
        attrs={
            "td": {"class": "govuk-table__cell--numeric"},
            "th": {"class": "govuk-table__header--numeric"},
        },
        default="–",
    )
    assessed = tables.DateColumn(format="M Y", verbose_name="Assessed", default="–")

    class Meta:
        attrs = {"class": "govuk-table app-cqc-table"}
        template_name = "includes/table.html"
        orderable = True

    def render_percent(self, value: Any) -> str:
        return f"{value}"

    def render_rating(self, value: str, record: dict[str, Any]) -> SafeString:
        if record["demo"]:
            return format_html('{}<br><strong class="govuk-tag app-demo-tag">Demo</strong>', value)
        return format_html("{}", value)


def region_table(rows: list[RegionCqcRow], **kwargs: Any) -> RegionCqcTable:
    records = region_records(rows)
    extra = [(f"qs{s.number}", ScoreCell(s.number)) for s in CQC_STATEMENTS]
    table = RegionCqcTable(
        records, extra_columns=extra, sequence=("council", "...", "percent", "rating", "assessed"), **kwargs
    )
    table.caption = "CQC's score for each quality statement, the overall rating and the assessment month"
    return table
