"""Apps declare themselves: a test-only app's declarations show up with no shared edit,
a duplicate error code stops start-up, every role gets exactly the navigation its grants
allow, and docs/api.md lists every error code."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.http import HttpRequest

from backend.accounts.demo import DEMO_USERS, demo_accounts_load
from backend.accounts.roles import Role
from backend.common import registry
from backend.common.management.commands.error_codes import BEGIN, END
from tests.harness import ROOT

TEST_APP = "tests.registry_app"


def _start(tmp_path: Path, extra_apps: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST_")}
    env.update(
        EXTRA_APPS=extra_apps,
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        CELERY_BROKER_URL="",
        DJANGO_SETTINGS_MODULE="backend.config.settings",
    )
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def test_an_app_of_the_test_suite_declares_one_of_everything(tmp_path: Path) -> None:
    run = _start(tmp_path, TEST_APP, "-m", "tests.backend.common.registry_probe")
    assert run.returncode == 0, run.stderr[-3000:]
    report = json.loads(run.stdout)
    assert report["error_catalogue"] == ["registry_app", "SampleErrorCode.SAMPLE_REFUSED"]
    assert report["hello"] == {"hello": "沁水"}
    assert report["refused"] == [
        400,
        {"error": {"code": "sample.refused", "message": "Refused by the sample app.", "extra": {}}},
    ]
    assert report["page_status"] == 200
    assert report["nav"] == {
        "items": [
            {"path": "/account/", "label": "我的账户", "external": False},
            {"path": "/sample/depot/", "label": "仓库", "external": False},
        ],
        "landing": "/sample/depot/",
    }
    # A new role with its grant, and a grant the app adds to an existing role.
    assert report["group_perms"]["depot_staff"] == ["catalog.view_all_products"]
    assert "accounts.view_user" in report["group_perms"]["merchant"]
    assert report["socket"] == {"connected": True, "frame": {"type": "sample.hello", "payload": {}}}
    assert report["beat"]["registry_app.tick"] == "45.0"
    assert report["task_registered"] is True
    assert report["demo_order"] == [
        "accounts", "geo", "catalog", "orders", "live", "stores", "offline_shop", "registry_app",
        "audience", "promotions", "incubation", "campaigns",
    ]  # fmt: skip
    assert report["demo_written"] == ["sample demo loaded"]


def test_without_the_test_app_none_of_it_exists() -> None:
    assert "sample.refused" not in registry.error_catalogue()
    assert "registry_app.tick" not in registry.beat_schedule()
    assert all(spec.path != "/sample/depot/" for spec in registry.pages())


def test_a_duplicate_error_code_stops_start_up_with_a_clear_message(tmp_path: Path) -> None:
    run = _start(tmp_path, "tests.registry_dup_app", "manage.py", "check")
    assert run.returncode == 1
    assert (
        "ImproperlyConfigured: error code 'stock.insufficient' is declared twice: by catalog "
        "(CatalogErrorCode.STOCK_INSUFFICIENT) and by registry_dup_app "
        "(ClashingCode.STOCK_GONE)"
    ) in run.stderr


EXPECTED_NAV = {
    Role.PLATFORM_ADMIN: [
        "/account/",
        "/merchant/products/",
        "/merchant/orders/",
        "/merchant/stores/",
        "/studio/",
        "/office/stores/",
        "/office/incubation/",
        "/shop-counter/",
        "/office/shop-sales/",
        "/events/",
        "/events/door/",
        "/admin/",
        "/api/docs",
    ],
    Role.MERCHANT: [
        "/account/",
        "/merchant/products/",
        "/merchant/orders/",
        "/merchant/stores/",
        "/api/docs",
    ],
    Role.BUYER: ["/account/", "/shop/", "/live/", "/shop/orders/"],
    Role.STREAMER: ["/account/", "/studio/"],
    Role.ORGANISER: ["/account/", "/events/", "/events/door/"],
    Role.JUDGE: ["/account/", "/events/judge/"],
}
EXPECTED_NAV[Role.OFFICE_STAFF] = EXPECTED_NAV[Role.PLATFORM_ADMIN]


def _allowed_by_grants(role: str) -> list[str]:
    """The pages a role's declared grants allow, worked out from the declarations alone."""
    perms = registry.role_permissions()[role]
    return [
        page.path
        for page in registry.pages()
        if page.label is not None
        and (page.roles == registry.EVERYONE or role in page.roles or perms & set(page.perms))
    ]


@pytest.mark.django_db
@pytest.mark.parametrize("demo", DEMO_USERS, ids=lambda d: d.username)
def test_each_demo_role_gets_exactly_the_pages_its_grants_allow(client, demo) -> None:
    demo_accounts_load()
    # A request for the lock-out backend (django-axes), as a real login has.
    assert client.login(request=HttpRequest(), username=demo.username, password=demo.password)
    nav = client.get("/api/v1/nav", HTTP_ACCEPT_LANGUAGE="zh-hans").json()
    paths = [item["path"] for item in nav["items"]]
    assert paths == _allowed_by_grants(demo.role.value)
    assert paths == EXPECTED_NAV.get(demo.role, ["/account/"])


@pytest.mark.django_db
def test_a_visitor_sees_only_public_pages_in_english_when_asked(client) -> None:
    nav = client.get("/api/v1/nav", HTTP_ACCEPT_LANGUAGE="en").json()
    assert nav == {
        "items": [
            {"path": "/shop/", "label": "Shop", "external": False},
            {"path": "/live/", "label": "Live", "external": False},
        ],
        "landing": "/shop/",
    }


def test_docs_api_md_lists_every_error_code() -> None:
    text = (ROOT / "docs" / "api.md").read_text(encoding="utf-8")
    documented = text.split(BEGIN, 1)[1].split(END, 1)[0].strip()
    assert documented == registry.error_codes_markdown().strip(), (
        "docs/api.md is out of date: run `DEBUG=1 python manage.py error_codes --write`"
    )
