"""Admin for self-assessment cycles and self-assessments (with their history). Imported by scorecard/admin.py."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from selfassessment.models import (
    DomainAssessment,
    FrameworkStatement,
    SelfAssessment,
    SelfAssessmentCycle,
    SelfAssessmentFramework,
    StatementAssessment,
)


class FrameworkStatementInline(admin.TabularInline):
    model = FrameworkStatement
    extra = 0


@admin.register(SelfAssessmentFramework)
class SelfAssessmentFrameworkAdmin(SimpleHistoryAdmin):
    list_display = ["name", "slug", "kind", "compared_with_cqc", "position"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [FrameworkStatementInline]


@admin.register(SelfAssessmentCycle)
class SelfAssessmentCycleAdmin(SimpleHistoryAdmin):
    list_display = ["name", "region", "framework", "closes_on", "period", "state", "is_demo"]
    list_filter = ["region", "framework", "state", "is_demo"]
    search_fields = ["name", "slug"]
    list_select_related = ["region", "period", "framework"]
    raw_id_fields = ["created_by"]


class DomainAssessmentInline(admin.StackedInline):
    model = DomainAssessment
    extra = 0
    filter_horizontal = ["measures"]


class StatementAssessmentInline(admin.StackedInline):
    model = StatementAssessment
    extra = 0
    filter_horizontal = ["measures"]


@admin.register(SelfAssessment)
class SelfAssessmentAdmin(SimpleHistoryAdmin):
    list_display = ["council", "cycle", "status", "submitted_at", "version", "is_demo"]
    list_filter = ["cycle", "status", "is_demo"]
    search_fields = ["council__name", "council__gss_code"]
    list_select_related = ["council", "cycle"]
    raw_id_fields = ["submitted_by", "reopened_by", "updated_by"]
    readonly_fields = ["version"]
    inlines = [DomainAssessmentInline, StatementAssessmentInline]
