"""Error codes of the offline shop. Stable: never renamed once published."""

from __future__ import annotations

from enum import StrEnum


class ShopErrorCode(StrEnum):
    NOT_ON_SHELF = "shop.not_on_shelf"
    SHELF_SHORT = "shop.shelf_short"
    BASKET_EMPTY = "shop.basket_empty"
    NO_OPEN_SHIFT = "shop.no_open_shift"
    SHIFT_OPEN = "shop.shift_open"
    SHIFT_CLOSED = "shop.shift_closed"
    SHIFT_DIFFERENCE_REASON = "shop.shift_difference_reason"
    QR_NOT_PAID = "shop.qr_not_paid"
    RETURN_INVALID = "shop.return_invalid"
    PERIOD_SETTLED = "shop.period_settled"
    PERIOD_INVALID = "shop.period_invalid"
