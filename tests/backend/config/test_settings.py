from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from backend.config.env import (
    DEV_SECRET_KEY,
    SettingsError,
    check_production_secret,
    env_bool,
    env_list,
    parse_database_url,
)

BASE = Path("/srv/app")
ROOT = Path(__file__).resolve().parents[3]


def test_database_url_defaults_to_sqlite_under_var() -> None:
    assert parse_database_url(None, base_dir=BASE) == {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": "/srv/app/var/db.sqlite3",
    }


def test_postgres_url_is_parsed() -> None:
    parsed = parse_database_url(
        "postgres://qs:p%40ss@db.internal:6543/qinshui?sslmode=require", base_dir=BASE
    )
    assert (parsed["ENGINE"], parsed["NAME"], parsed["USER"], parsed["PASSWORD"]) == (
        "django.db.backends.postgresql",
        "qinshui",
        "qs",
        "p@ss",
    )
    assert (parsed["HOST"], parsed["PORT"], parsed["OPTIONS"]["sslmode"]) == (
        "db.internal",
        "6543",
        "require",
    )
    assert parsed["OPTIONS"]["pool"] == {"min_size": 1, "max_size": 10, "timeout": 20.0}
    assert parsed["CONN_MAX_AGE"] == 0


def test_sqlite_url_relative_and_absolute() -> None:
    assert parse_database_url("sqlite:///var/x.db", base_dir=BASE)["NAME"] == "/srv/app/var/x.db"
    assert parse_database_url("sqlite:////tmp/x.db", base_dir=BASE)["NAME"] == "/tmp/x.db"


@pytest.mark.parametrize("url", ["mysql://x/y", "postgres://host", "sqlite://"])
def test_bad_database_urls_are_refused(url: str) -> None:
    with pytest.raises(SettingsError):
        parse_database_url(url, base_dir=BASE)


def test_bool_and_list() -> None:
    assert [env_bool(v, default=False) for v in ("1", "true", "YES", "on")] == [True] * 4
    assert [env_bool(v, default=True) for v in ("0", "false", "no", "off")] == [False] * 4
    assert env_bool(None, default=True) is True
    with pytest.raises(SettingsError):
        env_bool("maybe", default=False)
    assert env_list("a.example, b.example,,", default=[]) == ["a.example", "b.example"]
    assert env_list(None, default=["x"]) == ["x"]


def test_production_guard() -> None:
    check_production_secret(debug=True, secret_key=DEV_SECRET_KEY)
    with pytest.raises(SettingsError, match="SECRET_KEY"):
        check_production_secret(debug=False, secret_key=DEV_SECRET_KEY)
    with pytest.raises(SettingsError):
        check_production_secret(debug=False, secret_key="short")
    check_production_secret(debug=False, secret_key="x" * 50)


def _django_check(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    import os

    full = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG"}}
    full.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "CRITICAL"],
        cwd=ROOT,
        env=full,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_refuses_to_start_in_production_with_the_dev_secret() -> None:
    refused = _django_check({"DEBUG": "0"})
    assert refused.returncode != 0
    assert "needs a real SECRET_KEY" in refused.stderr
    started = _django_check({"DEBUG": "0", "SECRET_KEY": "k" * 64, "ALLOWED_HOSTS": "example.org"})
    assert started.returncode == 0, started.stderr


def test_locale_and_time_settings(settings) -> None:
    assert (settings.TIME_ZONE, settings.USE_TZ, settings.LANGUAGE_CODE) == (
        "Asia/Shanghai",
        True,
        "zh-hans",
    )
    assert [code for code, _ in settings.LANGUAGES] == ["zh-hans", "en"]
