"""A logging filter that keeps secrets and phone numbers out of every log line."""

from __future__ import annotations

import logging
import re

_PATTERNS = [
    # API tokens of this platform (qs_<prefix>_<secret>) and generic bearer headers.
    (re.compile(r"\bqs_[A-Za-z0-9]{8}_[A-Za-z0-9_\-]{16,}"), "qs_********"),
    (re.compile(r"(?i)(bearer\s+)[A-Za-z0-9._\-]+"), r"\1********"),
    # key=value pairs whose name says secret.
    (
        re.compile(
            r"(?i)\b((?:access_token|refresh_token|app_secret|client_secret|password|"
            r"secret|sign|stream_key|code)\s*[=:]\s*)['\"]?[^\s&'\",]+"
        ),
        r"\1********",
    ),
    # Mainland mobile numbers: keep the first 3 and last 4 digits.
    (re.compile(r"(?<!\d)(1[3-9]\d)\d{4}(\d{4})(?!\d)"), r"\1****\2"),
]


def redact(text: str) -> str:
    for pattern, replacement in _PATTERNS:
        text = pattern.sub(replacement, text)
    return text


class RedactSecretsFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        return True


def redact_handlers_of(logger: logging.Logger) -> None:
    """Put the filter on every handler of `logger` (a handler's filter also sees the records
    that child loggers propagate to it). For processes that replace the configured handlers,
    as a Celery worker does at start-up."""
    for handler in logger.handlers:
        if not any(isinstance(f, RedactSecretsFilter) for f in handler.filters):
            handler.addFilter(RedactSecretsFilter())
