"""Keep secrets, tokens and buyers' phone numbers out of log records."""

from __future__ import annotations

import re

_PHONE = re.compile(r"(?<!\d)1[3-9]\d[\d*]{4}\d{4}(?!\d)")
_SECRET_KEYS = frozenset(
    {
        "sign",
        "session",
        "access_token",
        "refresh_token",
        "app_secret",
        "client_secret",
        "code",
        "receiver_phone",
        "receiver_mobile",
        "mobile",
    }
)


def redact_text(text: str) -> str:
    """Mask anything shaped like a Chinese mobile number, masked or not."""
    return _PHONE.sub("[phone]", text)


def redact_params(params: dict[str, str]) -> dict[str, str]:
    """A copy safe to log: secret-bearing keys replaced, free text scrubbed of phones."""
    return {
        key: "[redacted]" if key in _SECRET_KEYS else redact_text(value)[:200]
        for key, value in params.items()
    }
