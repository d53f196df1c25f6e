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
    FLASH_INVALID = "promotions.flash_invalid"
    FLASH_NOT_OPEN = "promotions.flash_not_open"
    FLASH_SOLD_OUT = "promotions.flash_sold_out"
    FLASH_OVER_CAP = "promotions.flash_over_cap"
    FLASH_TOO_FAST = "promotions.flash_too_fast"
    LOTTERY_INVALID = "promotions.lottery_invalid"
    LOTTERY_PRIZE_OVER_CAP = "promotions.lottery_prize_over_cap"
    LOTTERY_NOT_OPEN = "promotions.lottery_not_open"
    LOTTERY_LIKE_FIRST = "promotions.lottery_like_first"
    LOTTERY_FOLLOW_FIRST = "promotions.lottery_follow_first"
    LOTTERY_NOT_DUE = "promotions.lottery_not_due"
    LOTTERY_NOT_WINNER = "promotions.lottery_not_winner"
