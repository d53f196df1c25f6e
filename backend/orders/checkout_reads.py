"""What checkouts read before they write, under their buyers' checkout locks: the SKUs with
their product and seller, what each buyer holds unpaid, and whether each idempotency key has
placed a checkout already. One buyer or several (a batch of checkouts written together,
backend/orders/checkout_batch.py), one checkout per buyer. On PostgreSQL the three are one
statement (read after the locks are granted, so it sees every checkout of these buyers that
committed before); elsewhere ORM queries per buyer."""

from __future__ import annotations

import json
from dataclasses import dataclass
from decimal import Decimal

from django.db import connection

from backend.accounts.models import Organisation
from backend.catalog.models import Product, Sku
from backend.common.prepared import prepared_cursor, table
from backend.orders.lock_objects import buyer_checkout_lock
from backend.orders.models import Checkout, Order, OrderLine
from backend.orders.models import OrderStatus as S
from backend.orders.selectors import unpaid_quantities


@dataclass(frozen=True)
class CheckoutReads:
    skus: dict[int, Sku]  # with .product (title, status), .seller (name), .stock as read
    held: dict[int, dict[int, int]]  # unpaid units by buyer id, then SKU id
    existing: dict[int, int]  # buyer id -> the checkout its key placed before


def checkout_reads(*, keys: dict[int, str], sku_ids: list[int]) -> CheckoutReads:
    """`keys`: each buyer's idempotency key (a blank key is no key, as in the unique
    constraint). The buyers are locked first, in id order."""
    buyer_checkout_lock(buyer_ids=sorted(keys))
    if connection.vendor == "postgresql":
        return _reads_pg(keys=keys, sku_ids=sku_ids)
    skus = Sku.objects.select_related("product", "seller").filter(pk__in=sku_ids)
    existing = {}
    for buyer_id, key in keys.items():
        if not key:
            continue
        found = Checkout.objects.filter(buyer_id=buyer_id, idempotency_key=key).first()
        if found is not None:
            existing[buyer_id] = found.pk
    return CheckoutReads(
        skus={s.pk: s for s in skus},
        held={buyer_id: unpaid_quantities(buyer_id=buyer_id) for buyer_id in keys},
        existing=existing,
    )


_READS_SQL = f"""
SELECT
  (SELECT coalesce(json_agg(json_build_object(
      'id', s.id, 'product_id', s.product_id, 'seller_id', s.seller_id,
      'spec_text', s.spec_text, 'outer_id', s.outer_id, 'price', s.price::text,
      'is_active', s.is_active, 'stock', s.stock,
      'title', p.title, 'status', p.status, 'seller_name', o.name
   )), '[]')
   FROM {table(Sku)} s JOIN {table(Product)} p ON p.id = s.product_id
   JOIN {table(Organisation)} o ON o.id = s.seller_id
   WHERE s.id = ANY(%(skus)s)),
  (SELECT coalesce(json_agg(json_build_array(h.buyer_id, h.sku_id, h.held)), '[]') FROM (
     SELECT r.buyer_id, l.sku_id, sum(l.quantity) AS held
     FROM {table(OrderLine)} l JOIN {table(Order)} r ON r.id = l.order_id
     WHERE r.buyer_id = ANY(%(buyers)s) AND r.status = %(unpaid)s
     GROUP BY r.buyer_id, l.sku_id) h),
  (SELECT coalesce(json_agg(json_build_array(c.buyer_id, c.id)), '[]')
   FROM {table(Checkout)} c
   JOIN unnest(%(buyers)s::bigint[], %(keys)s::text[]) AS k(buyer_id, key)
     ON c.buyer_id = k.buyer_id AND c.idempotency_key = k.key
   WHERE k.key <> '')
"""  # noqa: S608 (table names from the models, values bound)


def _reads_pg(*, keys: dict[int, str], sku_ids: list[int]) -> CheckoutReads:
    buyers = sorted(keys)
    params = {
        "skus": sku_ids,
        "buyers": buyers,
        "keys": [keys[b] for b in buyers],
        "unpaid": S.CREATED,
    }
    with prepared_cursor() as cursor:
        cursor.execute(_READS_SQL, params)
        sku_rows, held_rows, existing_rows = (
            json.loads(v) if isinstance(v, str) else v for v in cursor.fetchone()
        )
    skus = {}
    for row in sku_rows:
        sku = Sku(
            pk=row["id"],
            product_id=row["product_id"],
            seller_id=row["seller_id"],
            spec_text=row["spec_text"],
            outer_id=row["outer_id"],
            price=Decimal(row["price"]),
            is_active=row["is_active"],
            stock=row["stock"],
        )
        sku.product = Product(pk=row["product_id"], title=row["title"], status=row["status"])
        sku.seller = Organisation(pk=row["seller_id"], name=row["seller_name"])
        skus[sku.pk] = sku
    held: dict[int, dict[int, int]] = {buyer_id: {} for buyer_id in buyers}
    for buyer_id, sku_id, units in held_rows:
        held[buyer_id][sku_id] = int(units)
    return CheckoutReads(
        skus=skus, held=held, existing={buyer_id: pk for buyer_id, pk in existing_rows}
    )
