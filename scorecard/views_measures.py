"""The measures catalogue and one page per measure: definition, the region's figures, charts and CSVs."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.http import urlencode
from django.views.generic import TemplateView
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin
from django_tables2.export import ExportMixin
from rules.contrib.views import PermissionRequiredMixin

from councils.exports import dict_rows, export_response
from councils.pagination import BoundedPaginator
from scorecard import _measure_data as md
from scorecard.charts import (
    BarItem,
    ChartBundle,
    ReferenceLine,
    TrendSeries,
    csv_response,
    ranking_bar_chart,
    trend_chart,
)
from scorecard.forms import MeasureFilter
from scorecard.models import Measure, Polarity, Unit
from scorecard.tables import MeasureTable
from scorecard.tables_scorecards import FIGURE_COLUMNS

CSV_CHARTS = ("ranking", "trend")


class MeasureListView(PermissionRequiredMixin, ExportMixin, SingleTableMixin, FilterView):
    permission_required = "councils.view_council"
    raise_exception = True
    table_class = MeasureTable
    filterset_class = MeasureFilter
    template_name = "scorecard/measures/measure_list.html"
    export_formats = ("csv", "xlsx")
    export_name = "measures"
    table_pagination = {"per_page": 100, "paginator_class": BoundedPaginator}
    http_method_names = ["get", "head"]

    def get_queryset(self):  # type: ignore[no-untyped-def]
        return Measure.objects.select_related("domain", "replaces").prefetch_related("replaced_by")


MEASURE_COLUMNS = [
    ("period", "Period"),
    ("area_gss_code", "GSS code"),
    ("area", "Area"),
    ("area_type", "Area type"),
    ("code", "Code"),
    ("measure_key", "Measure key"),
    ("measure", "Measure"),
    ("value", "Value"),
    ("unit", "Unit"),
    ("status", "Status"),
    ("rank", "Rank in region"),
    ("rank_of", "Councils ranked in region"),
    ("basis", "Basis"),
    ("demo", "Demo data"),
]


class MeasureDetailView(PermissionRequiredMixin, TemplateView):
    """A measure's definition and the region's latest (or selected) figures, ranked, charted and downloadable.

    ``?period=2022-23`` selects a year; ``?region=E12000005`` another region; ``?format=csv&chart=ranking``
    (or ``trend``) downloads a chart's data.
    """

    permission_required = "councils.view_council"
    raise_exception = True
    template_name = "scorecard/measures/measure_detail.html"
    http_method_names = ["get", "head"]

    def get(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:  # type: ignore[no-untyped-def]
        self.measure = get_object_or_404(
            Measure.objects.select_related("domain", "replaces", "owner_region"), key=kwargs["key"]
        )
        self.region = md.region_for_measure_page(user=request.user, gss_code=request.GET.get("region"))
        self.data = md.measure_data(
            measure=self.measure, region=self.region, period_label=request.GET.get("period")
        )
        self.focus = md.council_for_user(user=request.user)
        export_format = request.GET.get("_export")
        if export_format in ("csv", "xlsx", "figures"):
            period = self.data.period.label if self.data.period else "no-period"
            name = f"{self.measure.key}-{period}"
            if export_format == "figures":
                headers, rows = dict_rows(FIGURE_COLUMNS, md.figure_rows(self.data))
                return export_response(
                    export_format="csv", headers=headers, rows=rows, filename=f"{name}-figures"
                )
            headers, rows = dict_rows(MEASURE_COLUMNS, md.export_rows(self.data))
            return export_response(export_format=export_format, headers=headers, rows=rows, filename=name)
        if request.GET.get("format") == "csv":
            chart_name = request.GET.get("chart", "ranking")
            if chart_name not in CSV_CHARTS:
                raise Http404("No such chart")
            chart = self._charts().get(chart_name)
            if chart is None:
                raise Http404("No figures to download")
            period = self.data.period.label if self.data.period else "no-period"
            suffix = (
                f"{period}-{self.region.gss_code if self.region else ''}" if chart_name == "ranking" else ""
            )
            return csv_response(chart.table, filename=f"{self.measure.key}-{chart_name}-{suffix}".rstrip("-"))
        return super().get(request, *args, **kwargs)

    def _csv_url(self, chart: str) -> str:
        params = {"format": "csv", "chart": chart}
        if self.data.period is not None:
            params["period"] = self.data.period.label
        if self.region is not None:
            params["region"] = self.region.gss_code
        return f"{reverse('scorecard:measure-detail', kwargs={'key': self.measure.key})}?{urlencode(params)}"

    def _charts(self) -> dict[str, ChartBundle]:
        if hasattr(self, "_chart_cache"):
            return self._chart_cache
        data, measure = self.data, self.measure
        charts: dict[str, ChartBundle] = {}
        region_name = self.region.name if self.region else "Region"
        value_label = md.unit_label(measure)
        focus_pk = self.focus.pk if self.focus else None
        # The council the chart is about: ?council=<GSS> (a link from that council's scorecard) when it is one
        # of this region's councils, else the user's own council.
        asked = self.request.GET.get("council", "").strip()
        asked = asked if asked in {area.key for area in data.council_areas} else ""

        def is_focus(area) -> bool:  # type: ignore[no-untyped-def]
            if asked:
                return area.key == asked
            return area.council_id is not None and area.council_id == focus_pk

        if data.period is not None and data.councils:
            refs = []
            for figure, name in ((data.region_figure, region_name), (data.england_figure, "England")):
                if figure is not None:
                    label = f"{name} (computed)" if figure.computed else name
                    refs.append(
                        ReferenceLine(
                            label,
                            float(figure.value) if figure.value is not None else None,
                            md.short_value_text(figure.value, measure),
                        )
                    )
            charts["ranking"] = ranking_bar_chart(
                title=f"{measure.code}: {region_name} councils, {data.period.label}",
                items=[
                    BarItem(
                        label=f.area.name,
                        value=float(f.value) if f.value is not None else None,
                        text=md.short_value_text(f.value, measure) or f.status_text,
                        highlight=is_focus(f.area),
                    )
                    for f in data.councils
                ],
                higher_is_better=None
                if measure.polarity == Polarity.NONE
                else measure.polarity == Polarity.HIGHER,
                reference_lines=refs,
                value_label=value_label,
                csv_url=self._csv_url("ranking"),
                chart_id="chart-ranking",
                axis_from_zero=measure.unit != Unit.SCORE,
            )
        # On an older year's page the trend ends at the year shown.
        end = data.period.label if data.period and self.request.GET.get("period") else ""
        shown_years = [p for p in data.periods if not end or p.start_year <= data.period.start_year]
        if len(shown_years) > 1 and data.council_areas:  # a trend needs two years or more
            labels = [p.label for p in data.periods]
            series = []
            for area in data.council_areas:
                line = data.trend.get(area.key, {})
                numbers = [line.get(p.pk) for p in data.periods]
                series.append(
                    TrendSeries(
                        label=area.name,
                        values=[float(n) if n is not None else None for n in numbers],
                        texts=[md.value_text(n, measure) for n in numbers],
                        highlight=is_focus(area),
                    )
                )
            for key, name in (
                (self.region.gss_code if self.region else "", region_name),
                ("E92000001", "England"),
            ):
                if key not in data.trend:
                    continue
                line = data.trend[key]
                computed = data.trend_computed.get(key, set())
                numbers = [line.get(p.pk) for p in data.periods]
                if all(n is None for n in numbers):
                    continue
                series.append(
                    TrendSeries(
                        label=name,
                        values=[float(n) if n is not None else None for n in numbers],
                        texts=[
                            md.value_text(n, measure)
                            + (" (computed)" if p.pk in computed and n is not None else "")
                            for n, p in zip(numbers, data.periods, strict=True)
                        ],
                        comparator=True,
                        dashed=True,
                    )
                )
            charts["trend"] = trend_chart(
                title=f"{measure.code} trend: {region_name} councils, {labels[0]} to {end or labels[-1]}",
                periods=labels,
                series=series,
                value_label=value_label,
                csv_url=self._csv_url("trend"),
                chart_id="chart-trend",
                end_period=end,
            )
        self._chart_cache = charts
        return charts

    def get_context_data(self, **kwargs):  # type: ignore[no-untyped-def]
        context = super().get_context_data(**kwargs)
        data = self.data
        charts = self._charts()
        context.update(
            {
                "measure": self.measure,
                "data": data,
                "shows_demo_data": data.any_demo,
                "region": self.region,
                "focus": self.focus,
                "charts": charts,
                "ranking_chart": charts.get("ranking"),
                "trend_chart": charts.get("trend"),
                "has_charts": bool(charts),
                "later": [m for m in data.series if m.replaces_id == self.measure.pk],
                "out_of": data.ranked_count,
                "period_measure": next(
                    (m for f in data.councils for m in data.series if f.measure_id and m.pk == f.measure_id),
                    self.measure,
                ),
                "unit_label": md.unit_label(self.measure),
                "rank_rows": [
                    {"figure": f, "rank_text": md.rank_text(f.rank, data.ranked_count, tied=f.tied)}
                    for f in data.councils
                ],
            }
        )
        return context
