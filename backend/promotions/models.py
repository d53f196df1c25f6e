"""Coupons and their claims (grants). Rules: docs/decisions/0720-promotions-app.md."""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from backend.accounts.models import Organisation, User
from backend.catalog.models import Product, Sku
from backend.live.models import LiveSession
from backend.orders.models import Checkout


class CouponKind(models.TextChoices):
    AMOUNT = "amount", _("Amount off")
    PERCENT = "percent", _("Percentage off")


class Coupon(models.Model):
    """A coupon a buyer claims, then spends at checkout. Scope: the lines it applies to are
    those of `seller` (when set), of `products` (when any) and of the line-ups of `sessions`
    (when any); all three narrow together."""

    name = models.CharField(max_length=60)
    kind = models.CharField(max_length=8, choices=CouponKind.choices)
    amount_off = models.DecimalField(max_digits=10, decimal_places=2, default=0)
    percent_off = models.PositiveSmallIntegerField(default=0)
    threshold = models.DecimalField(max_digits=10, decimal_places=2, default=0)
    total_quantity = models.PositiveIntegerField()
    claimed_count = models.PositiveIntegerField(default=0)
    used_count = models.PositiveIntegerField(default=0)
    per_user_limit = models.PositiveSmallIntegerField(default=1)
    claim_starts_at = models.DateTimeField()
    claim_ends_at = models.DateTimeField()
    valid_until = models.DateTimeField()
    stackable = models.BooleanField(default=False)
    seller = models.ForeignKey(Organisation, on_delete=models.PROTECT, null=True, blank=True)
    products = models.ManyToManyField(Product, blank=True, related_name="+")
    sessions = models.ManyToManyField(LiveSession, blank=True, related_name="coupons")
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(claimed_count__lte=F("total_quantity")), name="coupon_not_overclaimed"
            ),
            models.CheckConstraint(
                condition=(
                    Q(kind="amount", amount_off__gt=0, percent_off=0)
                    | Q(kind="percent", amount_off=0, percent_off__gte=1, percent_off__lte=99)
                ),
                name="coupon_kind_matches",
            ),
            models.CheckConstraint(condition=Q(per_user_limit__gte=1), name="coupon_limit_ge1"),
            models.CheckConstraint(
                condition=Q(claim_ends_at__gt=F("claim_starts_at"))
                & Q(valid_until__gte=F("claim_ends_at")),
                name="coupon_windows_ordered",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class GrantState(models.TextChoices):
    AVAILABLE = "available", _("Available")
    USED = "used", _("Used")


class CouponGrant(models.Model):
    """One claimed coupon of one buyer. `ordinal` (1..per_user_limit) makes the per-user
    limit a unique key: two taps at once cannot both be a buyer's second claim."""

    coupon = models.ForeignKey(Coupon, on_delete=models.PROTECT, related_name="grants")
    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    ordinal = models.PositiveSmallIntegerField()
    state = models.CharField(
        max_length=12, choices=GrantState.choices, default=GrantState.AVAILABLE
    )
    checkout = models.ForeignKey(
        Checkout, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    claimed_at = models.DateTimeField(auto_now_add=True)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["coupon", "user", "ordinal"], name="grant_once_per_ordinal"
            ),
            models.CheckConstraint(
                condition=Q(state="available", checkout__isnull=True)
                | Q(state="used", checkout__isnull=False),
                name="grant_used_has_checkout",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.coupon_id}/{self.user_id}#{self.ordinal}"


class FlashSale(models.Model):
    """A session price for `quantity` units of one SKU between `starts_at` and `ends_at`,
    at most `per_buyer_cap` units a buyer. `sold` is the truth (conditional update, never
    above quantity); the Redis gate in front only turns the crowd away early (gate.py)."""

    session = models.ForeignKey(LiveSession, on_delete=models.PROTECT, related_name="flash_sales")
    sku = models.ForeignKey(Sku, on_delete=models.PROTECT, related_name="+")
    price = models.DecimalField(max_digits=10, decimal_places=2)
    quantity = models.PositiveIntegerField()
    per_buyer_cap = models.PositiveSmallIntegerField(default=1)
    sold = models.PositiveIntegerField(default=0)
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-id"]
        constraints = [
            models.CheckConstraint(condition=Q(sold__lte=F("quantity")), name="flash_not_oversold"),
            models.CheckConstraint(condition=Q(price__gt=0), name="flash_price_positive"),
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="flash_window_ordered"
            ),
        ]

    def __str__(self) -> str:
        return f"flash {self.pk} sku {self.sku_id}"


class EntryKind(models.TextChoices):
    KEYWORD = "keyword", _("Comment the keyword")
    LIKE = "like", _("Like during the window")
    FOLLOW = "follow", _("Follow the streamer")


class Lottery(models.Model):
    """福袋: prize, winners, rules and draw time published before entry opens, with the hash
    of the secret seed (draw.py). No purchase needed to enter."""

    session = models.ForeignKey(LiveSession, on_delete=models.PROTECT, related_name="lotteries")
    title = models.CharField(max_length=60)
    entry_kind = models.CharField(max_length=8, choices=EntryKind.choices)
    keyword = models.CharField(max_length=20, blank=True)
    rules = models.CharField(max_length=300, blank=True)
    prize_coupon = models.ForeignKey(
        Coupon, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    prize_sku = models.ForeignKey(Sku, on_delete=models.PROTECT, null=True, blank=True)
    prize_value = models.DecimalField(max_digits=10, decimal_places=2)
    winners_count = models.PositiveSmallIntegerField()
    opens_at = models.DateTimeField()
    closes_at = models.DateTimeField()
    draw_at = models.DateTimeField()
    seed_hash = models.CharField(max_length=64)
    seed = models.CharField(max_length=64)  # secret until drawn_at
    drawn_at = models.DateTimeField(null=True, blank=True)
    winners = models.JSONField(default=list, blank=True)  # entry numbers, in draw order
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(prize_coupon__isnull=False) ^ Q(prize_sku__isnull=False),
                name="lottery_one_prize",
            ),
            models.CheckConstraint(
                condition=Q(prize_value__lte=50000), name="lottery_prize_within_legal_cap"
            ),
            models.CheckConstraint(
                condition=Q(closes_at__gt=F("opens_at"), draw_at__gte=F("closes_at")),
                name="lottery_times_ordered",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class LotteryEntry(models.Model):
    """One person in one lottery; its id is the entry number the draw publishes."""

    lottery = models.ForeignKey(Lottery, on_delete=models.CASCADE, related_name="entries")
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    entered_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["lottery", "user"], name="lottery_entry_once")
        ]

    def __str__(self) -> str:
        return f"{self.lottery_id}#{self.pk}"


class LotteryPrize(models.Model):
    """A winner's prize, paid once: the unique key stops a second payout whatever reruns."""

    lottery = models.ForeignKey(Lottery, on_delete=models.PROTECT, related_name="prizes")
    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    grant = models.ForeignKey(CouponGrant, on_delete=models.PROTECT, null=True, blank=True)
    checkout = models.ForeignKey(
        Checkout, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    paid_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["lottery", "user"], name="lottery_prize_once")
        ]

    def __str__(self) -> str:
        return f"{self.lottery_id}→{self.user_id}"
