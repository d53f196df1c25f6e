"""Typed errors every connector raises; callers never see `requests` or platform codes raw."""

from __future__ import annotations


class ConnectorError(Exception):
    """Base error. `code`/`sub_code` are the platform's own, kept for logs and support."""

    def __init__(
        self, message: str, *, platform: str = "", code: str = "", sub_code: str = ""
    ) -> None:
        super().__init__(message)
        self.message = message
        self.platform = platform
        self.code = code
        self.sub_code = sub_code


class AuthError(ConnectorError):
    """Bad signature, unknown app, or an expired or revoked token: the shop must re-authorise."""


class InvalidRequest(ConnectorError):
    """The platform rejected our parameters; the message is the platform's."""


class NotFound(ConnectorError):
    """The order, item or SKU does not exist on the platform."""


class RateLimited(ConnectorError):
    """A call limit was hit; `wait` is the number of seconds the platform asked us to back off."""

    def __init__(self, message: str, *, wait: float, platform: str = "", code: str = "") -> None:
        super().__init__(message, platform=platform, code=code)
        self.wait = wait


class RemoteUnavailable(ConnectorError):
    """5xx, timeouts, unparseable bodies and `isp.*` faults.

    `ambiguous` is True when the request may have been executed (read timeout, 5xx after
    sending): a non-idempotent write must then be reconciled, never blindly retried.
    """

    def __init__(
        self,
        message: str,
        *,
        platform: str = "",
        code: str = "",
        sub_code: str = "",
        ambiguous: bool = False,
        retry_after: float | None = None,
    ) -> None:
        super().__init__(message, platform=platform, code=code, sub_code=sub_code)
        self.ambiguous = ambiguous
        self.retry_after = retry_after
