"""Reactions of the stores app to other apps' events (names only: no import of catalog's
services). Each is idempotent: a stock flush reads the current stock, a delist of an item
already off sale writes nothing."""

from __future__ import annotations

from functools import partial

from django.db import transaction

from backend.common.events import Event, handler
from backend.stores import services_orders, services_sync, stock_debounce


def _online_stock_moved(payload: dict[str, object]) -> bool:
    """Units moved at a shop's shelf (consigned, sold at its counter) are not the stock a
    marketplace sells: the stores never hear of them."""
    return payload.get("location", "merchant") == "merchant"


@handler("sku.stock_changed", when=_online_stock_moved)
def stock_changed(event: Event) -> None:
    stock_debounce.stock_changed(product_id=int(event.payload["product_id"]))


@handler("product.updated")
def product_updated(event: Event) -> None:
    product_id = int(event.payload["product_id"])
    status = str(event.payload["status"])
    if services_sync.product_delist_everywhere(product_id=product_id, status=status) == 0:
        # Title, price or SKU changes go out with the next debounced flush (by hash).
        stock_debounce.stock_changed(product_id=product_id)


def _merchant_shipped_store_order(payload: dict[str, object]) -> bool:
    """Only our merchant's shipment of an imported order goes back to its platform: one
    that came from the platform (origin "platform") is never pushed back."""
    return payload.get("source_kind") == "store" and payload.get("origin") == "merchant"


@handler("order.shipped", when=_merchant_shipped_store_order)
def store_order_shipped(event: Event) -> None:
    from backend.stores.tasks import shipment_push

    store_order_id = services_orders.shipment_push_queue(order_id=int(event.payload["order_id"]))
    if store_order_id is not None:
        # After the delivery's transaction commits: the task must see the order pending.
        transaction.on_commit(partial(shipment_push.delay, store_order_id))
