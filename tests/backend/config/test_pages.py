"""The pages on one base template: head and import map from one place, the signed-in
user's navigation, visitors sent to log in, and a plain message for a role without access.
Plus the page kit's conventions, checked in the sources."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from backend.accounts.roles import Role
from backend.common import registry

pytestmark = pytest.mark.django_db

FRONTEND = Path(settings.BASE_DIR) / "frontend_static"
JS = FRONTEND / "js"


def _import_map(html: str) -> dict[str, str]:
    match = re.search(r'<script type="importmap">(.*?)</script>', html, re.S)
    assert match, html
    return dict(json.loads(match.group(1))["imports"])


def test_a_page_is_its_body_on_the_base_with_the_vendored_packages(client: Client) -> None:
    response = client.get("/login/")
    assert response.status_code == 200
    html = response.content.decode()
    vendor = json.loads((Path(settings.BASE_DIR) / "package.json").read_text())["vendor"]
    expected = {
        spec: "/static/vendor/" + re.sub(r"\.mjs$", ".js", path) for spec, path in vendor.items()
    }
    assert _import_map(html) == {"app/": "/static/js/", **expected}
    for url in expected.values():  # every mapped file was copied by `make frontend`
        assert (FRONTEND / url.removeprefix("/static/")).is_file(), url
    assert '<script type="module" src="/static/js/pages/login.js"></script>' in html
    assert '<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">' in html
    assert '<html lang="zh-CN" data-lang="zh-hans">' in html
    assert re.findall(r'data-nav="([^"]+)">([^<]+)</a>', html) == [
        ("/shop/", "逛商城"),
        ("/live/", "看直播"),
    ]  # public
    assert '<a href="/login/" id="login-link">登录</a>' in html
    assert 'id="lang-switch" data-lang="en">English</button>' in html


def test_the_header_shows_the_users_own_pages_and_the_current_one(make_user, login_as) -> None:
    client = login_as(make_user(Role.BUYER, display_name="张女士"))
    html = client.get("/shop/orders/").content.decode()
    links = re.findall(
        r'<a href="([^"]+)" data-nav="[^"]+"( aria-current="page")?>([^<]+)</a>', html
    )
    assert links == [
        ("/account/", "", "我的账户"),
        ("/shop/", "", "逛商城"),
        ("/live/", "", "看直播"),
        ("/shop/orders/", ' aria-current="page"', "我的订单"),
    ]
    assert "<title>我的订单 · 沁水电商</title>" in html
    assert re.search(r'<span class="who">张女士 <button[^>]*id="logout">退出登录</button>', html)


def test_english_comes_from_the_language_cookie(make_user, login_as) -> None:
    client = login_as(make_user(Role.BUYER))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get("/shop/").content.decode()
    assert '<html lang="en" data-lang="en">' in html
    assert ">My orders</a>" in html
    assert 'data-lang="zh-hans">简体中文</button>' in html


def test_a_visitor_is_sent_to_log_in_first(client: Client) -> None:
    response = client.get("/merchant/orders/?status=paid")
    assert response.status_code == 302
    assert response["Location"] == "/login/?next=%2Fmerchant%2Forders%2F%3Fstatus%3Dpaid"


@pytest.mark.parametrize(
    ("role", "label", "landing"),
    [(Role.INSPECTOR, "抽检员", "/account/"), (Role.STREAMER, "主播", "/studio/")],
)
def test_a_role_without_access_gets_a_plain_message_not_the_editor(
    make_user, login_as, role: Role, label: str, landing: str
) -> None:
    client = login_as(make_user(role))
    response = client.get("/merchant/products/")
    assert response.status_code == 403
    html = response.content.decode()
    assert f"<p>此页面不对您的角色（{label}）开放。</p>" in html
    assert f'<a class="button" href="{landing}" id="start-page">回到我的首页</a>' in html
    assert '<script type="module" src="/static/js/pages/denied.js"></script>' in html
    assert "product-form" not in html and "merchant-products.js" not in html


def test_every_declared_page_has_a_body_and_an_entry_module() -> None:
    for spec in registry.pages():
        if spec.external:
            continue
        body = (FRONTEND / "pages" / f"{spec.template}.html").read_text()
        assert body.startswith('{% extends "base.html" %}'), spec.template
        assert (JS / "pages" / f"{spec.template}.js").is_file(), spec.template


# ---- the kit's conventions -------------------------------------------------------------

CJK = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")


def _sources(*suffixes: str) -> list[Path]:
    skip = {FRONTEND / "vendor", JS / "strings"}
    return [
        p
        for p in sorted(FRONTEND.rglob("*"))
        if p.suffix in suffixes and not any(p.is_relative_to(s) for s in skip)
    ]


def test_no_chinese_outside_the_string_modules() -> None:
    found = [
        f"{p.relative_to(FRONTEND)}:{n}: {line.strip()}"
        for p in _sources(".js", ".html", ".css", ".svg")
        for n, line in enumerate(p.read_text().splitlines(), 1)
        if CJK.search(line)
    ]
    assert found == []


def test_one_dollar_helper_one_money_format_one_socket() -> None:
    rules = {
        "a $ helper": (re.compile(r"(const|let|function)\s+\$\b|\$\s*=\s*\("), "lib/dom.js"),
        "money formatting": (re.compile(r"¥|toFixed\(|toLocaleString\("), "lib/format.js"),
        "a websocket": (re.compile(r"new WebSocket\("), "lib/socket.js"),
        "a confirm": (re.compile(r"\b(window\.)?confirm\("), None),
    }
    found = [
        f"{what}: {p.relative_to(JS)}:{n}"
        for p in _sources(".js")
        for n, line in enumerate(p.read_text().splitlines(), 1)
        for what, (pattern, home) in rules.items()
        if pattern.search(line) and str(p.relative_to(JS)) != home
    ]
    assert found == []


IMPORT = re.compile(r'^import\b[^;]*?"app/([^"]+)";', re.M | re.S)
KEY_USES = [
    re.compile(r'\bt\("([\w.\-]+)"'),
    re.compile(r'data-i18n(?:-placeholder|-label)?="([\w.\-]+)"'),
    re.compile(r'(?:label|title|success|summaryKey|done): "([a-z_]+\.[\w.\-]+)"'),
]


def _reachable(entry: Path) -> set[Path]:
    """The modules an entry module loads, following its `app/` imports."""
    seen: set[Path] = set()
    todo = [entry]
    while todo:
        module = todo.pop()
        if module not in seen:
            seen.add(module)
            todo += [JS / name for name in IMPORT.findall(module.read_text())]
    return seen


@pytest.mark.parametrize(
    "name", sorted({p.template for p in registry.pages() if not p.external} | {"denied"})
)
def test_each_page_loads_the_strings_it_uses(name: str) -> None:
    modules = _reachable(JS / "pages" / f"{name}.js")
    keys = {
        key
        for m in modules
        if m.parent == JS / "strings"
        for key in re.findall(r'^\s+"([\w.\-]+)":', m.read_text(), re.M)
    }
    body = FRONTEND / "pages" / f"{name}.html"
    texts = [m.read_text() for m in modules] + ([body.read_text()] if body.exists() else [])
    used = {key for text in texts for pattern in KEY_USES for key in pattern.findall(text)}
    assert sorted(used - keys) == []


def test_string_modules_have_the_same_keys_in_both_languages() -> None:
    for p in (JS / "strings").glob("*.js"):
        text = p.read_text()
        zh, en = text.split('"zh-hans": {')[1].split("\n  en: {")
        assert re.findall(r'^\s+"([\w.\-]+)":', zh, re.M) == re.findall(
            r'^\s+"([\w.\-]+)":', en, re.M
        ), p.name


def test_the_admin_names_apps_and_models_in_chinese(make_user, login_as) -> None:
    client = login_as(make_user(Role.PLATFORM_ADMIN, is_staff=True, is_superuser=True))
    html = client.get("/admin/").content.decode()
    names = ["商品目录", "库存流水", "商品图片", "县域名录（乡镇与村）", "方案目标", "事件投递"]
    assert [name for name in names if f">{name}<" not in html] == []
    assert "Stock entrys" not in html and "Catalogue" not in html
