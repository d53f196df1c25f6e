from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.fernet import Fernet

from backend.config.env import (
    DEV_SECRET_KEY,
    SettingsError,
    check_production_secret,
    check_production_secrets,
    env_bool,
    env_list,
    parse_database_url,
)

BASE = Path("/srv/app")
ROOT = Path(__file__).resolve().parents[3]


def test_database_url_defaults_to_sqlite_under_var() -> None:
    parsed = parse_database_url(None, base_dir=BASE)
    assert (parsed["ENGINE"], parsed["NAME"]) == (
        "django.db.backends.sqlite3",
        "/srv/app/var/db.sqlite3",
    )


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


# What a deployment sets; every one of them is unset in the subprocesses below first.
PRODUCTION = {
    "SECRET_KEY": "k" * 64,
    "PAYMENT_SECRET": "p" * 40,
    "SMS_SANDBOX_API_KEY": "s" * 40,
    "FIELD_ENCRYPTION_KEYS": Fernet.generate_key().decode(),
    "ALLOWED_HOSTS": "example.org,testserver",
}
UNSET = {"DEBUG", "SECURE_HTTPS", "DJANGO_SETTINGS_MODULE", *PRODUCTION}


def _manage(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    import os

    full = {k: v for k, v in os.environ.items() if k not in UNSET}
    full.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=full,
        capture_output=True,
        text=True,
        timeout=120,
    )


def _shell(env: dict[str, str], code: str) -> subprocess.CompletedProcess[str]:
    return _manage(env, "shell", "-v", "0", "-c", code)


def _django_check(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return _manage(env, "check", "--deploy", "--fail-level", "CRITICAL")


def test_refuses_to_start_in_production_with_the_dev_secret() -> None:
    refused = _django_check({"DEBUG": "0"})
    assert refused.returncode != 0
    assert "needs a real SECRET_KEY" in refused.stderr
    started = _django_check({"DEBUG": "0", **PRODUCTION})
    assert started.returncode == 0, started.stderr


def test_debug_is_off_unless_asked_for() -> None:
    # Nothing set: DEBUG is off, so the production guard speaks.
    refused = _django_check({})
    assert refused.returncode != 0
    assert "needs a real SECRET_KEY" in refused.stderr
    probe = "from django.conf import settings; print(settings.DEBUG)"
    assert _shell(PRODUCTION, probe).stdout.strip() == "False"
    assert _shell({"DEBUG": "1"}, probe).stdout.strip() == "True"


@pytest.mark.parametrize(
    ("changed", "named"),
    [
        ({"PAYMENT_SECRET": "qinshui-demo-secret"}, "PAYMENT_SECRET"),
        ({"SMS_SANDBOX_API_KEY": None}, "SMS_SANDBOX_API_KEY"),
        ({"FIELD_ENCRYPTION_KEYS": "not-a-fernet-key"}, "FIELD_ENCRYPTION_KEYS"),
    ],
)
def test_refuses_to_start_in_production_with_a_missing_or_demo_secret(changed, named) -> None:
    env = {k: v for k, v in {**PRODUCTION, **changed}.items() if v is not None}
    refused = _django_check({"DEBUG": "0", **env})
    assert refused.returncode != 0
    assert f"DEBUG=0 needs real secrets: {named}" in refused.stderr


def test_production_secrets_guard() -> None:
    good = {
        "payment_secret": "p" * 40,
        "sms_provider": "backend.accounts.sms.SandboxSmsProvider",
        "sms_api_key": "s" * 40,
        "field_keys": [Fernet.generate_key().decode()],
    }
    check_production_secrets(debug=False, **good)
    check_production_secrets(debug=True, **{**good, "payment_secret": "", "field_keys": []})
    # Another SMS provider keeps its own key: the sandbox's key is not asked for.
    check_production_secrets(
        debug=False, **{**good, "sms_provider": "deploy.sms.Gateway", "sms_api_key": ""}
    )
    with pytest.raises(
        SettingsError,
        match="needs real secrets: PAYMENT_SECRET, SMS_SANDBOX_API_KEY, FIELD_ENCRYPTION_KEYS",
    ):
        check_production_secrets(
            debug=False,
            payment_secret="qinshui-demo-secret",
            sms_provider=good["sms_provider"],
            sms_api_key="sandbox-sms-key",
            field_keys=[],
        )


HTTPS_PROBE = """
import json
from django.test import Client
plain = Client().get("/login/")
health = Client().get("/healthz")
secure = Client().get("/login/", secure=True)
print(json.dumps([plain.status_code, plain.get("Location"), health.status_code != 301,
                  secure.get("Strict-Transport-Security")]))
"""


def test_production_redirects_to_https_and_sends_hsts() -> None:
    import json

    run = _shell({"DEBUG": "0", **PRODUCTION}, HTTPS_PROBE)
    assert run.returncode == 0, run.stderr
    assert json.loads(run.stdout) == [
        301,
        "https://testserver/login/",
        True,  # health checks from inside the deployment are not redirected
        "max-age=31536000",
    ]
    off = _shell({"DEBUG": "0", "SECURE_HTTPS": "0", **PRODUCTION}, HTTPS_PROBE)
    assert json.loads(off.stdout)[:2] == [200, None]
    dev = _shell({"DEBUG": "1"}, HTTPS_PROBE)
    assert json.loads(dev.stdout)[0::3] == [200, None]


def test_sessions_expire_after_two_idle_hours_by_default(settings) -> None:
    assert settings.SESSION_IDLE_SECONDS == settings.SESSION_COOKIE_AGE == 2 * 60 * 60


def test_locale_and_time_settings(settings) -> None:
    assert (settings.TIME_ZONE, settings.USE_TZ, settings.LANGUAGE_CODE) == (
        "Asia/Shanghai",
        True,
        "zh-hans",
    )
    assert [code for code, _ in settings.LANGUAGES] == ["zh-hans", "en"]
