"""The order state machine, in one place."""

from __future__ import annotations

from backend.orders.models import OrderStatus as S

# to-status -> the statuses it may be reached from
ALLOWED: dict[str, set[str]] = {
    S.PAID: {S.CREATED},
    S.PACKED: {S.PAID},
    S.SHIPPED: {S.PACKED},
    S.DELIVERED: {S.SHIPPED},
    S.COMPLETED: {S.DELIVERED},
    S.CANCELLED: {S.CREATED},
    S.REFUND_REQUESTED: {S.PAID, S.PACKED, S.SHIPPED, S.DELIVERED},
    S.REFUNDED: {S.REFUND_REQUESTED},
}
# Refund of goods that never left: their stock comes back.
UNSHIPPED: set[str] = {S.PAID, S.PACKED}
# Which event each move publishes (the refund rejection returns to the earlier status and
# publishes nothing new).
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


def can_move(src: str, dst: str) -> bool:
    return src in ALLOWED.get(dst, set())
