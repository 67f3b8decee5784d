from django.contrib import admin

from peerchallenge.models import AvoidPair, GroupMember, LessonLearnt, Summit, SummitGroup


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
