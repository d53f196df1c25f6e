"""Marketplace orders enter as facts: mapped state, shortfall flagged, idempotent."""

from __future__ import annotations

from decimal import Decimal

import pytest

from backend.common.models import OutboxEvent
from backend.orders.models import Order
from backend.orders.services import Consignee
from backend.orders.services_import import order_accept_fact
from backend.orders.services_import_batch import FactLine, FactOrder
from tests.factories.catalog import SkuFactory

pytestmark = pytest.mark.django_db
WHO = Consignee(name="淘宝买家", phone="13800000002", address="北京市朝阳区")


def _fact(remote_id: str, lines: list[FactLine], store_id: int = 7) -> FactOrder:
    return FactOrder(
        store_id=store_id,
        remote_id=remote_id,
        source_ref=f"taobao:{store_id}:{remote_id}",
        status="paid",
        lines=lines,
        consignee=WHO,
    )


def test_short_stock_is_flagged_not_refused() -> None:
    sku = SkuFactory(stock=3, price="68.00")
    order = order_accept_fact(
        seller_id=sku.seller_id,
        fact=_fact("T100", [FactLine(sku_id=sku.pk, quantity=5, unit_price=Decimal("60.00"))]),
    )
    sku.refresh_from_db()
    assert (order.status, order.stock_shortfall, order.paid_amount) == (
        "paid",
        True,
        Decimal("300.00"),
    )
    assert sku.stock == 0
    assert order.lines.get().shortfall == 2
    names = list(OutboxEvent.objects.order_by("id").values_list("name", flat=True))
    assert names == ["sku.stock_changed", "order.created", "order.paid"]
    assert OutboxEvent.objects.get(name="order.created").payload["stock_shortfall"] is True


def test_enough_stock_and_the_same_remote_order_twice() -> None:
    sku = SkuFactory(stock=10)
    lines = [FactLine(sku_id=sku.pk, quantity=4, unit_price=Decimal("68.00"))]
    first = order_accept_fact(seller_id=sku.seller_id, fact=_fact("P1", lines))
    again = order_accept_fact(seller_id=sku.seller_id, fact=_fact("P1", lines))
    assert first.pk == again.pk
    assert Order.objects.count() == 1
    sku.refresh_from_db()
    assert (sku.stock, first.stock_shortfall) == (6, False)
