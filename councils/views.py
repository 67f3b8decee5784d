from django.shortcuts import get_object_or_404
from django.views.generic import DetailView, TemplateView
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin
from django_tables2.export import ExportMixin
from rules.contrib.views import PermissionRequiredMixin

from core.pagination import BoundedPaginator
from councils import selectors
from councils.filters import CouncilFilter
from councils.mixins import RegionFromURLMixin
from councils.models import Council, Membership, Region
from councils.tables import CouncilTable


class CouncilListView(PermissionRequiredMixin, ExportMixin, SingleTableMixin, FilterView):
    permission_required = "councils.view_council"
    raise_exception = True
    table_class = CouncilTable
    filterset_class = CouncilFilter
    template_name = "councils/council_list.html"
    export_formats = ("csv", "xlsx")
    export_name = "councils"
    table_pagination = {"per_page": 50, "paginator_class": BoundedPaginator}
    http_method_names = ["get", "head"]

    def get_queryset(self):  # type: ignore[no-untyped-def]
        return selectors.council_list()


class CouncilDetailView(PermissionRequiredMixin, DetailView):
    permission_required = "councils.view_council"
    raise_exception = True
    template_name = "councils/council_detail.html"
    http_method_names = ["get", "head"]

    def get_object(self, queryset=None) -> Council:  # type: ignore[no-untyped-def]
        return get_object_or_404(Council.objects.select_related("region"), gss_code=self.kwargs["gss_code"])

    def get_context_data(self, **kwargs):  # type: ignore[no-untyped-def]
        context = super().get_context_data(**kwargs)
        people = selectors.council_people(council=self.object)
        context["dass"] = [m.user for m in people if m.role == Membership.Role.DASS]
        context["delegates"] = [m.user for m in people if m.role == Membership.Role.DELEGATE]
        context["neighbours"] = selectors.council_neighbours(council=self.object)
        context["shows_demo_data"] = any(n.is_demo for n in context["neighbours"])
        context["successors"] = list(self.object.successors.order_by("name"))
        context["predecessors"] = list(self.object.predecessors.order_by("name"))
        return context


class RegionDetailView(PermissionRequiredMixin, ExportMixin, DetailView):
    permission_required = "councils.view_region"
    raise_exception = True
    template_name = "councils/region_detail.html"
    http_method_names = ["get", "head"]

    def get_object(self, queryset=None) -> Region:  # type: ignore[no-untyped-def]
        return get_object_or_404(Region, gss_code=self.kwargs["gss_code"])

    export_formats = ("csv", "xlsx")

    def get_export_filename(self, export_format: str) -> str:
        return f"councils-{self.object.slug}.{export_format}"

    def get_table_kwargs(self) -> dict:
        return {}

    def get_table(self, **kwargs) -> CouncilTable:  # type: ignore[no-untyped-def]
        return CouncilTable(selectors.council_list(region=self.object), orderable=False, **kwargs)

    def get_context_data(self, **kwargs):  # type: ignore[no-untyped-def]
        context = super().get_context_data(**kwargs)
        context["table"] = self.get_table()
        context["can_view_people"] = self.request.user.has_perm("councils.view_people", self.object)
        return context


class RegionPeopleView(RegionFromURLMixin, PermissionRequiredMixin, TemplateView):
    permission_required = "councils.view_people"
    raise_exception = True
    template_name = "councils/region_people.html"
    http_method_names = ["get", "head"]

    def get_context_data(self, **kwargs):  # type: ignore[no-untyped-def]
        context = super().get_context_data(**kwargs)
        region = self.get_permission_object()
        context["region"] = region
        context["people"] = selectors.region_people(region=region)
        return context
