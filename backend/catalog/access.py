"""Permission gates of the catalogue (CONVENTIONS rule 4)."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from backend.accounts.models import Membership, User
from backend.catalog.errors import CatalogErrorCode
from backend.catalog.models import Brand, Product, ProductStatus, Sku
from backend.common.errors import Forbidden, Invalid, NotFound
from backend.common.permissions import require_authenticated, require_perm


def seller_ids_of(*, user: User) -> list[int]:
    return list(Membership.objects.filter(user=user).values_list("organisation_id", flat=True))


def products_visible_to(*, user: User) -> QuerySet[Product]:
    """Office staff, admins and inspectors see every seller's products; a merchant sees
    only the products of their organisations."""
    require_authenticated(user)
    if user.has_perm("catalog.view_all_products"):
        return Product.objects.all()
    require_perm(user, "catalog.change_product")
    return Product.objects.filter(seller_id__in=seller_ids_of(user=user))


def access_product(*, user: User, product_id: int, for_write: bool = False) -> Product:
    product = products_visible_to(user=user).filter(pk=product_id).first()
    if product is None:
        raise NotFound()
    if for_write and not _may_write(user=user, seller_id=product.seller_id):
        raise Forbidden()
    return product


def access_sku(*, user: User, sku_id: int, for_write: bool = False) -> Sku:
    sku = Sku.objects.filter(pk=sku_id).select_related("product").first()
    if sku is None:
        raise NotFound()
    access_product(user=user, product_id=sku.product_id, for_write=for_write)
    return sku


def access_seller(*, user: User, seller_id: int | None) -> int:
    """The seller organisation a new product goes to: the one given, or the user's only one.
    The user must be allowed to create products for it."""
    require_perm(user, "catalog.add_product")
    if seller_id is None:
        mine = seller_ids_of(user=user)
        if len(mine) != 1:
            raise Invalid(_("Choose the seller organisation (seller_id)."))
        seller_id = mine[0]
    if not _may_write(user=user, seller_id=seller_id):
        raise NotFound()
    return seller_id


def access_product_for_status(*, user: User, product_id: int, status: str) -> Product:
    """Sellers move their products on and off sale; a recall, and any move out of one, needs
    catalog.recall_product (inspectors, the office) and may reach any product that user can
    see. (The service checks the recall again under the row lock.)"""
    product = access_product(user=user, product_id=product_id)
    if ProductStatus.RECALLED in (status, product.status):
        require_perm(user, "catalog.recall_product")
        return product
    return access_product(user=user, product_id=product_id, for_write=True)


def access_brand(*, user: User, brand_id: int | None) -> None:
    """The county's brands (the public brand and the quality brands) go only on products of
    those the county allows: holders of catalog.use_county_brand (the office, licensees)."""
    if brand_id is None or user.has_perm("catalog.use_county_brand"):
        return
    if Brand.objects.filter(pk=brand_id, kind__in=Brand.Kind.values).exists():
        raise Forbidden(
            _("Only operators the county has authorised may use its public and quality brands."),
            code=CatalogErrorCode.BRAND_NOT_ALLOWED,
            extra={"brand_id": brand_id},
        )


def _may_write(*, user: User, seller_id: int) -> bool:
    if user.has_perm("catalog.change_all_products"):
        return True
    return user.has_perm("catalog.change_product") and seller_id in seller_ids_of(user=user)
