"""Checkouts, orders (one seller each), lines with snapshots, payments, refunds, couriers."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from backend.accounts.models import Organisation, User
from backend.catalog.models import Sku, StockLocation
from backend.geo.models import Township, Village

HALF_CENT = Decimal("0.005")


def _about(field: str, expression: Any) -> Q:
    """field equals expression to the cent. Exact on PostgreSQL; the half-cent band is for
    SQLite (make run), which computes decimals in floating point."""
    return Q(**{f"{field}__gte": expression - HALF_CENT, f"{field}__lte": expression + HALF_CENT})


class Courier(models.Model):
    """Couriers and their codes on each marketplace (reference: platform-apis.md §4,
    rural-domain.md §4). Waybill patterns are a soft check only."""

    code = models.CharField(max_length=16, unique=True)
    name = models.CharField(max_length=32)
    kuaidi100_code = models.CharField(max_length=32, blank=True)
    kdn_code = models.CharField(max_length=16, blank=True)
    taobao_code = models.CharField(max_length=16, blank=True)
    pdd_logistics_id = models.PositiveIntegerField(null=True, blank=True)
    jd_logistics_id = models.PositiveIntegerField(null=True, blank=True)
    waybill_pattern = models.CharField(max_length=120, blank=True)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class SourceKind(models.TextChoices):
    DIRECT = "direct", _("Storefront")
    LIVE = "live", _("Live session")
    STORE = "store", _("Marketplace store")
    STATION_PURCHASE = "station_purchase", _("Station purchase (代购)")
    STATION_CONSIGNMENT = "station_consignment", _("Station consignment (代销)")
    OFFLINE_SHOP = "offline_shop", _("Offline shop")


class PaymentKind(models.TextChoices):
    """How the buyer pays. Only `provider` goes through the payment provider; the others are
    paid when the checkout is placed: a prize costs nothing (never counted as a sale), cash
    and card are taken at a counter (the offline shop)."""

    PROVIDER = "provider", _("Online payment")
    PRIZE = "prize", _("Prize (free)")
    COUNTER_CASH = "counter_cash", _("Cash at the counter")
    COUNTER_CARD = "counter_card", _("Card at the counter")


class OrderStatus(models.TextChoices):
    CREATED = "created", _("Awaiting payment")
    PAID = "paid", _("Paid")
    PACKED = "packed", _("Packed")
    SHIPPED = "shipped", _("Shipped")
    DELIVERED = "delivered", _("Delivered")
    COMPLETED = "completed", _("Completed")
    CANCELLED = "cancelled", _("Cancelled")
    REFUND_REQUESTED = "refund_requested", _("Refund requested")
    REFUNDED = "refunded", _("Refunded")


class Checkout(models.Model):
    """What a buyer paid for at once: one payment, one order per seller."""

    number = models.CharField(max_length=32, unique=True)
    buyer = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True)
    idempotency_key = models.CharField(max_length=64, blank=True)
    total_amount = models.DecimalField(max_digits=12, decimal_places=2)
    payment_kind = models.CharField(
        max_length=16, choices=PaymentKind.choices, default=PaymentKind.PROVIDER
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["buyer", "idempotency_key"],
                condition=~Q(idempotency_key=""),
                name="checkout_idempotent_per_buyer",
            ),
            models.CheckConstraint(condition=Q(total_amount__gte=0), name="checkout_total_ge0"),
        ]

    def __str__(self) -> str:
        return self.number


class Order(models.Model):
    Status = OrderStatus

    number = models.CharField(max_length=32, unique=True)
    checkout = models.ForeignKey(Checkout, on_delete=models.PROTECT, related_name="orders")
    seller = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="orders")
    buyer = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True)
    source_kind = models.CharField(max_length=24, choices=SourceKind.choices)
    source_ref = models.CharField(max_length=64, blank=True)
    # An imported order's identity on its platform: (store id, remote order id), unique.
    # The store is held as its id (orders never import stores); null for our own orders.
    external_store_id = models.PositiveIntegerField(null=True, blank=True)
    external_id = models.CharField(max_length=64, blank=True)
    status = models.CharField(max_length=24, choices=OrderStatus.choices)
    status_before_refund = models.CharField(max_length=24, blank=True)
    # Blank for a sale at a counter: the goods leave with the buyer.
    consignee_name = models.CharField(max_length=64, blank=True)
    consignee_phone = models.CharField(max_length=20, blank=True)
    address = models.CharField(max_length=200, blank=True)
    township = models.ForeignKey(Township, on_delete=models.PROTECT, null=True, blank=True)
    village = models.ForeignKey(Village, on_delete=models.PROTECT, null=True, blank=True)
    goods_amount = models.DecimalField(max_digits=12, decimal_places=2)
    discount_amount = models.DecimalField(max_digits=12, decimal_places=2, default=0)
    # Each discount's share of this order: [{"source": "coupon:12", "amount": "3.34"}].
    discounts = models.JSONField(default=list, blank=True)
    payment_kind = models.CharField(
        max_length=16, choices=PaymentKind.choices, default=PaymentKind.PROVIDER
    )
    shipping_amount = models.DecimalField(max_digits=12, decimal_places=2, default=0)
    paid_amount = models.DecimalField(max_digits=12, decimal_places=2)
    remark = models.CharField(max_length=200, blank=True)
    stock_shortfall = models.BooleanField(default=False)
    # An imported order whose platform status we do not know: shown, never packed or shipped.
    status_unknown = models.BooleanField(default=False)
    # What went back to the buyer so far (several partial refunds of a marketplace order).
    refunded_amount = models.DecimalField(max_digits=12, decimal_places=2, default=0)
    courier = models.ForeignKey(Courier, on_delete=models.PROTECT, null=True, blank=True)
    waybill_no = models.CharField(max_length=40, blank=True)
    refund_reason = models.CharField(max_length=200, blank=True)
    refund_reject_reason = models.CharField(max_length=200, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    paid_at = models.DateTimeField(null=True, blank=True)
    shipped_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-id"]
        permissions = [("view_all_orders", "Can see every seller's orders")]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=[s.value for s in OrderStatus]), name="order_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(source_kind__in=[s.value for s in SourceKind]),
                name="order_source_valid",
            ),
            models.CheckConstraint(
                condition=Q(payment_kind__in=[k.value for k in PaymentKind]),
                name="order_payment_kind_valid",
            ),
            models.CheckConstraint(
                condition=~Q(payment_kind="prize") | Q(paid_amount=0),
                name="order_prize_is_free",
            ),
            models.CheckConstraint(
                condition=Q(goods_amount__gte=0, discount_amount__gte=0, shipping_amount__gte=0),
                name="order_amounts_ge0",
            ),
            models.CheckConstraint(
                condition=_about(
                    "paid_amount", F("goods_amount") - F("discount_amount") + F("shipping_amount")
                ),
                name="order_paid_is_sum",
            ),
            models.CheckConstraint(
                condition=Q(refunded_amount__gte=0, refunded_amount__lte=F("paid_amount")),
                name="order_refunded_within_paid",
            ),
            # An imported order is a fact from its platform: entered once per (store, remote
            # id). Not partial, so an import can insert with ON CONFLICT DO NOTHING.
            models.UniqueConstraint(
                fields=["external_store_id", "external_id"], name="order_external_once"
            ),
        ]
        indexes = [
            models.Index(fields=["seller", "status", "-created_at"]),
            models.Index(fields=["status", "expires_at"]),
        ]

    def __str__(self) -> str:
        return self.number


class OrderLine(models.Model):
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="lines")
    sku = models.ForeignKey(Sku, on_delete=models.PROTECT)
    product_id = models.PositiveIntegerField()
    title = models.CharField(max_length=120)
    spec_text = models.CharField(max_length=120)
    outer_id = models.CharField(max_length=64)
    unit_price = models.DecimalField(max_digits=12, decimal_places=2)
    # The SKU's list price when sold, and who set unit_price when it differs ("live:7").
    list_price = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    price_source = models.CharField(max_length=32, blank=True)
    quantity = models.PositiveIntegerField()
    line_amount = models.DecimalField(max_digits=12, decimal_places=2)
    shortfall = models.PositiveIntegerField(default=0)
    # Where the units were taken: null is the merchant's own stock (online); a shop's shelf
    # for a counter sale. Release and returns put them back there.
    stock_location = models.ForeignKey(
        StockLocation, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="line_quantity_positive"),
            models.CheckConstraint(
                condition=_about("line_amount", F("unit_price") * F("quantity")),
                name="line_amount_is_product",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.outer_id} × {self.quantity}"


class OrderEvent(models.Model):
    """The order's timeline: every status move, who made it, and why."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="timeline")
    from_status = models.CharField(max_length=24)
    to_status = models.CharField(max_length=24)
    by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True)
    note = models.CharField(max_length=200, blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.order_id}: {self.from_status} → {self.to_status}"


class Payment(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        PAID = "paid", _("Paid")
        CLOSED = "closed", _("Closed")

    checkout = models.OneToOneField(Checkout, on_delete=models.PROTECT, related_name="payment")
    provider = models.CharField(max_length=32)
    provider_payment_id = models.CharField(max_length=64, unique=True)
    amount = models.DecimalField(max_digits=12, decimal_places=2)
    pay_url = models.URLField(max_length=300)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    paid_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.provider}:{self.provider_payment_id}"


class PaymentNotice(models.Model):
    """Every notify received, kept whatever its outcome (audit of forged or wrong ones)."""

    provider = models.CharField(max_length=32)
    provider_payment_id = models.CharField(max_length=64, blank=True)
    body = models.JSONField()
    outcome = models.CharField(max_length=32)
    received_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.provider_payment_id} {self.outcome}"


class Refund(models.Model):
    """Money going back: several per order, each with its amount. Ours go through the
    provider: opened (pending) inside the order's transaction, the provider called after it,
    outside any transaction, and again by a task with bounded retries while it is
    unavailable. A marketplace order's refunds were paid on the platform and are recorded
    succeeded (`provider` "platform"). What succeeded adds up in `Order.refunded_amount`,
    never more than was paid."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        SUCCEEDED = "succeeded", _("Succeeded")
        FAILED = "failed", _("Failed")

    order = models.ForeignKey(Order, on_delete=models.PROTECT, related_name="refunds")
    provider = models.CharField(max_length=16, default="ours")
    out_refund_no = models.CharField(max_length=64, unique=True)
    provider_refund_id = models.CharField(max_length=64, blank=True)
    amount = models.DecimalField(max_digits=12, decimal_places=2)
    reason = models.CharField(max_length=200, blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    approved_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.CharField(max_length=200, blank=True)
    settled_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["pending", "succeeded", "failed"]),
                name="refund_status_valid",
            ),
            models.CheckConstraint(condition=Q(amount__gt=0), name="refund_amount_positive"),
        ]
        ordering = ["id"]

    def __str__(self) -> str:
        return self.out_refund_no
