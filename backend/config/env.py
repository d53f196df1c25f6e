"""Parsing of the environment into settings values.

Pure functions, so the rules (what a URL means, what counts as true, when the
production guard trips) can be tested without reloading Django settings.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

from cryptography.fernet import Fernet

DEV_SECRET_KEY = "dev-insecure-secret-key-change-me"
# The public values `make run` and the sandboxes use; a deployment must set its own.
DEMO_PAYMENT_SECRET = "qinshui-demo-secret"
DEMO_SMS_API_KEY = "sandbox-sms-key"
SANDBOX_SMS_PROVIDER = "backend.accounts.sms.SandboxSmsProvider"

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


class SettingsError(ValueError):
    """A setting from the environment that cannot be used."""


def derived_secret(secret_key: str, purpose: str) -> str:
    """A per-purpose secret derived from SECRET_KEY, for settings left unset in development."""
    return hashlib.sha256(f"{purpose}:{secret_key}".encode()).hexdigest()[:40]


def env_bool(value: str | None, *, default: bool) -> bool:
    if value is None:
        return default
    lowered = value.strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise SettingsError(f"not a boolean: {value!r} (use 1/0, true/false, yes/no, on/off)")


def env_list(value: str | None, *, default: list[str]) -> list[str]:
    if value is None:
        return list(default)
    return [item.strip() for item in value.split(",") if item.strip()]


def parse_database_url(url: str | None, *, base_dir: Path) -> dict[str, Any]:
    """Turn DATABASE_URL into a Django DATABASES entry.

    Unset means the embedded default: SQLite under var/.
    Supported: postgres://, postgresql://, sqlite:///relative/or//absolute.
    """
    if not url:
        return _sqlite(base_dir / "var" / "db.sqlite3")
    parts = urlsplit(url)
    if parts.scheme == "sqlite":
        name = unquote(parts.path[1:]) if parts.path.startswith("/") else unquote(parts.path)
        if not name:
            raise SettingsError("sqlite DATABASE_URL needs a file path: sqlite:///var/db.sqlite3")
        path = Path(name)
        if not path.is_absolute():
            path = base_dir / path
        return _sqlite(path)
    if parts.scheme in {"postgres", "postgresql", "pgsql"}:
        name = unquote(parts.path.lstrip("/"))
        if not name:
            raise SettingsError("postgres DATABASE_URL needs a database name")
        options = dict(parse_qsl(parts.query))
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": name,
            "USER": unquote(parts.username or ""),
            "PASSWORD": unquote(parts.password or ""),
            "HOST": parts.hostname or "",
            "PORT": str(parts.port or ""),
            # Under ASGI every request may run in its own thread: persistent connections would
            # pile up (one per thread), so connections come from a bounded pool instead.
            "OPTIONS": {"pool": _pool_options(), **options},
            "CONN_MAX_AGE": 0,
            # Lets two test runs share one server (default: test_<name>).
            "TEST": {"NAME": os.environ.get("TEST_DATABASE_NAME") or None},
        }
    raise SettingsError(f"unsupported DATABASE_URL scheme: {parts.scheme!r}")


def _sqlite(path: Path) -> dict[str, Any]:
    """SQLite for several processes at once (web workers, the Celery worker, beat): WAL lets
    readers go on while one writer writes; a writer waits up to `timeout` seconds for the
    lock instead of failing with "database is locked"; and BEGIN IMMEDIATE takes the write
    lock when a transaction starts, so two transactions that read first never deadlock
    when both try to write (which the busy timeout cannot resolve)."""
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": str(path),
        "OPTIONS": {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 30,
        },
    }


def _pool_options() -> dict[str, Any]:
    return {
        "min_size": 1,
        "max_size": int(os.environ.get("DB_POOL_MAX_SIZE", 10)),
        "timeout": float(os.environ.get("DB_POOL_TIMEOUT", 20)),
    }


def check_production_secret(*, debug: bool, secret_key: str) -> None:
    """Refuse to run a production configuration with the development secret."""
    if debug:
        return
    if not secret_key or secret_key == DEV_SECRET_KEY:
        raise SettingsError(
            "DEBUG=0 needs a real SECRET_KEY: set SECRET_KEY in the environment "
            "(the development key is public)."
        )
    if len(secret_key) < 32:
        raise SettingsError("SECRET_KEY must be at least 32 characters when DEBUG=0")


def _is_fernet_key(key: str) -> bool:
    try:
        Fernet(key.encode())
    except ValueError:
        return False
    return True


def check_production_secrets(
    *,
    debug: bool,
    payment_secret: str,
    sms_provider: str,
    sms_api_key: str,
    field_keys: list[str],
) -> None:
    """Refuse to run a production configuration whose secrets are unset or the public demo
    values (anyone knowing the demo payment secret could forge a "paid" notice)."""
    if debug:
        return
    missing = []
    if payment_secret in ("", DEMO_PAYMENT_SECRET):
        missing.append("PAYMENT_SECRET")
    if sms_provider == SANDBOX_SMS_PROVIDER and sms_api_key in ("", DEMO_SMS_API_KEY):
        missing.append("SMS_SANDBOX_API_KEY")
    if not field_keys or not all(_is_fernet_key(key) for key in field_keys):
        missing.append("FIELD_ENCRYPTION_KEYS")
    if missing:
        raise SettingsError(
            f"DEBUG=0 needs real secrets: {', '.join(missing)} (unset, or the public demo "
            "values; FIELD_ENCRYPTION_KEYS takes Fernet keys). Development: set DEBUG=1."
        )
