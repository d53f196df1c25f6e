"""Permission gates of the catalogue (CONVENTIONS rule 4)."""

from __future__ import annotations

from django.db.models import QuerySet

from backend.accounts.models import Membership, User
from backend.catalog.models import Product, Sku
from backend.common.errors import Forbidden, NotFound
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


def access_seller(*, user: User, seller_id: int) -> int:
    """May this user create products for this seller organisation?"""
    require_perm(user, "catalog.add_product")
    if not _may_write(user=user, seller_id=seller_id):
        raise NotFound()
    return seller_id


def _may_write(*, user: User, seller_id: int) -> bool:
    if user.has_perm("catalog.change_all_products"):
        return True
    return user.has_perm("catalog.change_product") and seller_id in seller_ids_of(user=user)
