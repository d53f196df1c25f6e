from __future__ import annotations

from django.contrib import admin

from backend.catalog.models import (
    Brand,
    Category,
    ImageSpec,
    ImageVariant,
    PackagingStandard,
    Product,
    ProductImage,
    Sku,
    StockEntry,
)


class SkuInline(admin.TabularInline):  # type: ignore[type-arg]
    model = Sku
    extra = 0
    fields = ("outer_id", "spec_text", "price", "list_price", "stock", "weight_grams", "is_active")
    readonly_fields = ("stock",)  # stock changes only through the stock service


@admin.register(Product)
class ProductAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("id", "title", "seller", "category", "brand", "status", "is_supply_chain")
    list_filter = ("status", "category", "brand", "is_supply_chain")
    search_fields = ("title", "skus__outer_id")
    readonly_fields = ("status",)
    inlines = [SkuInline]


@admin.register(StockEntry)
class StockEntryAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("id", "sku", "delta", "stock_after", "reason", "ref", "by", "created_at")
    list_filter = ("reason",)

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False  # the ledger is append-only


admin.site.register(Brand)
admin.site.register(Category)
admin.site.register(PackagingStandard)
admin.site.register(ImageSpec)
admin.site.register(ProductImage)
admin.site.register(ImageVariant)
