import django_tables2 as tables
from django.utils.html import format_html

from councils.models import Council


class CouncilTable(tables.Table):
    name = tables.Column(linkify=True, attrs={"th": {"scope": "col"}})
    council_type = tables.Column(verbose_name="Type")
    gss_code = tables.Column(verbose_name="GSS code")
    cassr_code = tables.Column(verbose_name="CASSR code", default="–")
    region = tables.Column(accessor="region__name", verbose_name="Region", order_by=("region__name", "name"))
    dass = tables.Column(verbose_name="DASS", empty_values=(), orderable=False)

    class Meta:
        model = Council
        fields = ("name", "council_type", "gss_code", "cassr_code", "region")
        sequence = ("name", "council_type", "gss_code", "cassr_code", "region", "dass")
        order_by = ("name",)
        attrs = {"class": "govuk-table"}

    def render_dass(self, record: Council) -> str:
        names = [str(m.user) for m in getattr(record, "dass_memberships", [])]
        return ", ".join(names) or "Not recorded"

    def value_dass(self, record: Council) -> str:
        return ", ".join(str(m.user) for m in getattr(record, "dass_memberships", []))

    def render_gss_code(self, value: str) -> str:
        return format_html('<span class="app-code">{}</span>', value)

    def value_gss_code(self, value: str) -> str:
        return value
