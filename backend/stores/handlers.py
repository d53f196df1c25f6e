"""Reactions of the stores app to other apps' events (names only: no import of catalog's
services). Each is idempotent: a stock flush reads the current stock, a delist of an item
already off sale writes nothing."""

from __future__ import annotations

from backend.common.events import Event, handler
from backend.stores import services_sync, stock_debounce


@handler("sku.stock_changed")
def stock_changed(event: Event) -> None:
    stock_debounce.stock_changed(product_id=int(event.payload["product_id"]))


@handler("product.updated")
def product_updated(event: Event) -> None:
    product_id = int(event.payload["product_id"])
    status = str(event.payload["status"])
    if services_sync.product_delist_everywhere(product_id=product_id, status=status) == 0:
        # Title, price or SKU changes go out with the next debounced flush (by hash).
        stock_debounce.stock_changed(product_id=product_id)
