"""The one error type of the platform and its stable codes.

Services raise a `DomainError` subclass; the API layer turns every error into the
envelope ``{"error": {"code", "message", "extra"}}`` (see docs/api.md).
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from django.utils.translation import gettext_lazy as _


class ErrorCode(StrEnum):
    """Stable, machine-readable error codes. Never renamed once published."""

    BAD_REQUEST = "request.bad"
    MALFORMED_BODY = "request.malformed_body"
    VALIDATION = "request.validation"
    BODY_TOO_LARGE = "request.too_large"
    NOT_FOUND = "not_found"
    UNAUTHENTICATED = "auth.unauthenticated"
    FORBIDDEN = "auth.forbidden"
    CSRF_FAILED = "auth.csrf_failed"
    INVALID_CREDENTIALS = "auth.invalid_credentials"
    LOCKED_OUT = "auth.locked_out"
    ACCOUNT_INACTIVE = "auth.inactive"
    PASSWORD_INVALID = "auth.password_invalid"
    CODE_INVALID = "auth.code_invalid"
    CODE_EXPIRED = "auth.code_expired"
    CODE_THROTTLED = "auth.code_throttled"
    SMS_UNAVAILABLE = "sms.unavailable"
    TOKEN_REVOKED = "auth.token_revoked"
    CONFLICT = "conflict"
    THROTTLED = "throttled"
    MEMBERSHIP_EXISTS = "organisation.member_exists"
    STOCK_INSUFFICIENT = "stock.insufficient"
    PRODUCT_ILLEGAL_TRANSITION = "product.illegal_transition"
    PRODUCT_NOT_SELLABLE = "product.not_sellable"
    PRODUCT_LICENCE_EXPIRED = "product.licence_expired"
    SKU_OUTER_ID_TAKEN = "sku.outer_id_taken"
    ORIGIN_MISMATCH = "product.origin_mismatch"
    IMAGE_TOO_LARGE = "image.too_large"
    IMAGE_UNSUPPORTED_TYPE = "image.unsupported_type"
    IMAGE_CORRUPT = "image.corrupt"
    IMAGE_TOO_MANY_PIXELS = "image.too_many_pixels"
    IMAGE_CANNOT_FIT = "image.cannot_fit"
    ORDER_ILLEGAL_TRANSITION = "order.illegal_transition"
    ORDER_SKU_UNAVAILABLE = "order.sku_unavailable"
    ORDER_COURIER_UNKNOWN = "order.courier_unknown"
    ORDER_IDEMPOTENCY_MISMATCH = "order.idempotency_mismatch"
    PAYMENT_UNAVAILABLE = "payment.unavailable"
    PAYMENT_REFUSED = "payment.refused"
    PAYMENT_NOTICE_INVALID = "payment.notice_invalid"
    GEO_IMPORT_FILE_INVALID = "geo.import_file_invalid"


class DomainError(Exception):
    """A rule of the domain was broken; carries what the client needs to react."""

    status: int = 400
    code: ErrorCode = ErrorCode.BAD_REQUEST
    default_message: Any = _("The request cannot be processed.")

    def __init__(
        self,
        message: Any = None,
        *,
        code: ErrorCode | None = None,
        extra: dict[str, Any] | None = None,
        status: int | None = None,
    ) -> None:
        self.message = str(message if message is not None else self.default_message)
        if code is not None:
            self.code = code
        if status is not None:
            self.status = status
        self.extra = extra or {}
        super().__init__(self.message)


class NotFound(DomainError):
    status = 404
    code = ErrorCode.NOT_FOUND
    default_message = _("Not found.")


class Invalid(DomainError):
    """A rule about one request's values that the schema cannot express (422)."""

    status = 422
    code = ErrorCode.VALIDATION
    default_message = _("Some fields are invalid.")


class Unauthenticated(DomainError):
    status = 401
    code = ErrorCode.UNAUTHENTICATED
    default_message = _("Please log in.")


class Forbidden(DomainError):
    status = 403
    code = ErrorCode.FORBIDDEN
    default_message = _("You do not have permission to do this.")


class Conflict(DomainError):
    status = 409
    code = ErrorCode.CONFLICT
    default_message = _("The request conflicts with the current state.")


class Throttled(DomainError):
    status = 429
    code = ErrorCode.THROTTLED
    default_message = _("Too many requests; try again later.")

    def __init__(self, message: Any = None, *, retry_after: int, **kwargs: Any) -> None:
        extra = {"retry_after": retry_after, **kwargs.pop("extra", {})}
        super().__init__(message, extra=extra, **kwargs)
        self.retry_after = retry_after
