"""Balanced-scorecard pages: a council's scorecard, the regional overview and the compare page."""

import hashlib
from functools import cached_property
from typing import Any, cast
from urllib.parse import urlencode

from django import forms
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.utils.decorators import method_decorator
from django.views.generic import TemplateView
from django_tables2 import RequestConfig
from rules.contrib.views import PermissionRequiredMixin

from core.cache import cached_read, data_version
from core.pagecache import page_cache_skip, viewer_page_cache
from core.release import current_release
from councils.mixins import CouncilFromURLMixin, RegionFromURLMixin
from councils.models import Council
from scorecard import charts
from scorecard.figure_exports import page_export
from scorecard.figures import periods_with_figures
from scorecard.models import Domain, Period
from scorecard.periods import period_from_request
from scorecard.scorecards.charts import rag_heatmap
from scorecard.scorecards.selectors import (
    CouncilScorecard,
    council_scorecard,
    councils_comparison,
    region_overview,
    scorecard_sections_annotate,
)
from scorecard.scorecards.tables import (
    OVERVIEW_COLUMNS,
    SCORECARD_COLUMNS,
    comparison_export_rows,
    comparison_figure_rows,
    overview_export_rows,
    overview_figure_rows,
    overview_table,
    scorecard_export_rows,
    scorecard_figure_rows,
    short_value,
)


def scorecard_content_key(scorecard: CouncilScorecard) -> str:
    """The key of the page content's cached rendering: the data version (measures, councils and domains as
    stored) and a digest of everything the content shows (figures, comparators, commentary, the neighbour
    group, the self-ratings this viewer may see), so no write can leave a stale rendering behind; and the
    release, so no rendering by the previous templates survives a deploy."""
    digest = hashlib.sha256(repr(scorecard).encode()).hexdigest()[:32]
    return f"{current_release()}:{data_version()}:{scorecard.council.pk}:{digest}"


@method_decorator(viewer_page_cache("period"), name="dispatch")
class CouncilScorecardView(CouncilFromURLMixin, PermissionRequiredMixin, TemplateView):
    permission_required = "councils.view_council"
    raise_exception = True
    template_name = "scorecard/scorecards/council.html"
    http_method_names = ["get", "head"]

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        council = self.get_permission_object()
        self.scorecard = council_scorecard(council=council, period=period_from_request(request))
        scorecard_sections_annotate(
            sections=self.scorecard.domains,
            council=council,
            period=self.scorecard.period,
            viewer=request.user,
        )
        label = self.scorecard.period.label if self.scorecard.period else "no-data"
        response = page_export(
            request,
            f"scorecard-{council.slug}-{label}",
            columns=SCORECARD_COLUMNS,
            rows=lambda: scorecard_export_rows(self.scorecard),
            figures=lambda: scorecard_figure_rows(self.scorecard),
        )
        return response or super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["council"] = self.council
        context["scorecard"] = self.scorecard
        context["shows_demo_data"] = self.scorecard.data_is_demo
        context["content_key"] = scorecard_content_key(self.scorecard)
        # The kept content is shared by every viewer of this scorecard: its links carry only what shapes it
        # (the period it shows), never the rest of one visitor's address.
        period = self.scorecard.period
        context["export_query"] = urlencode({"period": period.label}) if period else ""
        return context


@method_decorator(viewer_page_cache("period", "domain", "sort"), name="dispatch")
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
        self.overview = region_overview(region=region, period=period_from_request(request), domain=domain)
        self.table = overview_table(self.overview, orderable=True)
        RequestConfig(request, paginate=False).configure(self.table)
        label = self.overview.period.label if self.overview.period else "no-data"
        response = page_export(
            request,
            f"region-{region.slug}-{label}",
            columns=OVERVIEW_COLUMNS,
            rows=lambda: overview_export_rows(self.overview),
            figures=lambda: overview_figure_rows(self.overview),
        )
        if request.GET.get("format") == "csv":
            return charts.csv_response(self.heatmap.table, filename=f"heatmap-{region.slug}-{label}.csv")
        return response or super().get(request, *args, **kwargs)

    def _page_key(self) -> tuple[object, ...]:
        """What the heat-map and the table depend on beyond the data version: the region, period, domain and
        the query (sorting, the CSV link)."""
        overview = self.overview
        query = hashlib.sha256(self.request.GET.urlencode().encode()).hexdigest()[:16]
        return (
            overview.region.pk,
            overview.period.pk if overview.period else "-",
            overview.domain.pk if overview.domain else "-",
            query,
        )

    @cached_property
    def heatmap(self) -> charts.ChartBundle:
        """Built once per data version and query (core/cache.py): it depends on nothing else."""
        return cached_read("region-heatmap", *self._page_key(), compute=self._heatmap)

    def _heatmap(self) -> charts.ChartBundle:
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
        context["table_html"] = cached_read(
            "region-table", *self._page_key(), compute=lambda: self.table.as_html(self.request)
        )
        context["shows_demo_data"] = self.overview.data_is_demo
        context["comparator_rows"] = list(
            zip(
                self.overview.measures,
                self.overview.region_comparators,
                self.overview.england_comparators,
                strict=True,
            )
        )
        return context


def council_choice_label(council: Council) -> str:
    """What the search suggests and accepts: the name; a former council also says so, with its code."""
    if council.is_former:
        return f"{council.name} (former council, {council.gss_code})"
    return council.name


class CompareForm(forms.Form):
    """Two to four councils from anywhere in England, typed (with suggestions) rather than picked from a
    list of 161. Each box takes a council's name or GSS code; works without JavaScript."""

    MAX = 4
    councils = forms.CharField(required=False, label="Councils to compare")
    period = forms.ChoiceField(label="Year", required=False)

    def __init__(self, *args: Any, all_councils: list[Council], periods: list[Period], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.all_councils = all_councils
        self.lookup: dict[str, Council] = {}
        # Former councils first, so that a current council of the same name ("Dorset") wins the name.
        for council in sorted(all_councils, key=lambda c: not c.is_former):
            for key in (council.name, council.gss_code, council.slug, council_choice_label(council)):
                self.lookup[key.strip().casefold()] = council
        cast(forms.ChoiceField, self.fields["period"]).choices = [("", "Latest")] + [
            (p.label, p.label) for p in reversed(periods)
        ]

    def entered(self) -> list[str]:
        """The texts typed, in order (blank boxes dropped)."""
        if not self.is_bound:
            return []
        return [text.strip() for text in cast(QueryDict, self.data).getlist("councils") if text.strip()][:20]

    def clean_councils(self) -> list[Council]:
        chosen: list[Council] = []
        unknown: list[str] = []
        for text in self.entered():
            council = self.lookup.get(" ".join(text.split()).casefold())
            if council is None:
                unknown.append(text[:60])
            elif council not in chosen:
                chosen.append(council)
        if unknown:
            raise forms.ValidationError(
                "No English council is called "
                + ", ".join(f"“{text}”" for text in unknown)
                + ": enter a council name, such as Manchester, or its GSS code, such as E08000003"
            )
        if not 2 <= len(chosen) <= self.MAX:
            raise forms.ValidationError("Enter 2, 3 or 4 different councils to compare")
        return chosen

    def boxes(self) -> list[dict[str, str]]:
        """The text boxes (four, or more when more were sent): id, label and the value to show again."""
        if self.is_bound and not self.errors:
            values = [council_choice_label(c) for c in self.cleaned_data["councils"]]
        else:
            values = self.entered()
        values += [""] * (self.MAX - len(values))
        return [
            {
                "id": "id_councils" if index == 0 else f"id_councils_{index + 1}",
                "label": f"Council {index + 1}" + ("" if index < 2 else " (optional)"),
                "value": value,
            }
            for index, value in enumerate(values)
        ]


@method_decorator(viewer_page_cache("councils", "period", "region"), name="dispatch")
class CompareView(PermissionRequiredMixin, TemplateView):
    """Two to four councils from any English regions side by side, measure by measure.

    ``?councils=<name or GSS code>`` (repeated) and ``?period=2019-20``; ``?region=`` is accepted and
    ignored (old links). Each council is ranked in its own region, beside its region's comparator.
    """

    permission_required = "councils.view_council"
    raise_exception = True
    template_name = "scorecard/scorecards/compare.html"
    http_method_names = ["get", "head"]

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        period = period_from_request(request)
        all_councils = list(Council.objects.select_related("region").order_by("name"))
        periods = periods_with_figures()
        submitted = "councils" in request.GET
        query = request.GET.copy()
        if period is not None:
            query["period"] = period.label  # 2023/24 → the choice 2023-24
        form = CompareForm(query if submitted else None, all_councils=all_councils, periods=periods)
        self.form, self.comparison = form, None
        if submitted and not form.is_valid():
            page_cache_skip(request)  # any text makes a page of its own: not worth keeping
        if submitted and form.is_valid():
            self.comparison = councils_comparison(councils=form.cleaned_data["councils"], period=period)
            label = self.comparison.period.label if self.comparison.period else "no-data"
            names = "-".join(c.slug for c in self.comparison.councils)
            response = page_export(
                request,
                f"compare-{names}-{label}"[:120],
                columns=OVERVIEW_COLUMNS,
                rows=lambda: comparison_export_rows(self.comparison),
                figures=lambda: comparison_figure_rows(self.comparison),
            )
            if response is not None:
                return response
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        comparison = self.comparison
        context.update(
            form=self.form,
            comparison=comparison,
            council_options=[council_choice_label(c) for c in self.form.all_councils],
            shows_demo_data=bool(comparison and comparison.data_is_demo),
        )
        if comparison is not None:
            context["chosen"] = comparison.councils
            region_index = {r.pk: i for i, r in enumerate(comparison.regions)}
            context["region_of_council"] = [
                region_index.get(c.region_id) if c.region_id is not None else None
                for c in comparison.councils
            ]
        return context
