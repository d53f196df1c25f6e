"""The environment of a production process for the benchmarks: DEBUG off with real secrets
made for this run (the settings refuse the public demo values), over plain HTTP on loopback
(no TLS terminates in front of the bench, so no HTTPS redirect and no secure-only cookies)."""

from __future__ import annotations

import secrets

from cryptography.fernet import Fernet


def production_env() -> dict[str, str]:
    return {
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(48),
        "PAYMENT_MCH_ID": "qinshui-bench",
        "PAYMENT_SECRET": secrets.token_urlsafe(32),
        "SMS_SANDBOX_API_KEY": secrets.token_urlsafe(24),
        "FIELD_ENCRYPTION_KEYS": Fernet.generate_key().decode(),
        "STREAMING_CALLBACK_SECRET": secrets.token_urlsafe(24),
        "SECURE_HTTPS": "0",
        "SECURE_COOKIES": "0",
    }
