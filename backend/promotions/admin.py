"""Coupons, flash sales and lotteries in the admin, read only (the console and the services
write them). A lottery's seed stays out: it is secret until the draw reveals it."""

from __future__ import annotations

from django.contrib import admin

from backend.common.admin_readonly import ReadOnlyAdmin
from backend.promotions.models import Coupon, CouponGrant, FlashSale, Lottery, LotteryPrize


@admin.register(Coupon)
class CouponAdmin(ReadOnlyAdmin):
    list_display = ("id", "name", "kind", "amount_off", "percent_off", "threshold",
                    "total_quantity", "claimed_count", "used_count", "claim_ends_at")  # fmt: skip
    list_filter = ("kind", "stackable")
    search_fields = ("name",)


@admin.register(CouponGrant)
class CouponGrantAdmin(ReadOnlyAdmin):
    list_display = ("id", "coupon", "user", "state", "claimed_at", "used_at")
    list_filter = ("state",)


@admin.register(FlashSale)
class FlashSaleAdmin(ReadOnlyAdmin):
    list_display = ("id", "session", "sku", "price", "quantity", "sold", "starts_at", "ends_at")


@admin.register(Lottery)
class LotteryAdmin(ReadOnlyAdmin):
    list_display = ("id", "title", "session", "entry_kind", "prize_value", "winners_count",
                    "draw_at", "drawn_at")  # fmt: skip
    list_filter = ("entry_kind",)
    exclude = ("seed",)


@admin.register(LotteryPrize)
class LotteryPrizeAdmin(ReadOnlyAdmin):
    list_display = ("id", "lottery", "user", "grant", "checkout", "paid_at")
