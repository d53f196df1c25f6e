"""The offline specialty shop (线下地方特产馆): its shelf, its own discount rules, the
counter's receipts, QR payments, returns, shifts and consignment settlements. Orders,
stock and money live in orders and catalog; these rows say what happened at the counter."""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from backend.accounts.models import Organisation, User
from backend.catalog.models import StockLocation
from backend.orders.models import Checkout, OrderLine


class Shop(models.Model):
    name = models.CharField(max_length=64)
    operator = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    shelf = models.OneToOneField(StockLocation, on_delete=models.PROTECT, related_name="shop")
    address = models.CharField(max_length=200, blank=True)
    # What the shop keeps of each merchant's net sales (0.1500 = 15 %).
    commission_rate = models.DecimalField(max_digits=5, decimal_places=4)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(commission_rate__gte=0, commission_rate__lt=1),
                name="shop_commission_range",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class DiscountRule(models.Model):
    """The shop's own rule: a basket of at least `threshold` gets `percent_off` (满额折扣);
    the counter applies the best rule that fits."""

    shop = models.ForeignKey(Shop, on_delete=models.CASCADE, related_name="rules")
    name = models.CharField(max_length=64)
    threshold = models.DecimalField(max_digits=12, decimal_places=2)
    percent_off = models.PositiveSmallIntegerField()
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["threshold"]
        constraints = [
            models.CheckConstraint(
                condition=Q(percent_off__gt=0, percent_off__lt=100), name="rule_percent_range"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class PayKind(models.TextChoices):
    CASH = "counter_cash", _("Cash")
    CARD = "counter_card", _("Bank card")
    QR = "provider", _("QR payment")


class Shift(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    shop = models.ForeignKey(Shop, on_delete=models.PROTECT, related_name="shifts")
    cashier = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.OPEN)
    opening_cash = models.DecimalField(max_digits=12, decimal_places=2, default=0)
    opened_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["shop", "cashier"],
                condition=Q(status="open"),
                name="shift_one_open_per_cashier",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.shop_id}/{self.cashier_id} {self.opened_at:%Y-%m-%d %H:%M}"


class ShiftClose(models.Model):
    """Takings counted at the close against what the shift's receipts and returns say,
    by payment kind; once per shift."""

    shift = models.OneToOneField(Shift, on_delete=models.PROTECT, related_name="close")
    # {"counter_cash": {"expected": "…", "counted": "…", "difference": "…"}, …}
    takings = models.JSONField()
    difference = models.DecimalField(max_digits=12, decimal_places=2)
    reason = models.CharField(max_length=200, blank=True)
    by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(difference=0) | ~Q(reason=""), name="shift_difference_has_reason"
            ),
        ]

    def __str__(self) -> str:
        return f"close of {self.shift_id}"


class Receipt(models.Model):
    """One basket sold at the counter: one checkout (one order per merchant)."""

    number = models.CharField(max_length=32, unique=True)
    shop = models.ForeignKey(Shop, on_delete=models.PROTECT, related_name="receipts")
    shift = models.ForeignKey(Shift, on_delete=models.PROTECT, related_name="receipts")
    checkout = models.OneToOneField(Checkout, on_delete=models.PROTECT, related_name="+")
    payment_kind = models.CharField(max_length=16, choices=PayKind.choices)
    total_amount = models.DecimalField(max_digits=12, decimal_places=2)
    idempotency_key = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(fields=["shop", "idempotency_key"], name="receipt_once"),
        ]

    def __str__(self) -> str:
        return self.number


class QrPayment(models.Model):
    """A basket waiting for the buyer to scan and pay; the sale is made when the provider
    says paid. Closed (not paid in time, or the cashier gave up): no order."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for payment")
        PAID = "paid", _("Paid")
        CLOSED = "closed", _("Closed")
        FAILED = "failed", _("Paid back (the sale could not be made)")

    number = models.CharField(max_length=32, unique=True)
    shop = models.ForeignKey(Shop, on_delete=models.PROTECT, related_name="+")
    shift = models.ForeignKey(Shift, on_delete=models.PROTECT, related_name="+")
    cashier = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    items = models.JSONField()  # {"sku id": quantity}
    amount = models.DecimalField(max_digits=12, decimal_places=2)
    idempotency_key = models.CharField(max_length=64)
    provider_payment_id = models.CharField(max_length=64, blank=True)
    pay_url = models.URLField(max_length=300, blank=True)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.PENDING)
    receipt = models.OneToOneField(
        Receipt, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    error = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["shop", "idempotency_key"], name="qr_once"),
        ]

    def __str__(self) -> str:
        return self.number


class CounterReturn(models.Model):
    receipt = models.ForeignKey(Receipt, on_delete=models.PROTECT, related_name="returns")
    shift = models.ForeignKey(Shift, on_delete=models.PROTECT, related_name="returns")
    amount = models.DecimalField(max_digits=12, decimal_places=2)
    reason = models.CharField(max_length=200, blank=True)
    by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"return of {self.receipt_id}"


class ReturnLine(models.Model):
    counter_return = models.ForeignKey(
        CounterReturn, on_delete=models.CASCADE, related_name="lines"
    )
    line = models.ForeignKey(OrderLine, on_delete=models.PROTECT, related_name="+")
    quantity = models.PositiveIntegerField()
    amount = models.DecimalField(max_digits=12, decimal_places=2)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="return_line_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.line_id} × {self.quantity}"


class Settlement(models.Model):
    """What the shop owes one merchant for a period (local dates, both included)."""

    shop = models.ForeignKey(Shop, on_delete=models.PROTECT, related_name="settlements")
    seller = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    period_start = models.DateField()
    period_end = models.DateField()
    units_consigned = models.IntegerField()
    units_unconsigned = models.IntegerField()
    units_sold = models.IntegerField()
    units_returned = models.IntegerField()
    sales_amount = models.DecimalField(max_digits=12, decimal_places=2)
    refunds_amount = models.DecimalField(max_digits=12, decimal_places=2)
    commission_rate = models.DecimalField(max_digits=5, decimal_places=4)
    commission_amount = models.DecimalField(max_digits=12, decimal_places=2)
    owed_amount = models.DecimalField(max_digits=12, decimal_places=2)
    lines = models.JSONField(default=list)  # per product, for the statement
    by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-period_end", "seller_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["shop", "seller", "period_start"], name="settlement_once"
            ),
            models.CheckConstraint(
                condition=Q(period_end__gte=F("period_start")), name="settlement_period_order"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.seller_id} {self.period_start}…{self.period_end}"
