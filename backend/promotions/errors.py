"""Error codes of coupons, flash sales and lotteries. Stable: never renamed once published."""

from __future__ import annotations

from enum import StrEnum


class PromotionErrorCode(StrEnum):
    COUPON_INVALID = "promotions.coupon_invalid"
    COUPON_NOT_CLAIMABLE = "promotions.coupon_not_claimable"
    COUPON_GONE = "promotions.coupon_gone"
    COUPON_USER_LIMIT = "promotions.coupon_user_limit"
    COUPON_NOT_USABLE = "promotions.coupon_not_usable"
    COUPON_BELOW_THRESHOLD = "promotions.coupon_below_threshold"
    COUPON_NOT_STACKABLE = "promotions.coupon_not_stackable"
