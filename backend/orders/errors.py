"""Error codes of orders and payments. Stable: never renamed once published."""

from __future__ import annotations

from enum import StrEnum


class OrderErrorCode(StrEnum):
    ORDER_ILLEGAL_TRANSITION = "order.illegal_transition"
    ORDER_SKU_UNAVAILABLE = "order.sku_unavailable"
    ORDER_COURIER_UNKNOWN = "order.courier_unknown"
    ORDER_IDEMPOTENCY_MISMATCH = "order.idempotency_mismatch"
    ORDER_REFUND_PENDING = "order.refund_pending"
    ORDER_REFUND_AMOUNT = "order.refund_amount"
    ORDER_UNPAID_LIMIT = "order.unpaid_limit"
    ORDER_STATUS_UNKNOWN = "order.status_unknown"
    ORDER_DISCOUNT_INVALID = "order.discount_invalid"
    ORDER_AMOUNT_INVALID = "order.amount_invalid"
    PAYMENT_UNAVAILABLE = "payment.unavailable"
    PAYMENT_REFUSED = "payment.refused"
    PAYMENT_NOTICE_INVALID = "payment.notice_invalid"
