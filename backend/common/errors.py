"""The one error type of the platform and its stable codes.

Services raise a `DomainError` subclass; the API layer turns every error into the
envelope ``{"error": {"code", "message", "extra"}}`` (see docs/api.md).
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from django.utils.translation import gettext_lazy as _


class ErrorCode(StrEnum):
    """The platform-wide codes. Each app declares its own enum in its errors.py (merged
    into one catalogue at start-up, see common/registry.py). Never renamed once published."""

    BAD_REQUEST = "request.bad"
    MALFORMED_BODY = "request.malformed_body"
    VALIDATION = "request.validation"
    BODY_TOO_LARGE = "request.too_large"
    NOT_FOUND = "not_found"
    UNAUTHENTICATED = "auth.unauthenticated"
    FORBIDDEN = "auth.forbidden"
    CSRF_FAILED = "auth.csrf_failed"
    CONFLICT = "conflict"
    SERVER_ERROR = "server.error"
    THROTTLED = "throttled"


class DomainError(Exception):
    """A rule of the domain was broken; carries what the client needs to react."""

    status: int = 400
    code: StrEnum = ErrorCode.BAD_REQUEST
    default_message: Any = _("The request cannot be processed.")

    def __init__(
        self,
        message: Any = None,
        *,
        code: StrEnum | None = None,
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
    code: StrEnum = ErrorCode.NOT_FOUND
    default_message = _("Not found.")


class Invalid(DomainError):
    """A rule about one request's values that the schema cannot express (422)."""

    status = 422
    code: StrEnum = ErrorCode.VALIDATION
    default_message = _("Some fields are invalid.")


class Unauthenticated(DomainError):
    status = 401
    code: StrEnum = ErrorCode.UNAUTHENTICATED
    default_message = _("Please log in.")


class Forbidden(DomainError):
    status = 403
    code: StrEnum = ErrorCode.FORBIDDEN
    default_message = _("You do not have permission to do this.")


class Conflict(DomainError):
    status = 409
    code: StrEnum = ErrorCode.CONFLICT
    default_message = _("The request conflicts with the current state.")


class Unavailable(DomainError):
    """An outside service (payments, SMS, storage) is down or timed out: transient, so a
    task may retry it with backoff (common/retry.py)."""

    status = 503
    code: StrEnum = ErrorCode.SERVER_ERROR
    default_message: Any = _("A service we depend on is unavailable; try again shortly.")


class Throttled(DomainError):
    status = 429
    code: StrEnum = ErrorCode.THROTTLED
    default_message = _("Too many requests; try again later.")

    def __init__(self, message: Any = None, *, retry_after: int, **kwargs: Any) -> None:
        extra = {"retry_after": retry_after, **kwargs.pop("extra", {})}
        super().__init__(message, extra=extra, **kwargs)
        self.retry_after = retry_after
