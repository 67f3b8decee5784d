"""The import history table."""

import django_tables2 as tables
from django.urls import reverse
from django.utils.dateformat import format as date_format
from django.utils.html import format_html
from django.utils.timezone import localtime

from core.exports import SafeExportMixin
from scorecard.models import ImportRecord


class ImportRecordTable(SafeExportMixin, tables.Table):
    created_at = tables.DateTimeColumn(verbose_name="When", format="j M Y H:i", linkify=False)
    imported_by = tables.Column(verbose_name="Who", default="–")
    kind = tables.Column()
    file_name = tables.Column(verbose_name="File")
    sha256 = tables.Column(verbose_name="SHA-256", default="–")
    status = tables.Column()
    counts = tables.Column(
        verbose_name="Rows (new / changed / same / skipped)",
        empty_values=(),
        orderable=False,
        exclude_from_export=True,
    )
    problem_count = tables.Column(verbose_name="Problems")
    # Export-only: the counts as separate numeric columns.
    rows_read = tables.Column(verbose_name="Rows read", visible=False)
    created = tables.Column(verbose_name="New", visible=False)
    updated = tables.Column(verbose_name="Changed", visible=False)
    unchanged = tables.Column(verbose_name="Unchanged", visible=False)
    skipped = tables.Column(verbose_name="Skipped", visible=False)

    class Meta:
        model = ImportRecord
        fields = ("created_at", "imported_by", "kind", "file_name", "sha256", "status", "problem_count")
        sequence = (
            "created_at",
            "file_name",
            "kind",
            "imported_by",
            "status",
            "counts",
            "problem_count",
            "sha256",
            "rows_read",
            "created",
            "updated",
            "unchanged",
            "skipped",
        )
        order_by = ("-created_at",)
        attrs = {"class": "govuk-table"}
        empty_text = "Nothing has been imported yet."

    def render_created_at(self, value, record: ImportRecord) -> str:  # type: ignore[no-untyped-def]
        return format_html(
            '<a class="govuk-link" href="{}">{}</a>',
            reverse("scorecard:import-detail", kwargs={"pk": record.pk}),
            date_format(localtime(value), "j M Y H:i"),
        )

    def value_created_at(self, value) -> str:  # type: ignore[no-untyped-def]
        return date_format(localtime(value), "Y-m-d H:i")

    def value_imported_by(self, record: ImportRecord) -> str:
        return record.imported_by.username if record.imported_by else ""

    def value_kind(self, record: ImportRecord) -> str:
        return record.get_kind_display()

    def value_sha256(self, value: str) -> str:
        return value

    def render_sha256(self, value: str) -> str:
        return format_html('<span class="app-code" title="{}">{}</span>', value, value[:12])

    def render_status(self, record: ImportRecord) -> str:
        colours: dict[str, str] = {
            ImportRecord.Status.APPLIED: "govuk-tag--green",
            ImportRecord.Status.FAILED: "govuk-tag--red",
            ImportRecord.Status.PREVIEWED: "govuk-tag--grey",
        }
        colour = colours.get(record.status, "")
        if (
            record.task_state == ImportRecord.TaskState.STOPPED
        ):  # its worker died: it waits to be started again
            return format_html('<strong class="govuk-tag {}">{}</strong>', "govuk-tag--yellow", "Stopped")
        return format_html('<strong class="govuk-tag {}">{}</strong>', colour, record.get_status_display())

    def value_status(self, record: ImportRecord) -> str:
        return record.get_status_display()

    def render_counts(self, record: ImportRecord) -> str:
        return f"{record.created} / {record.updated} / {record.unchanged} / {record.skipped}"
