"""Records other apps keep, written as facts for tests that read them (incubation): a live
session that was held, and orders in a given state with their refunds."""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta
from decimal import Decimal

from backend.accounts.models import Organisation, User
from backend.live.models import LiveSession
from backend.orders.models import Checkout, Order, Refund


def session_held(
    *,
    streamer: User,
    started: datetime,
    organisation: Organisation | None = None,
    minutes: int = 90,
    state: str = LiveSession.State.ENDED,
    title: str = "沁水小米直播",
) -> LiveSession:
    token = secrets.token_hex(8)
    return LiveSession.objects.create(
        streamer=streamer,
        organisation=organisation,
        title=title,
        scheduled_start=started,
        state=state,
        public_id=token,
        stream_key=token,
        key_hash=secrets.token_hex(32),
        started_at=started if state in ("live", "ended") else None,
        ended_at=started + timedelta(minutes=minutes) if state == "ended" else None,
    )


def order_fact(
    *,
    seller: Organisation,
    paid: str,
    source_kind: str = "live",
    source_ref: str = "",
    status: str = Order.Status.PAID,
    paid_at: datetime | None = None,
) -> Order:
    amount = Decimal(paid)
    checkout = Checkout.objects.create(number=f"CK{secrets.token_hex(6)}", total_amount=amount)
    return Order.objects.create(
        number=f"QS{secrets.token_hex(6)}",
        checkout=checkout,
        seller=seller,
        source_kind=source_kind,
        source_ref=source_ref or (secrets.token_hex(6) if source_kind == "store" else ""),
        status=status,
        consignee_name="张女士",
        consignee_phone="13800000001",
        address="沁水县端氏镇示例村 1 号",
        goods_amount=amount,
        paid_amount=amount,
        paid_at=paid_at if status not in ("created", "cancelled") else None,
        refunded_amount=amount if status == Order.Status.REFUNDED else Decimal("0"),
    )


def refund_fact(*, order: Order, amount: str, succeeded: bool = True) -> Refund:
    status = Refund.Status.SUCCEEDED if succeeded else Refund.Status.PENDING
    if succeeded:  # what went back adds up on the order, as refunded_add does
        order.status = Order.Status.REFUNDED
        order.refunded_amount += Decimal(amount)
        order.save(update_fields=["status", "refunded_amount"])
    return Refund.objects.create(
        order=order,
        out_refund_no=f"RF{secrets.token_hex(6)}",
        amount=Decimal(amount),
        status=status,
    )
