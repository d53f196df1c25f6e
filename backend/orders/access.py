"""Permission gates for orders: buyers their own, sellers their organisations', office all."""

from __future__ import annotations

from django.db.models import QuerySet

from backend.accounts.models import Membership, User
from backend.common.errors import NotFound
from backend.common.permissions import require_authenticated, require_perm
from backend.orders.models import Checkout, Order


def orders_of_buyer(*, user: User) -> QuerySet[Order]:
    require_authenticated(user)
    return Order.objects.filter(buyer=user)


def orders_of_seller(*, user: User) -> QuerySet[Order]:
    require_authenticated(user)
    if user.has_perm("orders.view_all_orders"):
        return Order.objects.all()
    require_perm(user, "orders.change_order")
    seller_ids = Membership.objects.filter(user=user).values_list("organisation_id", flat=True)
    return Order.objects.filter(seller_id__in=list(seller_ids))


def access_order_as_buyer(*, user: User, order_id: int) -> Order:
    order = orders_of_buyer(user=user).filter(pk=order_id).first()
    if order is None:
        raise NotFound()
    return order


def access_order_as_seller(*, user: User, order_id: int, for_write: bool = False) -> Order:
    """Members of the seller handle the order; office staff may look, not act."""
    require_authenticated(user)
    order = Order.objects.filter(pk=order_id).first()
    if order is None:
        raise NotFound()
    member = Membership.objects.filter(user=user, organisation_id=order.seller_id).exists()
    if member and user.has_perm("orders.change_order"):
        return order
    if not for_write and user.has_perm("orders.view_all_orders"):
        return order
    raise NotFound()


def access_checkout(*, user: User, checkout_id: int) -> Checkout:
    require_authenticated(user)
    checkout = Checkout.objects.filter(pk=checkout_id, buyer=user).first()
    if checkout is None:
        raise NotFound()
    return checkout
