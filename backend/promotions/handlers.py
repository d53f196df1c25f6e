"""Promotions listen to orders: a cancelled unpaid order gives its coupons back."""

from __future__ import annotations

from backend.common.events import Event, handler
from backend.promotions.services_coupons import coupons_return_for


def _unpaid_cancel(payload: dict) -> bool:  # type: ignore[type-arg]
    return payload.get("payment_kind") == "provider"


@handler("order.cancelled", when=_unpaid_cancel)
def coupons_back_on_cancel(event: Event) -> None:
    coupons_return_for(checkout_number=str(event.payload["checkout_id"]))
