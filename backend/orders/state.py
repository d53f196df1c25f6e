"""The order state machine, in one place."""

from __future__ import annotations

from backend.orders.models import OrderStatus as S

# to-status -> the statuses it may be reached from
ALLOWED: dict[str, set[str]] = {
    S.PAID: {S.CREATED, S.REFUND_REQUESTED},
    S.PACKED: {S.PAID, S.REFUND_REQUESTED},
    S.SHIPPED: {S.PACKED, S.REFUND_REQUESTED},
    S.DELIVERED: {S.SHIPPED, S.REFUND_REQUESTED},
    S.COMPLETED: {S.DELIVERED},
    S.CANCELLED: {S.CREATED},
    S.REFUND_REQUESTED: {S.PAID, S.PACKED, S.SHIPPED, S.DELIVERED},
    S.REFUNDED: {S.REFUND_REQUESTED},
}
# Refund of goods that never left: their stock comes back.
UNSHIPPED: set[str] = {S.PAID, S.PACKED}
# Which event each move publishes. A rejected refund request returns the order to the status
# it had (status_before_refund) and publishes order.refund_rejected instead: a second
# order.paid or order.shipped would be counted twice by its listeners.
REFUND_REJECTED = "order.refund_rejected"
EVENT_FOR: dict[str, str] = {
    S.PAID: "order.paid",
    S.PACKED: "order.packed",
    S.SHIPPED: "order.shipped",
    S.DELIVERED: "order.delivered",
    S.COMPLETED: "order.completed",
    S.CANCELLED: "order.cancelled",
    S.REFUND_REQUESTED: "order.refund_requested",
    S.REFUNDED: "order.refunded",
}


def can_move(src: str, dst: str, *, before_refund: str = "") -> bool:
    """Out of a refund request the order goes to REFUNDED or back where it was, nowhere else."""
    if src == S.REFUND_REQUESTED and dst != S.REFUNDED:
        return dst == before_refund
    return src in ALLOWED.get(dst, set())


def event_for(src: str, dst: str) -> str:
    if src == S.REFUND_REQUESTED and dst != S.REFUNDED:
        return REFUND_REJECTED
    return EVENT_FOR[dst]


# Facts: a marketplace order moves as its platform says, never through our provider. It may
# jump (paid -> shipped with no "packed"; refunded by the platform with no request here).
# to-status -> the statuses it may be reached from
FACT_ALLOWED: dict[str, set[str]] = {
    S.PAID: {S.CREATED},
    S.PACKED: set(),  # packing is ours; the platform does not say it
    S.SHIPPED: {S.CREATED, S.PAID, S.PACKED},
    S.DELIVERED: {S.CREATED, S.PAID, S.PACKED, S.SHIPPED},
    S.COMPLETED: {S.CREATED, S.PAID, S.PACKED, S.SHIPPED, S.DELIVERED},
    S.CANCELLED: {S.CREATED},
    S.REFUND_REQUESTED: set(),  # after-sales are kept beside the order, not as its status
    S.REFUNDED: {S.PAID, S.PACKED, S.SHIPPED, S.DELIVERED, S.COMPLETED, S.REFUND_REQUESTED},
}
# Statuses at or past "paid": an order entering at or jumping to one was paid.
PAST_PAID: set[str] = {
    S.PAID,
    S.PACKED,
    S.SHIPPED,
    S.DELIVERED,
    S.COMPLETED,
    S.REFUND_REQUESTED,
    S.REFUNDED,
}


def fact_can_move(src: str, dst: str) -> bool:
    return src in FACT_ALLOWED.get(dst, set())
