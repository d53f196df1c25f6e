"""The demo shop loads once, with a sale that passes its 满 200 rule, and the office's daily
view counts that sale at what was paid."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.utils import timezone

from backend.accounts.models import Organisation
from backend.catalog.models import ProductStatus
from backend.offline_shop.demo import demo_shop_load
from backend.offline_shop.models import Receipt
from backend.offline_shop.selectors import daily_sales
from backend.orders.models import Order, SourceKind
from tests.factories.accounts import OrganisationFactory
from tests.factories.catalog import ProductFactory, SkuFactory

pytestmark = pytest.mark.django_db


def test_the_demo_sale_passes_the_rule_and_the_office_counts_what_was_paid() -> None:
    OrganisationFactory(name="县电商公共服务中心", kind=Organisation.Kind.PUBLIC_SERVICE_CENTRE)
    coop = OrganisationFactory(name="蜂业合作社")
    for title, price in (("刺槐蜂蜜", "68.00"), ("黄小米", "49.90")):
        product = ProductFactory(seller=coop, title=title, status=ProductStatus.ON_SALE)
        SkuFactory(product=product, price=price, stock=20)
    demo_shop_load()
    demo_shop_load()
    assert Receipt.objects.count() == 1
    (order,) = Order.objects.filter(source_kind=SourceKind.OFFLINE_SHOP)
    # 2 × 68.00 + 2 × 49.90 = 235.80, 5 % off: 11.79.
    assert (order.goods_amount, order.discount_amount, order.paid_amount) == (
        Decimal("235.80"),
        Decimal("11.79"),
        Decimal("224.01"),
    )
    assert daily_sales(day=timezone.localdate())["shop_amount"] == "224.01"
