"""Admin for CQC's published outcomes (with their history). Imported by scorecard/admin.py."""

from django.contrib import admin
from django.db import models
from simple_history.admin import SimpleHistoryAdmin

from scorecard.assurance.models import CqcAssessment


@admin.register(CqcAssessment)
class CqcAssessmentAdmin(SimpleHistoryAdmin):
    list_display = ["council", "assessed_on", "rating", "source", "is_demo", "updated_at"]
    list_filter = ["rating", "source", "is_demo", "council__region"]
    search_fields = ["council__name", "council__gss_code"]
    list_select_related = ["council"]
    date_hierarchy = "assessed_on"
    raw_id_fields = ["created_by", "source_import"]
    readonly_fields = ["created_at", "updated_at"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
