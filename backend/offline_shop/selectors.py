"""Reads of the offline shop: the shelf, a receipt, a shift's takings, and the shop's daily
sales beside the online stores' (the office view)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Q

from backend.catalog.models import LocationStock
from backend.common.money import money_str
from backend.offline_shop.models import Receipt, Shop
from backend.offline_shop.services_returns import returned_so_far
from backend.offline_shop.services_settlement import period_bounds
from backend.orders.models import OrderLine, OrderStatus, PaymentKind, SourceKind
from backend.orders.pricing import split_to_fen


def shelf_items(*, shop: Shop, code: str = "") -> list[dict[str, Any]]:
    """What is on the shelf (units > 0); `code` matches a barcode or outer id exactly."""
    rows = LocationStock.objects.filter(location=shop.shelf, quantity__gt=0, sku__is_active=True)
    if code:
        rows = rows.filter(Q(sku__barcode=code) | Q(sku__outer_id=code))
    rows = rows.select_related("sku__product", "sku__seller").order_by("sku__outer_id")
    return [
        {
            "sku_id": r.sku_id,
            "barcode": r.sku.barcode,
            "outer_id": r.sku.outer_id,
            "title": r.sku.product.title,
            "spec": r.sku.spec_text,
            "price": money_str(r.sku.price),
            "seller_id": r.sku.seller_id,
            "seller": r.sku.seller.name,
            "quantity": r.quantity,
        }
        for r in rows
    ]


def shop_merchants(*, shop: Shop) -> list[dict[str, Any]]:
    """The merchants whose goods were ever consigned to the shop's shelf."""
    rows = (
        LocationStock.objects.filter(location=shop.shelf)
        .values("sku__seller_id", "sku__seller__name")
        .distinct()
        .order_by("sku__seller__name")
    )
    return [{"id": r["sku__seller_id"], "name": r["sku__seller__name"]} for r in rows]


def receipt_detail(*, receipt: Receipt) -> dict[str, Any]:
    done = returned_so_far(receipt=receipt)
    lines = OrderLine.objects.filter(order__checkout_id=receipt.checkout_id).select_related(
        "order__seller"
    )
    orders: dict[int, dict[str, Any]] = {}
    for line in lines.order_by("order_id", "id"):
        order = line.order
        entry = orders.setdefault(
            order.pk,
            {
                "order_number": order.number,
                "seller": order.seller.name,
                "status": order.status,
                "goods_amount": money_str(order.goods_amount),
                "discount_amount": money_str(order.discount_amount),
                "paid_amount": money_str(order.paid_amount),
                "refunded_amount": money_str(order.refunded_amount),
                "lines": [],
            },
        )
        entry["lines"].append(
            {
                "line_id": line.pk,
                "sku_id": line.sku_id,
                "title": line.title,
                "spec": line.spec_text,
                "outer_id": line.outer_id,
                "unit_price": money_str(line.unit_price),
                "quantity": line.quantity,
                "line_amount": money_str(line.line_amount),
                "returned": done.get(line.pk, 0),
            }
        )
    return {
        "number": receipt.number,
        "shop": receipt.shop.name,
        "shop_address": receipt.shop.address,
        "payment_kind": receipt.payment_kind,
        "total_amount": money_str(receipt.total_amount),
        "discount_amount": money_str(
            sum((Decimal(o["discount_amount"]) for o in orders.values()), Decimal("0"))
        ),
        "created_at": receipt.created_at.isoformat(),
        "orders": list(orders.values()),
    }


# Paid and not (wholly) given back; a partial refund still counts the sale whole.
SOLD = [
    s
    for s in OrderStatus
    if s not in (OrderStatus.CREATED, OrderStatus.CANCELLED, OrderStatus.REFUNDED)
]


def _paid_by_line(lines: Sequence[Mapping[str, Any]]) -> dict[int, Decimal]:
    """What the buyer paid for each line: its order's discount shared among the order's
    lines by their amounts, to the fen (pricing.split_to_fen)."""
    by_order: dict[int, list[Mapping[str, Any]]] = {}
    for line in lines:
        by_order.setdefault(line["order_id"], []).append(line)
    paid: dict[int, Decimal] = {}
    for order_lines in by_order.values():
        discount = order_lines[0]["order__discount_amount"]
        weights = {line["pk"]: line["line_amount"] for line in order_lines}
        off = split_to_fen(discount, weights) if discount and any(weights.values()) else {}
        for pk, amount in weights.items():
            paid[pk] = amount - off.get(pk, Decimal("0"))
    return paid


def daily_sales(*, day: date) -> dict[str, Any]:
    """The day's sales (local date, paid orders, prizes excluded), the shop's beside the
    online ones, by merchant and product, at what the buyer paid (an order's discounts,
    coupons and 满减, shared among its lines)."""
    since, until = period_bounds(day, day)
    lines = list(
        OrderLine.objects.filter(order__paid_at__gte=since, order__paid_at__lt=until)
        .filter(order__status__in=SOLD)
        .exclude(order__payment_kind=PaymentKind.PRIZE)
        .values(
            "pk", "order_id", "order__discount_amount", "order__source_kind", "order__seller_id",
            "order__seller__name", "product_id", "title", "quantity", "line_amount",
        )
        .order_by("order__seller__name", "title", "pk")
    )  # fmt: skip
    paid = _paid_by_line(lines)
    rows: dict[tuple[int, int], dict[str, Any]] = {}
    totals = {"shop": Decimal("0"), "online": Decimal("0")}
    for line in lines:
        where = "shop" if line["order__source_kind"] == SourceKind.OFFLINE_SHOP else "online"
        row = rows.setdefault(
            (line["order__seller_id"], line["product_id"]),
            {
                "seller_id": line["order__seller_id"],
                "seller": line["order__seller__name"],
                "product_id": line["product_id"],
                "title": line["title"],
                "shop_units": 0,
                "shop_amount": Decimal("0"),
                "online_units": 0,
                "online_amount": Decimal("0"),
            },
        )
        row[f"{where}_units"] += line["quantity"]
        row[f"{where}_amount"] += paid[line["pk"]]
        totals[where] += paid[line["pk"]]
    out = []
    for row in rows.values():
        row["shop_amount"] = money_str(row["shop_amount"])
        row["online_amount"] = money_str(row["online_amount"])
        out.append(row)
    return {
        "date": day.isoformat(),
        "shop_amount": money_str(totals["shop"]),
        "online_amount": money_str(totals["online"]),
        "rows": out,
    }
