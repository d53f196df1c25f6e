from __future__ import annotations

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from backend.orders.models import (
    Checkout,
    Courier,
    Order,
    OrderLine,
    Payment,
    PaymentNotice,
    Refund,
)


class LineInline(admin.TabularInline):  # type: ignore[type-arg]
    model = OrderLine
    extra = 0
    can_delete = False
    readonly_fields = (
        "sku",
        "title",
        "spec_text",
        "outer_id",
        "unit_price",
        "quantity",
        "line_amount",
        "shortfall",
    )


@admin.register(Order)
class OrderAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = (
        "number",
        "seller",
        "source_kind",
        "status",
        "paid_amount",
        "stock_shortfall",
        "created_at",
    )
    list_filter = ("status", "source_kind", "stock_shortfall")
    search_fields = ("number", "consignee_name", "waybill_no")
    readonly_fields = ("status",)  # status changes only through the state machine
    inlines = [LineInline]


@admin.register(PaymentNotice)
class PaymentNoticeAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("provider_payment_id", "outcome", "received_at")
    list_filter = ("outcome",)


admin.site.register(Courier)
admin.site.register(Checkout)
admin.site.register(Payment)


@admin.register(Refund)
class RefundAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("out_refund_no", "amount", "status", "attempts", "last_error", "created_at")
    list_filter = ("status",)
    search_fields = ("out_refund_no", "order__number")
    readonly_fields = ("status", "attempts", "last_error", "settled_at", "provider_refund_id")
    actions = ["retry"]

    @admin.action(description="Try the provider again for the chosen failed refunds")
    def retry(self, request: HttpRequest, queryset: QuerySet[Refund]) -> None:
        from backend.orders.services_refund import refund_retry

        count = sum(refund_retry(refund_id=refund.pk) for refund in queryset)
        self.message_user(request, f"{count} refund(s) queued again.")
