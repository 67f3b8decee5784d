"""Balanced-scorecard pages: a council's scorecard, the regional overview and the compare page."""

from typing import Any

from django import forms
from django.http import Http404, HttpRequest, HttpResponse
from django.views.generic import TemplateView
from django_tables2 import RequestConfig
from django_tables2.export import TableExport
from rules.contrib.views import PermissionRequiredMixin

from councils.mixins import CouncilFromURLMixin, RegionFromURLMixin
from councils.models import Council, Region
from councils.selectors import region_for_user
from scorecard import charts, selectors
from scorecard.heatmap import rag_heatmap
from scorecard.models import Domain, Period
from scorecard.periods import period_start_year
from scorecard.tables_scorecards import (
    CouncilScorecardExportTable,
    overview_table,
    scorecard_export_rows,
    short_value,
)

EXPORT_FORMATS = ("csv", "xlsx")


def period_from_request(request: HttpRequest) -> Period | None:
    """``?period=2023-24`` as a Period; None when absent; 404 when it names no period we have."""
    text = request.GET.get("period", "").strip()
    if not text:
        return None
    start_year = period_start_year(text)
    period = Period.objects.filter(start_year=start_year).first() if start_year else None
    if period is None:
        raise Http404(f"No data for the period {text[:20]!r}.")
    return period


def export_response(request: HttpRequest, table: Any, name: str) -> HttpResponse | None:
    export_format = request.GET.get("_export")
    if export_format not in EXPORT_FORMATS:
        return None
    return TableExport(export_format, table).response(f"{name}.{export_format}")


class CouncilScorecardView(CouncilFromURLMixin, PermissionRequiredMixin, TemplateView):
    permission_required = "councils.view_council"
    raise_exception = True
    template_name = "scorecard/scorecards/council.html"
    http_method_names = ["get", "head"]

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        council = self.get_permission_object()
        self.scorecard = selectors.council_scorecard(
            council=council, period=period_from_request(request), viewer=request.user
        )
        table = CouncilScorecardExportTable(scorecard_export_rows(self.scorecard))
        label = self.scorecard.period.label if self.scorecard.period else "no-data"
        response = export_response(request, table, f"scorecard-{council.slug}-{label}")
        return response or super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["council"] = self.council
        context["scorecard"] = self.scorecard
        return context


class RegionScorecardView(RegionFromURLMixin, PermissionRequiredMixin, TemplateView):
    permission_required = "councils.view_region"
    raise_exception = True
    template_name = "scorecard/scorecards/region.html"
    http_method_names = ["get", "head"]

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        region = self.get_permission_object()
        domain_slug = request.GET.get("domain", "").strip()
        domain = Domain.objects.filter(slug=domain_slug).first() if domain_slug else None
        if domain_slug and domain is None:
            raise Http404("No such domain.")
        self.overview = selectors.region_overview(
            region=region, period=period_from_request(request), domain=domain
        )
        self.table = overview_table(self.overview, orderable=True)
        RequestConfig(request, paginate=False).configure(self.table)
        label = self.overview.period.label if self.overview.period else "no-data"
        response = export_response(request, self.table, f"region-{region.slug}-{label}")
        if request.GET.get("format") == "csv":
            return charts.csv_response(self.heatmap.table, filename=f"heatmap-{region.slug}-{label}.csv")
        return response or super().get(request, *args, **kwargs)

    @property
    def heatmap(self) -> charts.ChartBundle:
        query = self.request.GET.copy()
        query["format"] = "csv"
        return rag_heatmap(
            title=f"RAG heat-map, {self.overview.region} councils, {self.overview.period or 'no data'}",
            councils=[row.council.name for row in self.overview.rows],
            measures=[m.code for m in self.overview.measures],
            cells=[
                [(cell.rag.value if cell.rag else None, short_value(cell)) for cell in row.cells]
                for row in self.overview.rows
            ],
            csv_url=f"?{query.urlencode()}",
            chart_id="region-heatmap",
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(region=self.region, overview=self.overview, table=self.table, chart=self.heatmap)
        context["comparator_rows"] = list(
            zip(
                self.overview.measures,
                self.overview.region_comparators,
                self.overview.england_comparators,
                strict=True,
            )
        )
        return context


class CompareForm(forms.Form):
    councils = forms.MultipleChoiceField(
        label="Councils to compare",
        help_text="Select 2, 3 or 4 councils.",
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Select 2, 3 or 4 councils to compare"},
    )
    period = forms.ChoiceField(label="Year", required=False)

    def __init__(self, *args: Any, councils: list[Council], periods: list[Period], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["councils"].choices = [(c.gss_code, c.name) for c in councils]
        self.fields["period"].choices = [("", "Latest")] + [(p.label, p.label) for p in reversed(periods)]

    def clean_councils(self) -> list[str]:
        chosen = self.cleaned_data["councils"]
        if not 2 <= len(chosen) <= 4:
            raise forms.ValidationError("Select 2, 3 or 4 councils to compare")
        return chosen


class CompareView(PermissionRequiredMixin, TemplateView):
    """Two to four councils of one region side by side, measure by measure."""

    permission_required = "councils.view_region"
    raise_exception = True
    template_name = "scorecard/scorecards/compare.html"
    http_method_names = ["get", "head"]

    def get_permission_object(self) -> Region:
        if not hasattr(self, "region"):
            region = region_for_user(user=self.request.user, gss_code=self.request.GET.get("region"))
            if region is None:
                raise Http404("No regions are loaded.")
            self.region = region
        return self.region

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        region = self.get_permission_object()
        label = self.request.GET.get("period", "").strip()
        period = Period.objects.filter(label=label).first() if label else None
        # One overview feeds both the form's choices and the comparison: a constant number of queries.
        overview = selectors.region_overview(region=region, period=period)
        submitted = "councils" in self.request.GET
        form = CompareForm(
            self.request.GET if submitted else None,
            councils=[row.council for row in overview.rows],
            periods=overview.periods,
        )
        context.update(region=region, form=form, overview=overview)
        if submitted and form.is_valid():
            chosen = form.cleaned_data["councils"]
            rows = [row for row in overview.rows if row.council.gss_code in chosen]
            context["chosen"] = [row.council for row in rows]
            context["measure_rows"] = [
                {
                    "measure": measure,
                    "cells": [row.cells[index] for row in rows],
                    "region": overview.region_comparators[index],
                    "england": overview.england_comparators[index],
                }
                for index, measure in enumerate(overview.measures)
            ]
        return context

    def render_to_response(self, context: dict[str, Any], **kwargs: Any) -> HttpResponse:
        if self.request.GET.get("_export") in EXPORT_FORMATS and "measure_rows" in context:
            return self.export(context)
        return super().render_to_response(context, **kwargs)

    def export(self, context: dict[str, Any]) -> HttpResponse:
        import django_tables2 as tables

        columns = {"code": tables.Column(verbose_name="Code"), "title": tables.Column(verbose_name="Measure")}
        for index, council in enumerate(context["chosen"]):
            columns[f"c{index}"] = tables.Column(verbose_name=council.name)
            columns[f"r{index}"] = tables.Column(verbose_name=f"{council.name} RAG")
        columns["region"] = tables.Column(verbose_name="Region")
        columns["england"] = tables.Column(verbose_name="England")
        data = []
        for row in context["measure_rows"]:
            record = {
                "code": row["measure"].code,
                "title": row["measure"].title,
                "region": row["region"].formatted,
                "england": row["england"].formatted,
            }
            for index, cell in enumerate(row["cells"]):
                record[f"c{index}"] = "" if cell.value is None else cell.value
                record[f"r{index}"] = cell.rag.value if cell.rag else ""
            data.append(record)
        table_class = type("CompareExportTable", (tables.Table,), dict(columns))
        label = context["overview"].period.label if context["overview"].period else "no-data"
        return TableExport(self.request.GET["_export"], table_class(data)).response(
            f"compare-{context['region'].slug}-{label}.{self.request.GET['_export']}"
        )
