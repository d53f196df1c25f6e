"""Writes to products, SKUs, brands and packaging standards. Stock: services_stock.py;
images: services_images.py."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from backend.accounts.models import User
from backend.catalog.errors import CatalogErrorCode
from backend.catalog.lock_objects import product_lock, sku_lock
from backend.catalog.models import Product, ProductStatus, Sku, StockEntry
from backend.catalog.services_stock import stock_change
from backend.common.errors import Conflict, DomainError, Forbidden, Invalid
from backend.common.events import publish
from backend.geo.models import Village

S = ProductStatus
# The one table of product status moves: (from, to) pairs.
TRANSITIONS: set[tuple[str, str]] = {
    (S.DRAFT, S.ON_SALE),
    (S.OFF_SALE, S.ON_SALE),
    (S.ON_SALE, S.OFF_SALE),
    (S.DRAFT, S.RECALLED),
    (S.ON_SALE, S.RECALLED),
    (S.OFF_SALE, S.RECALLED),
    (S.RECALLED, S.OFF_SALE),
}

PRODUCT_FIELDS = {
    "title",
    "category_id",
    "brand_id",
    "origin_township_id",
    "origin_village_id",
    "description",
    "attributes",
    "is_supply_chain",
    "needs_licence",
    "licence_sc_no",
    "licence_holder",
    "licence_expires",
}
SKU_FIELDS = {
    "spec",
    "spec_text",
    "price",
    "list_price",
    "weight_grams",
    "volume_cm3",
    "barcode",
    "outer_id",
    "packaging_standard_id",
    "is_active",
}


def product_updated_publish(product: Product, changed: list[str]) -> None:
    publish(
        "product.updated",
        {
            "product_id": product.pk,
            "seller_org_id": product.seller_id,
            "status": product.status,
            "changed": changed,
        },
    )


def _check_origin(product: Product) -> None:
    if product.origin_village_id is None:
        return
    village = Village.objects.get(pk=product.origin_village_id)
    if product.origin_township_id is None:
        product.origin_township_id = village.township_id
    elif village.township_id != product.origin_township_id:
        raise DomainError(
            _("The village is not in that township."),
            code=CatalogErrorCode.ORIGIN_MISMATCH,
            extra={"village_id": village.pk},
        )


def product_create(
    *, seller_id: int, by: User, skus: list[dict[str, Any]] | None = None, **fields: Any
) -> Product:
    """A product in draft, with its SKUs; all or nothing."""
    unknown = set(fields) - PRODUCT_FIELDS
    if unknown:
        raise TypeError(f"unknown product fields {sorted(unknown)}")
    with transaction.atomic():
        product = Product(seller_id=seller_id, **fields)
        _check_origin(product)
        product.full_clean()
        product.save()
        product_updated_publish(product, ["created"])
        for sku in skus or []:
            sku_create(product=product, by=by, **sku)
    return product


def product_update(*, product: Product, by: User, changes: dict[str, Any]) -> Product:
    unknown = set(changes) - PRODUCT_FIELDS
    if unknown:
        raise TypeError(f"unknown product fields {sorted(unknown)}")
    with transaction.atomic():
        product = product_lock(product_id=product.pk)
        for name, value in changes.items():
            setattr(product, name, value)
        _check_origin(product)
        product.full_clean()
        if product.status == S.ON_SALE:
            _check_sellable(product)
        product.save()
        product_updated_publish(product, sorted(changes))
    return product


def _check_sellable(product: Product) -> None:
    if product.needs_licence and (
        product.licence_expires is None or product.licence_expires < timezone.localdate()
    ):
        raise DomainError(
            _("The food-production (SC) licence has expired; it cannot be on sale."),
            code=CatalogErrorCode.PRODUCT_LICENCE_EXPIRED,
            extra={"licence_expires": str(product.licence_expires)},
        )
    if not product.skus.filter(is_active=True).exists():
        raise DomainError(
            _("Add at least one active SKU before putting the product on sale."),
            code=CatalogErrorCode.PRODUCT_NOT_SELLABLE,
        )


def product_set_status(*, product: Product, status: str, by: User) -> Product:
    with transaction.atomic():
        product = product_lock(product_id=product.pk)
        # Again under the lock: an inspector's recall may have landed after the access gate.
        if S.RECALLED in (product.status, status) and not by.has_perm("catalog.recall_product"):
            raise Forbidden()
        if (product.status, status) not in TRANSITIONS:
            raise Conflict(
                _("A product cannot go from %(src)s to %(dst)s.")
                % {"src": product.status, "dst": status},
                code=CatalogErrorCode.PRODUCT_ILLEGAL_TRANSITION,
                extra={"from": product.status, "to": status},
            )
        if status == S.ON_SALE:
            _check_sellable(product)
        product.status = status
        product.save(update_fields=["status", "updated_at"])
        product_updated_publish(product, ["status"])
    return product


def products_expired_licence_unpublish() -> int:
    """Beat: take products whose SC licence expired off sale."""
    count = 0
    expired = Product.objects.filter(
        status=S.ON_SALE, needs_licence=True, licence_expires__lt=timezone.localdate()
    )
    for product in expired:
        with transaction.atomic():
            locked = product_lock(product_id=product.pk)
            if locked.status == S.ON_SALE:
                locked.status = S.OFF_SALE
                locked.save(update_fields=["status", "updated_at"])
                product_updated_publish(locked, ["status", "licence_expired"])
                count += 1
    return count


def _outer_id_conflict(outer_id: str) -> Conflict:
    return Conflict(
        _("Another SKU of this seller already uses outer id %(outer_id)s.")
        % {"outer_id": outer_id},
        code=CatalogErrorCode.SKU_OUTER_ID_TAKEN,
        extra={"outer_id": outer_id},
    )


def sku_create(*, product: Product, by: User, stock: int = 0, **fields: Any) -> Sku:
    unknown = set(fields) - SKU_FIELDS
    if unknown:
        raise TypeError(f"unknown SKU fields {sorted(unknown)}")
    if stock < 0:
        raise Invalid(_("Stock cannot be negative."))
    try:
        with transaction.atomic():
            if Sku.objects.filter(
                seller_id=product.seller_id, outer_id=fields["outer_id"]
            ).exists():
                raise _outer_id_conflict(fields["outer_id"])
            if not fields.get("spec"):
                fields["spec"] = {"规格": fields.get("spec_text", "")}
            sku = Sku(product=product, seller_id=product.seller_id, stock=0, **fields)
            _check_prices(sku.price, sku.list_price)
            sku.full_clean()
            sku.save()
            if stock:
                stock_change(
                    sku_id=sku.pk,
                    delta=stock,
                    reason=StockEntry.Reason.ADJUSTMENT,
                    by=by,
                    note=_("Initial stock"),
                )
                sku.refresh_from_db(fields=["stock"])
            product_updated_publish(product, ["skus"])
    except IntegrityError as exc:
        raise _outer_id_conflict(fields["outer_id"]) from exc
    return sku


def sku_update(*, sku: Sku, by: User, changes: dict[str, Any]) -> Sku:
    unknown = set(changes) - SKU_FIELDS
    if unknown:
        raise TypeError(f"unknown SKU fields {sorted(unknown)}")
    try:
        with transaction.atomic():
            sku = sku_lock(sku_id=sku.pk)
            outer_id = changes.get("outer_id")
            if (
                outer_id
                and Sku.objects.filter(seller_id=sku.seller_id, outer_id=outer_id)
                .exclude(pk=sku.pk)
                .exists()
            ):
                raise _outer_id_conflict(outer_id)
            for name, value in changes.items():
                setattr(sku, name, value)
            _check_prices(sku.price, sku.list_price)
            sku.full_clean()
            sku.save()
            product_updated_publish(sku.product, sorted(f"sku.{name}" for name in changes))
    except IntegrityError as exc:
        raise _outer_id_conflict(str(changes.get("outer_id"))) from exc
    return sku


def _check_prices(price: Decimal, list_price: Decimal | None) -> None:
    if price <= 0:
        raise Invalid(_("The price must be above zero."))
    if list_price is not None and list_price < price:
        raise Invalid(_("The list price cannot be below the price."))
