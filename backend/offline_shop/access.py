"""The one gate of the offline shop (CONVENTIONS rule 4): the counter is for the shop's
cashiers (members of its operating organisation holding the cashier role); settlements and
the sales view are the office's."""

from __future__ import annotations

from enum import Enum

from backend.accounts.models import Membership, User
from backend.accounts.roles import Role
from backend.catalog.access import access_sku
from backend.catalog.models import Sku
from backend.common.errors import Forbidden, NotFound
from backend.common.permissions import require_authenticated, user_role_names
from backend.offline_shop.models import Receipt, Shift, Shop

CASHIER = "shop_cashier"
OFFICE = (Role.OFFICE_STAFF, Role.PLATFORM_ADMIN)


class Need(Enum):
    COUNTER = "counter"  # sell, return, consign, close one's shift
    OFFICE = "office"  # settle, see the sales beside the online ones


def _is_office(user: User) -> bool:
    return user.is_superuser or bool(user_role_names(user) & {str(r) for r in OFFICE})


def shops_for(*, user: User, need: Need) -> list[Shop]:
    require_authenticated(user)
    shops = Shop.objects.select_related("shelf", "operator")
    if _is_office(user):
        return list(shops)
    if need is Need.OFFICE or CASHIER not in user_role_names(user):
        raise Forbidden()
    mine = Membership.objects.filter(user=user).values_list("organisation_id", flat=True)
    return list(shops.filter(operator_id__in=mine))


def access_shop(*, user: User, shop_id: int, need: Need) -> Shop:
    shop = next((s for s in shops_for(user=user, need=need) if s.pk == shop_id), None)
    if shop is None:
        raise NotFound()
    return shop


def access_shift(*, user: User, shift_id: int) -> Shift:
    """A cashier closes their own shift; the office any."""
    shift = Shift.objects.filter(pk=shift_id).select_related("shop").first()
    if shift is None:
        raise NotFound()
    access_shop(user=user, shop_id=shift.shop_id, need=Need.COUNTER)
    if shift.cashier_id != user.pk and not _is_office(user):
        raise NotFound()
    return shift


def access_receipt(*, user: User, number: str) -> Receipt:
    receipt = Receipt.objects.filter(number=number).select_related("shop__shelf").first()
    if receipt is None:
        raise NotFound()
    access_shop(user=user, shop_id=receipt.shop_id, need=Need.COUNTER)
    return receipt


def access_consignment(*, user: User, shop_id: int, sku_id: int) -> tuple[Shop, Sku]:
    """Consigning takes units out of a merchant's online stock (and taking them back puts
    them in): only someone who may change that SKU decides it, the merchant or the office,
    never the shop's cashier."""
    require_authenticated(user)
    sku = access_sku(user=user, sku_id=sku_id, for_write=True)
    shop = Shop.objects.filter(pk=shop_id).select_related("shelf").first()
    if shop is None:
        raise NotFound()
    return shop, sku
