"""Error codes of the catalogue: products, SKUs, stock and images.

Stable: never renamed once published."""

from __future__ import annotations

from enum import StrEnum


class CatalogErrorCode(StrEnum):
    STOCK_INSUFFICIENT = "stock.insufficient"
    PRODUCT_ILLEGAL_TRANSITION = "product.illegal_transition"
    PRODUCT_NOT_SELLABLE = "product.not_sellable"
    PRODUCT_LICENCE_EXPIRED = "product.licence_expired"
    SKU_OUTER_ID_TAKEN = "sku.outer_id_taken"
    ORIGIN_MISMATCH = "product.origin_mismatch"
    BRAND_NOT_ALLOWED = "product.brand_not_allowed"
