"""The catalogue's reactions to events: the storefront cache follows product and stock changes."""

from __future__ import annotations

from typing import Any

from backend.catalog import shop_cache
from backend.catalog.selectors_shop import stock_state
from backend.common.events import Event, handler


@handler("product.updated")
def shop_cache_on_product_updated(event: Event) -> None:
    """Title, price, status, images or SKUs: the detail and the lists may all show it."""
    shop_cache.product_changed(product_id=event.payload["product_id"], lists_too=True)


def _visible_stock_moved(payload: dict[str, Any]) -> bool:
    """The storefront shows in stock / low / out, not the count: most takes change nothing
    it shows (a flash sale's thousands of orders get no delivery, no task). A move at a
    shop's shelf never changes it (the storefront sells the merchant's own stock)."""
    if payload.get("location", "merchant") != "merchant":
        return False
    after = int(payload["stock"])
    return stock_state(after - int(payload["delta"])) != stock_state(after)


@handler("sku.stock_changed", when=_visible_stock_moved)
def shop_cache_on_stock_changed(event: Event) -> None:
    shop_cache.product_changed(product_id=event.payload["product_id"], lists_too=False)
