"""The measures catalogue and one page per measure: definition, the region's figures, charts and CSVs."""

import hashlib

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.http import urlencode
from django.views.generic import TemplateView
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin
from django_tables2.export import ExportMixin
from rules.contrib.views import PermissionRequiredMixin

from core.cache import cached_read
from core.pagecache import viewer_page_cache
from core.pagination import BoundedPaginator
from councils.models import Council
from councils.selectors import home_council_for_user, region_for_user
from scorecard.charts import (
    ChartBundle,
    csv_response,
)
from scorecard.figure_exports import page_export, unit_label
from scorecard.measures.charts import measure_ranking_chart, measure_trend_chart
from scorecard.measures.forms import MeasureFilter
from scorecard.measures.selectors import measure_values
from scorecard.measures.tables import (
    MEASURE_COLUMNS,
    MeasureTable,
    measure_comparators,
    measure_export_rows,
    measure_figure_rows,
)
from scorecard.models import Measure
from scorecard.periods import period_from_request

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


@method_decorator(viewer_page_cache("period", "region", "council"), name="dispatch")
class MeasureDetailView(PermissionRequiredMixin, TemplateView):
    """A measure's definition and a region's figures for a year, ranked in England, charted and downloadable.

    ``?period=2022-23`` selects a year (an unknown one is a 404); ``?region=E12000005`` another region;
    ``?council=<GSS>`` the council the charts highlight; ``?format=csv&chart=ranking`` (or ``trend``) downloads
    a chart's data; ``?_export=csv|xlsx|figures`` the figures. Read through ``measure_values``.
    """

    permission_required = "councils.view_council"
    raise_exception = True
    template_name = "scorecard/measures/measure_detail.html"
    http_method_names = ["get", "head"]

    def get(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:  # type: ignore[no-untyped-def]
        self.measure = get_object_or_404(
            Measure.objects.select_related("domain", "replaces", "owner_region"), key=kwargs["key"]
        )
        period = period_from_request(request)
        self.region = region_for_user(user=request.user, gss_code=request.GET.get("region"))
        self.focus = home_council_for_user(user=request.user)
        self.data = measure_values(
            measure=self.measure, period=period, region=self.region, council=self._chart_council()
        )
        label = self.data.period.label if self.data.period else "no-period"
        response = page_export(
            request,
            f"{self.measure.key}-{label}",
            columns=MEASURE_COLUMNS,
            rows=lambda: measure_export_rows(self.data),
            figures=lambda: measure_figure_rows(self.data),
        )
        if response is None and request.GET.get("format") == "csv":
            response = self._chart_csv(request.GET.get("chart", "ranking"), label)
        return response or super().get(request, *args, **kwargs)

    def _chart_council(self) -> Council | None:
        """The council the charts are about: ?council=<GSS> (a link from its scorecard) when it is one of the
        region's councils, else the user's own council."""
        asked = self.request.GET.get("council", "").strip().upper()
        if asked and self.region is not None:
            found = Council.objects.filter(gss_code=asked, region=self.region).first()
            if found is not None:
                return found
        return self.focus

    def _chart_csv(self, chart_name: str, period_label: str) -> HttpResponse:
        if chart_name not in CSV_CHARTS:
            raise Http404("No such chart")
        chart = self._charts().get(chart_name)
        if chart is None:
            raise Http404("No figures to download")
        region = self.region.gss_code if self.region else ""
        suffix = f"{period_label}-{region}" if chart_name == "ranking" else ""
        return csv_response(chart.table, filename=f"{self.measure.key}-{chart_name}-{suffix}".rstrip("-"))

    def _csv_url(self, chart: str) -> str:
        params = {"format": "csv", "chart": chart}
        for name in ("period", "region", "council"):
            if self.request.GET.get(name):
                params[name] = self.request.GET[name]
        if self.data.period is not None:
            params["period"] = self.data.period.label
        return f"{reverse('scorecard:measure-detail', kwargs={'key': self.measure.key})}?{urlencode(params)}"

    def _charts(self) -> dict[str, ChartBundle]:
        """The ranking and trend charts, built once per data version for what they show (plotly's figure
        building was most of the page's time) and then kept (``cache.cached_read``)."""
        if not hasattr(self, "_chart_cache"):
            region_name = self.region.name if self.region else "Region"
            end = self.data.period.label if self.data.period and self.request.GET.get("period") else ""
            csv_urls = (self._csv_url("ranking"), self._csv_url("trend"))

            def build() -> dict[str, ChartBundle]:
                charts = {
                    "ranking": measure_ranking_chart(self.data, region_name=region_name, csv_url=csv_urls[0]),
                    "trend": measure_trend_chart(
                        self.data, region_name=region_name, csv_url=csv_urls[1], end=end
                    ),
                }
                return {name: chart for name, chart in charts.items() if chart is not None}

            self._chart_cache = cached_read(
                "measure-charts",
                self.measure.pk,
                self.data.period.pk if self.data.period else "",
                self.region.pk if self.region else "",
                self.data.council.pk if self.data.council else "",
                hashlib.sha256("\x1f".join([region_name, end, *csv_urls]).encode()).hexdigest()[:32],
                compute=build,
            )
        return self._chart_cache

    def get_context_data(self, **kwargs):  # type: ignore[no-untyped-def]
        context = super().get_context_data(**kwargs)
        data, charts = self.data, self._charts()
        context.update(
            {
                "measure": self.measure,
                "data": data,
                "shows_demo_data": data.data_is_demo,
                "region": self.region,
                "focus": self.focus,
                "charts": charts,
                "ranking_chart": charts.get("ranking"),
                "trend_chart": charts.get("trend"),
                "has_charts": bool(charts),
                "later": [m for m in data.series if m.replaces_id == self.measure.pk],
                "period_measure": data.measure,
                "unit_label": unit_label(self.measure),
                "comparator_rows": [
                    (name, data.comparators[key])
                    for key, _, name, _ in measure_comparators(data)
                    if key in data.comparators
                ],
            }
        )
        return context
