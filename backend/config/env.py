"""Parsing of the environment into settings values.

Pure functions, so the rules (what a URL means, what counts as true, when the
production guard trips) can be tested without reloading Django settings.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

DEV_SECRET_KEY = "dev-insecure-secret-key-change-me"

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


class SettingsError(ValueError):
    """A setting from the environment that cannot be used."""


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
        path = base_dir / "var" / "db.sqlite3"
        return {"ENGINE": "django.db.backends.sqlite3", "NAME": str(path)}
    parts = urlsplit(url)
    if parts.scheme == "sqlite":
        name = unquote(parts.path[1:]) if parts.path.startswith("/") else unquote(parts.path)
        if not name:
            raise SettingsError("sqlite DATABASE_URL needs a file path: sqlite:///var/db.sqlite3")
        path = Path(name)
        if not path.is_absolute():
            path = base_dir / path
        return {"ENGINE": "django.db.backends.sqlite3", "NAME": str(path)}
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
