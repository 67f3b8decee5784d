import django_tables2 as tables
from django.utils.html import format_html

from core.exports import SafeExportMixin
from councils.models import Council


class CouncilTable(SafeExportMixin, tables.Table):
    name = tables.Column(linkify=True, attrs={"th": {"scope": "col"}})
    council_type = tables.Column(verbose_name="Type")
    gss_code = tables.Column(verbose_name="GSS code")
    cassr_code = tables.Column(verbose_name="CASSR code", default="–")
    region = tables.Column(accessor="region__name", verbose_name="Region", order_by=("region__name", "name"))
    status = tables.Column(verbose_name="Status")
    dass = tables.Column(verbose_name="DASS", empty_values=(), orderable=False)
    # Export-only columns (hidden on the page): codes an analyst joins on.
    region_gss_code = tables.Column(
        accessor="region__gss_code", verbose_name="Region GSS code", visible=False, default=""
    )
    successors = tables.Column(verbose_name="Replaced by (GSS codes)", empty_values=(), visible=False)

    class Meta:
        model = Council
        fields = ("name", "council_type", "gss_code", "cassr_code", "region", "status")
        sequence = (
            "name",
            "council_type",
            "gss_code",
            "cassr_code",
            "region",
            "status",
            "dass",
            "region_gss_code",
            "successors",
        )
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

    def value_cassr_code(self, value: int | None) -> int | None:
        return value

    def render_status(self, record: Council) -> str:
        return "Former" if record.is_former else "Current"

    def value_status(self, record: Council) -> str:
        return record.status

    def value_successors(self, record: Council) -> str:
        return " ".join(c.gss_code for c in record.successors.all())
