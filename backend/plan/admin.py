from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib import admin
from django.http import HttpRequest

from backend.plan.models import Period, Target

# django-stubs makes ModelAdmin generic; at runtime it is not subscriptable.
if TYPE_CHECKING:
    ModelAdminBase = admin.ModelAdmin[Any]
else:
    ModelAdminBase = admin.ModelAdmin


class ReadOnlyAdmin(ModelAdminBase):
    """The plan's numbers change only by a migration, reviewed like code."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(Period)
class PeriodAdmin(ReadOnlyAdmin):
    list_display = ("key", "name", "start", "end", "section")


@admin.register(Target)
class TargetAdmin(ReadOnlyAdmin):
    list_display = ("position", "key", "name", "comparison", "value", "unit", "cadence", "section")
    list_filter = ("comparison", "cadence", "period")
    search_fields = ("key", "name", "wording")
    list_select_related = ("period",)
