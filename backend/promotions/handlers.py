"""Promotions listen to orders: a cancelled unpaid order gives its coupons and its
flash-sale units back."""

from __future__ import annotations

from backend.common.events import Event, handler
from backend.promotions.services_coupons import coupons_return_for
from backend.promotions.services_flash import flash_units_back


def _unpaid_cancel(payload: dict) -> bool:  # type: ignore[type-arg]
    return payload.get("payment_kind") == "provider"


@handler("order.cancelled", when=_unpaid_cancel)
def coupons_back_on_cancel(event: Event) -> None:
    coupons_return_for(checkout_number=str(event.payload["checkout_id"]))


def _unpaid_live_cancel(payload: dict) -> bool:  # type: ignore[type-arg]
    return _unpaid_cancel(payload) and payload.get("source_kind") == "live"


@handler("order.cancelled", when=_unpaid_live_cancel)
def flash_units_back_on_cancel(event: Event) -> None:
    flash_units_back(order_id=int(event.payload["order_id"]))
