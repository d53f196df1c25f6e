"""The demo shop: the county's specialty shop run by the public-service centre, a cashier,
a discount rule, the demo merchants' goods consigned to its shelf and one sale today, big
enough for the rule (so the office sees the shop beside the online stores, at what the
buyer paid). Idempotent."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from decimal import Decimal

from django.contrib.auth.models import Group

from backend.accounts.models import Membership, Organisation, User
from backend.accounts.services import user_create
from backend.catalog.models import LocationStock, Sku
from backend.catalog.services_locations import stock_consign
from backend.offline_shop.access import CASHIER
from backend.offline_shop.models import DiscountRule, Receipt, Shift, Shop
from backend.offline_shop.services_sale import counter_sell
from backend.offline_shop.services_shifts import shift_open
from backend.offline_shop.services_shop import shop_create

SHOP = "沁水县地方特产馆（示例）"
CASHIER_LOGIN = ("cashier", "qinshui-cashier-2026")


def _cashier(operator: Organisation) -> User:
    user = User.objects.filter(username=CASHIER_LOGIN[0]).first()
    if user is None:
        user = user_create(
            username=CASHIER_LOGIN[0], password=CASHIER_LOGIN[1], roles=[],
            display_name="特产馆 收银员 小刘",
        )  # fmt: skip
    user.groups.add(Group.objects.get(name=CASHIER))
    Membership.objects.get_or_create(user=user, organisation=operator)
    return user


def _shop() -> Shop:
    found = Shop.objects.filter(name=SHOP).select_related("shelf").first()
    if found is not None:
        return found
    operator = Organisation.objects.get(kind=Organisation.Kind.PUBLIC_SERVICE_CENTRE)
    shop = shop_create(
        name=SHOP, operator=operator, address="沁水县龙港镇示例街 1 号",
        commission_rate=Decimal("0.1500"),
    )  # fmt: skip
    DiscountRule.objects.create(shop=shop, name="满 200 享 95 折", threshold=200, percent_off=5)
    return shop


def demo_shop_load() -> Shop:
    shop = _shop()
    cashier = _cashier(shop.operator)
    for sku in Sku.objects.filter(is_active=True, stock__gte=10).order_by("id")[:8]:
        if not LocationStock.objects.filter(sku=sku, location=shop.shelf).exists():
            stock_consign(sku_id=sku.pk, location=shop.shelf, quantity=min(20, sku.stock // 2),
                          by=cashier, note="demo")  # fmt: skip
    if not Receipt.objects.filter(shop=shop).exists():
        shift = Shift.objects.filter(shop=shop, cashier=cashier, status="open").first()
        if shift is None:
            shift_open(shop=shop, cashier=cashier, opening_cash=Decimal("200.00"))
        placed = LocationStock.objects.filter(location=shop.shelf, quantity__gt=0)
        # Two of each of two SKUs: past the 满 200 threshold with the demo prices.
        items = [(p.sku_id, 2) for p in placed.order_by("sku_id")[:2]]
        if items:
            counter_sell(shop=shop, cashier=cashier, items=items, kind="counter_cash",
                         key=uuid.uuid4().hex)  # fmt: skip
    return shop


def demo_shop_write(write: Callable[[str], None]) -> None:
    shop = demo_shop_load()
    on_shelf = LocationStock.objects.filter(location=shop.shelf, quantity__gt=0).count()
    write(f"Demo specialty shop: {shop.name}, {on_shelf} SKUs on its shelf.")
    write(f"  shop_cashier      {CASHIER_LOGIN[0]:<10} {CASHIER_LOGIN[1]}")
