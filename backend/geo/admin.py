from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib import admin
from django.http import HttpRequest

from backend.geo.models import Township, TownshipAlias, Village

# django-stubs makes the admin classes generic; at runtime they are not subscriptable.
if TYPE_CHECKING:
    AliasInlineBase = admin.TabularInline[TownshipAlias, Township]
    TownshipAdminBase = admin.ModelAdmin[Township]
    VillageAdminBase = admin.ModelAdmin[Village]
else:
    AliasInlineBase = admin.TabularInline
    TownshipAdminBase = VillageAdminBase = admin.ModelAdmin


class TownshipAliasInline(AliasInlineBase):
    model = TownshipAlias
    extra = 0


@admin.register(Township)
class TownshipAdmin(TownshipAdminBase):
    """Townships and their codes come from a migration (NBS list); aliases are edited here."""

    list_display = ("code", "name", "kind", "is_dissolved", "dissolved_year")
    list_filter = ("kind", "is_dissolved")
    search_fields = ("code", "name", "aliases__alias")
    readonly_fields = ("code", "name", "kind", "is_dissolved", "dissolved_year")
    inlines = [TownshipAliasInline]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(Village)
class VillageAdmin(VillageAdminBase):
    """Villages come from `manage.py geo_import`; here only the flags are corrected."""

    list_display = ("code", "name", "township", "formerly_poor", "is_sample")
    list_filter = ("township", "formerly_poor", "is_sample")
    search_fields = ("code", "name")
    list_select_related = ("township",)
    readonly_fields = ("code", "township", "is_sample", "created_at", "updated_at")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
