"""Error codes of accounts: logins, phone codes, tokens, organisations.

Stable: never renamed once published."""

from __future__ import annotations

from enum import StrEnum


class AccountErrorCode(StrEnum):
    INVALID_CREDENTIALS = "auth.invalid_credentials"
    LOCKED_OUT = "auth.locked_out"
    ACCOUNT_INACTIVE = "auth.inactive"
    PASSWORD_INVALID = "auth.password_invalid"
    CODE_INVALID = "auth.code_invalid"
    CODE_EXPIRED = "auth.code_expired"
    CODE_THROTTLED = "auth.code_throttled"
    SMS_UNAVAILABLE = "sms.unavailable"
    SMS_DAILY_LIMIT = "sms.daily_limit"
    TOKEN_REVOKED = "auth.token_revoked"
    MEMBERSHIP_EXISTS = "organisation.member_exists"
