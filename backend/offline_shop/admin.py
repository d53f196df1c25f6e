"""Admin: the office sets up shops and their discount rules here, and reads shifts and
settlements (written only at the counter and through the API: read-only here)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from backend.common.admin_readonly import ReadOnlyAdmin
from backend.offline_shop.models import DiscountRule, Settlement, Shift, ShiftClose, Shop
from backend.offline_shop.services_shop import shop_create


class DiscountRuleInline(admin.TabularInline):  # type: ignore[type-arg]
    model = DiscountRule
    extra = 0


@admin.register(Shop)
class ShopAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("id", "name", "operator", "commission_rate")
    fields = ("name", "operator", "address", "commission_rate", "shelf")
    readonly_fields = ("shelf",)
    inlines = (DiscountRuleInline,)

    def save_model(self, request: HttpRequest, obj: Shop, form: Any, change: bool) -> None:
        if change:
            super().save_model(request, obj, form, change)
            return
        made = shop_create(name=obj.name, operator=obj.operator, address=obj.address,
                           commission_rate=obj.commission_rate)  # fmt: skip
        obj.pk, obj.shelf = made.pk, made.shelf
        obj._state.adding = False


@admin.register(Shift)
class ShiftAdmin(ReadOnlyAdmin):
    list_display = ("id", "shop", "cashier", "status", "opened_at", "closed_at")
    list_filter = ("shop", "status")


@admin.register(ShiftClose)
class ShiftCloseAdmin(ReadOnlyAdmin):
    list_display = ("shift", "difference", "reason", "by", "at")


@admin.register(Settlement)
class SettlementAdmin(ReadOnlyAdmin):
    list_display = ("id", "shop", "seller", "period_start", "period_end", "owed_amount")
    list_filter = ("shop", "seller")
