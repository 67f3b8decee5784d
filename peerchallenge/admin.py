from django.contrib import admin

from peerchallenge.models import (
    AvoidPair,
    GroupMember,
    LessonLearnt,
    PackBuild,
    Question,
    QuestionBankItem,
    QuestionSet,
    Summit,
    SummitGroup,
)


class GroupMemberInline(admin.TabularInline):
    model = GroupMember
    extra = 0


@admin.register(Summit)
class SummitAdmin(admin.ModelAdmin):
    list_display = ["name", "date", "region", "state"]
    list_filter = ["state", "region"]
    filter_horizontal = ["participants"]


@admin.register(SummitGroup)
class SummitGroupAdmin(admin.ModelAdmin):
    list_display = ["summit", "position", "room"]
    inlines = [GroupMemberInline]


admin.site.register(AvoidPair)


@admin.register(LessonLearnt)
class LessonLearntAdmin(admin.ModelAdmin):
    list_display = ["date", "host", "challenger", "domain"]
    list_filter = ["region", "domain"]


# Challenge packs and question sets. Until the bank has its own page, a region's question bank is kept
# here (per self-assessment cycle and domain).
@admin.register(QuestionBankItem)
class QuestionBankItemAdmin(admin.ModelAdmin):
    list_display = ["cycle", "domain", "position", "text"]
    list_filter = ["cycle__region", "domain"]


class QuestionInline(admin.TabularInline):
    model = Question
    extra = 0


@admin.register(QuestionSet)
class QuestionSetAdmin(admin.ModelAdmin):
    list_display = ["summit", "challenger", "challenged", "updated_at"]
    list_filter = ["summit__region"]
    inlines = [QuestionInline]


@admin.register(PackBuild)
class PackBuildAdmin(admin.ModelAdmin):
    list_display = ["summit", "state", "done", "total", "created_at"]
    readonly_fields = ["state", "done", "total", "message", "file_name", "requested_by"]
