from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from core.cache import rows_written
from scorecard.models import Area, Domain, ImportRecord, Measure, Period, Value


@admin.register(Domain)
class DomainAdmin(admin.ModelAdmin):
    list_display = ("name", "position", "slug")
    list_editable = ("position",)
    prepopulated_fields = {"slug": ("name",)}
    fields = ("name", "slug", "position", "description")


@admin.register(Measure)
class MeasureAdmin(admin.ModelAdmin):
    list_display = ("code", "title", "framework", "domain", "polarity")
    list_display_links = ("code", "title")
    list_editable = ("domain",)
    list_filter = ("framework", "domain", "polarity", "source")
    list_select_related = ("domain",)
    search_fields = ("code", "title", "key", "series")
    autocomplete_fields = ("replaces",)
    readonly_fields = ("key",)


@admin.register(Period)
class PeriodAdmin(admin.ModelAdmin):
    list_display = ("label", "start_year")


@admin.register(Area)
class AreaAdmin(admin.ModelAdmin):
    list_display = ("name", "key", "kind", "council", "region")
    list_filter = ("kind",)
    search_fields = ("name", "key")
    list_select_related = ("council", "region")
    raw_id_fields = ("council",)


@admin.register(Value)
class ValueAdmin(SimpleHistoryAdmin):
    """Figures come from imports; the admin is for looking, correcting a note, and seeing the history."""

    list_display = ("measure", "period", "area", "breakdown", "value", "status", "is_demo")
    list_filter = ("is_demo", "status", "period", "measure__framework", "area__kind")
    list_select_related = ("measure", "period", "area")
    search_fields = ("measure__code", "measure__title", "area__name", "area__key")
    readonly_fields = (
        "measure",
        "period",
        "area",
        "breakdown",
        "value",
        "status",
        "numerator",
        "denominator",
        "base",
        "margin_of_error",
        "is_demo",
        "source_import",
    )
    fields = (*readonly_fields, "note")

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False

    # A deleted figure must leave the pages at once: values have no delete signal (they are deleted in bulk,
    # scorecard.apps), so the admin's deletes say so as every bulk writer does.
    def delete_model(self, request, obj):  # type: ignore[no-untyped-def]
        super().delete_model(request, obj)
        rows_written(Value)

    def delete_queryset(self, request, queryset):  # type: ignore[no-untyped-def]
        super().delete_queryset(request, queryset)
        rows_written(Value)


@admin.register(ImportRecord)
class ImportRecordAdmin(admin.ModelAdmin):
    list_display = ("created_at", "kind", "file_name", "status", "imported_by", "rows_read", "problem_count")
    list_filter = ("kind", "status")
    search_fields = ("file_name", "sha256")
    list_select_related = ("imported_by",)

    def get_readonly_fields(self, request, obj=None):  # type: ignore[no-untyped-def]
        return [field.name for field in self.model._meta.fields]

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


import scorecard.assurance.admin  # noqa: E402, F401  (registers the CQC outcomes admin)
