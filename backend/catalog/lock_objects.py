"""Row locks of the catalogue, in one place (Saleor's lock_objects).

Lock order: a product before its SKUs; SKUs by ascending id. Stock itself moves by a
conditional UPDATE (services_stock); a SKU row lock is only for set-to and shortfalls.
Every helper must be called inside `transaction.atomic()`.
"""

from __future__ import annotations

from backend.catalog.models import Product, Sku


def product_lock(*, product_id: int) -> Product:
    return Product.objects.select_for_update().get(pk=product_id)


def sku_lock(*, sku_id: int) -> Sku:
    return Sku.objects.select_for_update().get(pk=sku_id)


def sku_stock_lock(*, sku_id: int) -> int:
    """Lock a SKU row and read its stock (only the one column)."""
    return int(Sku.objects.select_for_update().values_list("stock", flat=True).get(pk=sku_id))
