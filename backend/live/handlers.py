"""Events live listens to: orders whose source is a live session feed the room's ticker
and the session's figures."""

from __future__ import annotations

from backend.common.events import Event, handler
from backend.live.services_metrics import order_paid_record, order_refunded_record


def _from_live(payload: dict) -> bool:  # type: ignore[type-arg]
    """A sale from a live session; a prize (0 yuan) is never a sale."""
    return payload.get("source_kind") == "live" and payload.get("payment_kind") != "prize"


@handler("order.paid", when=_from_live)
def live_order_paid(event: Event) -> None:
    order_paid_record(event.payload)


@handler("order.refunded", when=_from_live)
def live_order_refunded(event: Event) -> None:
    order_refunded_record(event.payload)
