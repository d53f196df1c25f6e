"""Demo orders for `make run`: the demo buyer's orders in several states. They are marked
paid with a `demo-seed` payment (the payment sandbox is not running while demo data loads);
new orders placed in the running demo go through the real payment sandbox."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from backend.accounts.models import User
from backend.catalog.models import Sku
from backend.orders.models import Order, Payment
from backend.orders.models import OrderStatus as S
from backend.orders.services import Consignee, checkout_place, order_move, order_pack, order_ship

PLAN = [
    # idempotency key, [(outer id, qty)], final status
    ("demo-order-0001", [("QS-HONEY-ACACIA-500", 2), ("QS-MILLET-2500", 1)], S.SHIPPED),
    ("demo-order-0002", [("QS-HONEY-VITEX-1000", 1)], S.PAID),
    ("demo-order-0003", [("QS-HONEY-ACACIA-250", 3)], S.PACKED),
    ("demo-order-0004", [("QS-SHANZHEN-BOX", 1)], S.CREATED),
]
WHO = Consignee(
    name="张女士（演示）", phone="13800000001", address="山西省晋城市沁水县端氏镇示例村 1 号"
)


@transaction.atomic
def demo_orders_load() -> int:
    buyer = User.objects.get(username="buyer")
    merchant = User.objects.get(username="merchant")
    made = 0
    for key, items, final in PLAN:
        if Order.objects.filter(checkout__idempotency_key=key, buyer=buyer).exists():
            continue
        lines = [(Sku.objects.get(outer_id=outer_id).pk, qty) for outer_id, qty in items]
        checkout = checkout_place(
            buyer=buyer, idempotency_key=key, items=lines, consignee=WHO, remark="演示订单"
        ).checkout
        made += 1
        if final == S.CREATED:
            continue
        now = timezone.now()
        Payment.objects.create(
            checkout=checkout,
            provider="demo-seed",
            provider_payment_id=f"demo-{checkout.number}",
            amount=checkout.total_amount,
            pay_url="",
            status=Payment.Status.PAID,
            paid_at=now,
        )
        for order in checkout.orders.all():
            order_move(order=order, to=S.PAID, by=None, paid_at=now, note=_("Demo data"))
            if (
                final in (S.PACKED, S.SHIPPED)
                and order.seller.memberships.filter(user=merchant).exists()
            ):
                order_pack(order=order, by=merchant)
                if final == S.SHIPPED:
                    order_ship(
                        order=order, by=merchant, courier_code="YTO", waybill_no="YT0000000000001"
                    )
    return made
