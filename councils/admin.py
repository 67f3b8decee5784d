from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from councils.models import ApiToken, Council, Membership, NearestNeighbour, Region, User


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ("name", "gss_code")
    search_fields = ("name", "gss_code")
    prepopulated_fields = {"slug": ("name",)}


class NearestNeighbourInline(admin.TabularInline):
    model = NearestNeighbour
    extra = 0


@admin.register(Council)
class CouncilAdmin(admin.ModelAdmin):
    list_display = ("name", "gss_code", "cassr_code", "council_type", "region")
    list_filter = ("region", "council_type")
    search_fields = ("name", "gss_code", "cassr_code")
    prepopulated_fields = {"slug": ("name",)}
    inlines = [NearestNeighbourInline]


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ("council", "region")


@admin.register(User)
class SliUserAdmin(UserAdmin):
    list_display = ("username", "first_name", "last_name", "email", "is_staff", "is_demo")
    list_filter = (*UserAdmin.list_filter, "is_demo")
    fieldsets = (*(UserAdmin.fieldsets or ()), ("Demo", {"fields": ("is_demo",)}))
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ("user", "role", "council", "region")
    list_filter = ("role", "region", "council__region")
    autocomplete_fields = ("user", "council", "region")


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Tokens are issued with ``ApiToken.issue`` (the raw key is shown once); here they can be revoked."""

    list_display = ("name", "user", "created_at", "last_used_at", "revoked")
    list_filter = ("revoked",)
    search_fields = ("name", "user__username")
    readonly_fields = ("user", "name", "key_hash", "created_at", "last_used_at")
    fields = ("user", "name", "key_hash", "created_at", "last_used_at", "revoked")

    def has_add_permission(self, request) -> bool:  # type: ignore[no-untyped-def]
        return False
