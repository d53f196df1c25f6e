"""What a checkout reads before it writes, under the buyer's checkout lock: the SKUs with
their product and seller, what the buyer holds unpaid, and whether this idempotency key has
placed a checkout already. On PostgreSQL the three are one statement (read after the lock is
granted, so it sees every checkout of this buyer that committed before); elsewhere three
ORM queries."""

from __future__ import annotations

import json
from dataclasses import dataclass
from decimal import Decimal

from django.db import connection

from backend.accounts.models import Organisation
from backend.catalog.models import Product, Sku
from backend.common.prepared import prepared_cursor
from backend.orders.lock_objects import buyer_checkout_lock
from backend.orders.models import Checkout, Order, OrderLine
from backend.orders.models import OrderStatus as S
from backend.orders.selectors import unpaid_quantities


@dataclass(frozen=True)
class CheckoutReads:
    skus: dict[int, Sku]  # with .product (title, status) and .seller (name)
    held: dict[int, int]  # unpaid units by SKU id
    existing_id: int | None  # the checkout this (buyer, key) placed before


def checkout_reads(*, buyer_id: int, key: str, sku_ids: list[int]) -> CheckoutReads:
    buyer_checkout_lock(buyer_id=buyer_id)
    if connection.vendor == "postgresql":
        return _reads_pg(buyer_id=buyer_id, key=key, sku_ids=sku_ids)
    skus = Sku.objects.select_related("product", "seller").filter(pk__in=sku_ids)
    # A blank key is no key (the unique constraint leaves it out too).
    existing = (
        Checkout.objects.filter(buyer_id=buyer_id, idempotency_key=key).first() if key else None
    )
    return CheckoutReads(
        skus={s.pk: s for s in skus},
        held=unpaid_quantities(buyer_id=buyer_id),
        existing_id=existing.pk if existing else None,
    )


def _table(model: type) -> str:
    return connection.ops.quote_name(model._meta.db_table)  # type: ignore[attr-defined]


_READS_SQL = f"""
SELECT
  (SELECT coalesce(json_agg(json_build_object(
      'id', s.id, 'product_id', s.product_id, 'seller_id', s.seller_id,
      'spec_text', s.spec_text, 'outer_id', s.outer_id, 'price', s.price::text,
      'is_active', s.is_active, 'title', p.title, 'status', p.status, 'seller_name', o.name
   )), '[]')
   FROM {_table(Sku)} s JOIN {_table(Product)} p ON p.id = s.product_id
   JOIN {_table(Organisation)} o ON o.id = s.seller_id
   WHERE s.id = ANY(%(skus)s)),
  (SELECT coalesce(json_object_agg(h.sku_id, h.held), '{{}}') FROM (
     SELECT l.sku_id, sum(l.quantity) AS held
     FROM {_table(OrderLine)} l JOIN {_table(Order)} r ON r.id = l.order_id
     WHERE r.buyer_id = %(buyer)s AND r.status = %(unpaid)s GROUP BY l.sku_id) h),
  (SELECT c.id FROM {_table(Checkout)} c
   WHERE c.buyer_id = %(buyer)s AND c.idempotency_key = %(key)s AND c.idempotency_key <> '')
"""  # noqa: S608 (table names from the models, values bound)


def _reads_pg(*, buyer_id: int, key: str, sku_ids: list[int]) -> CheckoutReads:
    with prepared_cursor() as cursor:
        cursor.execute(
            _READS_SQL, {"skus": sku_ids, "buyer": buyer_id, "unpaid": S.CREATED, "key": key}
        )
        sku_rows, held, existing_id = (
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
        )
        sku.product = Product(pk=row["product_id"], title=row["title"], status=row["status"])
        sku.seller = Organisation(pk=row["seller_id"], name=row["seller_name"])
        skus[sku.pk] = sku
    return CheckoutReads(
        skus=skus,
        held={int(sku_id): int(units) for sku_id, units in held.items()},
        existing_id=existing_id,
    )
