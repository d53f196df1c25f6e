"""The page shell in a real browser against daphne: logins, navigation by role, errors."""

from __future__ import annotations

import re

import pytest
import requests
from playwright.sync_api import expect

from backend.accounts.roles import Role
from tests.factories.accounts import PASSWORD, UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

ADMIN_LINKS = [
    "我的账户",
    "商品管理",
    "订单管理",
    "网店同步",
    "直播工作台",
    "特产网店",
    "孵化培育",
    "特产馆收银台",
    "线下线上销售",
    "活动",
    "检票",
    "后台管理",
    "接口文档",
]
EXPECTED_NAV = {
    Role.PLATFORM_ADMIN: ADMIN_LINKS,
    Role.OFFICE_STAFF: ADMIN_LINKS,
    Role.MERCHANT: ["我的账户", "商品管理", "订单管理", "网店同步", "接口文档"],
    Role.STREAMER: ["我的账户", "直播工作台"],
    Role.ORGANISER: ["我的账户", "活动", "检票"],
    Role.JUDGE: ["我的账户", "评分"],
    Role.STATION_OPERATOR: ["我的账户"],
    Role.INSPECTOR: ["我的账户"],
    Role.BUYER: ["我的账户", "逛商城", "看直播", "我的订单"],
}
# Roles with a page of their own land on it; the others on their account page.
LANDING = {
    Role.PLATFORM_ADMIN: "/merchant/products/",
    Role.OFFICE_STAFF: "/merchant/products/",
    Role.MERCHANT: "/merchant/products/",
    Role.BUYER: "/shop/",
    Role.STREAMER: "/studio/",
    Role.ORGANISER: "/events/",
    Role.JUDGE: "/events/judge/",
}
ROLE_LABELS = {
    Role.PLATFORM_ADMIN: "平台管理员",
    Role.OFFICE_STAFF: "县电商办",
    Role.MERCHANT: "商家",
    Role.STREAMER: "主播",
    Role.ORGANISER: "活动组织者",
    Role.JUDGE: "评委",
    Role.STATION_OPERATOR: "服务站站长",
    Role.INSPECTOR: "抽检员",
    Role.BUYER: "买家",
}


def _password_login(page, username: str, password: str) -> None:
    page.goto("/login/")
    page.fill("#username", username)
    page.fill("#password", password)
    page.click("#password-submit")


@pytest.mark.parametrize("role", list(Role))
def test_each_role_logs_in_and_sees_its_navigation(page, role: Role) -> None:
    user = UserFactory(roles=[role], username=f"e2e-{role.value}", display_name=f"测试{role.label}")
    _password_login(page, user.username, PASSWORD)
    landing = LANDING.get(role, "/account/")
    page.wait_for_url(re.compile(f"{re.escape(landing)}$"))
    expect(page.locator("#main-nav a")).to_have_text(EXPECTED_NAV[role])
    expect(page.locator("#main-nav a[aria-current=page]")).to_have_attribute("href", landing)
    if landing != "/account/":
        page.click('#main-nav a[href="/account/"]')
        page.wait_for_url(re.compile(r"/account/$"))
        expect(page.locator("#main-nav a")).to_have_text(EXPECTED_NAV[role])
    expect(page.locator("#display-name")).to_have_text(user.display_name)
    expect(page.locator(f'#roles [data-role="{role.value}"]')).to_have_text(ROLE_LABELS[role])


def _last_code(sms_sandbox: str, phone: str) -> str:
    messages = requests.get(f"{sms_sandbox}/v1/outbox", params={"to": phone}, timeout=5).json()
    return re.search(r"\d{6}", messages["messages"][0]["text"]).group(0)


def test_buyer_logs_in_by_phone_code_from_the_sms_sandbox(page, sms_sandbox: str) -> None:
    phone = "13700001234"
    requests.delete(f"{sms_sandbox}/v1/outbox", timeout=5)
    page.goto("/login/")
    # The tabs are wired once the page is ready (a click before that changes nothing; a
    # loaded clean-clone run clicked too soon and the phone form stayed hidden).
    expect(page.locator("body")).to_have_attribute("data-ready", "1")
    page.click('[data-tab="phone"]')
    page.fill("#phone", phone)
    page.click("#send-code")
    expect(page.locator("#code-status")).to_contain_text("验证码已发送")
    expect(page.locator("#send-code")).to_be_disabled()
    wrong = "000000" if _last_code(sms_sandbox, phone) != "000000" else "111111"
    for _ in range(3):  # PHONE_CODE_MAX_ATTEMPTS wrong tries burn the code
        page.fill("#code", wrong)
        page.click("#phone-submit")
        expect(page.locator("#phone-submit")).to_be_enabled()
    page.fill("#code", wrong)
    page.click("#phone-submit")
    expect(page.locator("#toast .toast-text")).to_have_text("错误次数过多，请重新获取验证码。")
    # No countdown left: a new code may be asked at once.
    expect(page.locator("#code-status")).to_have_text("这个验证码已失效，请重新获取。")
    expect(page.locator("#send-code")).to_be_enabled()
    expect(page.locator("#send-code")).to_have_text("获取验证码")
    page.click("#send-code")
    expect(page.locator("#code-status")).to_contain_text("验证码已发送")
    page.fill("#code", _last_code(sms_sandbox, phone))
    page.click("#phone-submit")
    page.wait_for_url(re.compile(r"/shop/$"))  # buyers land on the storefront
    page.click('#main-nav a[href="/account/"]')
    page.wait_for_url(re.compile(r"/account/$"))
    expect(page.locator("#phone")).to_have_text("137****1234")
    expect(page.locator('#roles [data-role="buyer"]')).to_have_text("买家")


def test_api_errors_are_shown_to_the_user(page) -> None:
    UserFactory(roles=[Role.MERCHANT], username="e2e-wrong")
    _password_login(page, "e2e-wrong", "not-the-password")
    toast = page.locator("#toast")
    expect(toast).to_be_visible()
    expect(toast.locator(".toast-text")).to_have_text("用户名或密码错误。")
    expect(toast).to_have_attribute("data-code", "auth.invalid_credentials")
    expect(toast).to_be_in_viewport()  # beside the button pressed, not scrolled away
    assert page.url.endswith("/login/")


def test_anonymous_visitor_is_sent_to_login_and_english_is_available(page) -> None:
    page.goto("/account/")
    page.wait_for_url(re.compile(r"/login/\?next=%2Faccount%2F$"))
    expect(page.locator("h1")).to_have_text("登录")
    page.click("#lang-switch")
    expect(page.locator("h1")).to_have_text("Log in")
