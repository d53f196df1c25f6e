"""Each mapped error code -> typed exception, and the gateway's own refusals end to end."""

from __future__ import annotations

import pytest

from shop_connectors.errors import (
    AuthError,
    InvalidRequest,
    NotFound,
    RateLimited,
    RemoteUnavailable,
)
from shop_connectors.jd.requestor import check_result
from shop_connectors.jd.requestor import map_error as jd_map
from shop_connectors.pinduoduo.requestor import map_error as pdd_map
from shop_connectors.taobao.requestor import map_error as top_map
from tests.shop_connectors.conftest import make_client, prepare

TOP_CASES = [
    ({"code": 7, "msg": "App Call Limited",
      "sub_code": "accesscontrol.limited-by-app-api-access-count",
      "sub_msg": "This ban will last for 2 more seconds"}, RateLimited),
    ({"code": 8, "msg": "App Call Exceeds Limited Frequency"}, RateLimited),
    ({"code": 25, "msg": "Invalid Signature"}, AuthError),
    ({"code": 26, "msg": "Missing Session"}, AuthError),
    ({"code": 27, "msg": "Invalid Session", "sub_code": "sessionkey-expired"}, AuthError),
    ({"code": 29, "msg": "Invalid App Key"}, AuthError),
    ({"code": 15, "msg": "Remote service error", "sub_code": "isp.top-remote-connection-timeout",
      "sub_msg": "timeout"}, RemoteUnavailable),
    ({"code": 10, "msg": "Service Currently Unavailable"}, RemoteUnavailable),
    ({"code": 15, "msg": "Remote service error", "sub_code": "isv.trade-not-exist"}, NotFound),
    ({"code": 15, "msg": "Remote service error", "sub_code": "isv.invalid-parameter",
      "sub_msg": "价格不合法"}, InvalidRequest),
    ({"code": 41, "msg": "Invalid Arguments"}, InvalidRequest),
]  # fmt: skip


@pytest.mark.parametrize(("error", "kind"), TOP_CASES)
def test_top_error_codes(error, kind):
    mapped = top_map(error)
    assert type(mapped) is kind
    assert mapped.code == str(error["code"])
    assert mapped.message == (error.get("sub_msg") or error["msg"])


def test_top_rate_limit_carries_the_ban_seconds():
    mapped = top_map(TOP_CASES[0][0])
    assert isinstance(mapped, RateLimited) and mapped.wait == 2.0
    assert top_map({"code": 8, "msg": "x"}).wait == 1.0  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("code", "sub_code", "kind"),
    [
        (52101, "", RateLimited),
        (70031, "", RateLimited),
        (20004, "", AuthError),
        (10019, "", AuthError),
        (52102, "", RemoteUnavailable),
        (52103, "", RemoteUnavailable),
        (10000, "order_not_exist", NotFound),
        (10000, "", InvalidRequest),
        (50000, "", InvalidRequest),
    ],
)
def test_pdd_error_codes(code, sub_code, kind):
    mapped = pdd_map(
        {"error_code": code, "error_msg": "错误", "sub_code": sub_code, "sub_msg": "细节"}
    )
    assert type(mapped) is kind
    assert (mapped.code, mapped.message) == (str(code), "细节")


@pytest.mark.parametrize(
    ("code", "en", "kind"),
    [
        ("2", "App Call Limited", RateLimited),
        ("12", "Invalid Signature", AuthError),
        ("19", "Invalid access_token", AuthError),
        ("21", "Invalid app_key", AuthError),
        ("11", "Missing Signature", InvalidRequest),
        ("8", "Invalid Timestamp", InvalidRequest),
        ("10400002", "sku not exist", NotFound),
    ],
)
def test_jd_error_codes(code, en, kind):
    mapped = jd_map({"code": code, "en_desc": en, "zh_desc": "中文说明"})
    assert type(mapped) is kind
    assert (mapped.code, mapped.message) == (code, "中文说明")


def test_jd_business_errors_inside_the_payload():
    with pytest.raises(NotFound):
        check_result({"apiResult": {"success": False, "englishErrCode": "order not exist"}})
    with pytest.raises(InvalidRequest, match="物流公司不存在"):
        check_result({"success": False, "chineseErrCode": "物流公司不存在", "errorCode": "1"})
    check_result({"apiResult": {"success": True}})


def test_sandbox_limit_answers_with_the_platform_code(sandbox, platform):
    client = make_client(platform, sandbox.base, prepare(sandbox))
    client.requestor.transport.retry = client.requestor.transport.retry.__class__(max_attempts=1)
    sandbox.control("limits", {"default": 1})

    client.couriers_list()
    with pytest.raises(RateLimited) as caught:
        client.couriers_list()

    assert caught.value.code == {"taobao": "7", "pinduoduo": "52101", "jd": "2"}[platform]
    assert caught.value.wait == 1.0


def test_caller_error_carries_the_platform_message(sandboxes):
    sandbox = sandboxes["taobao"]
    client = make_client("taobao", sandbox.base, prepare(sandbox))
    with pytest.raises(InvalidRequest, match="only the last three months"):
        client.requestor.call(
            "taobao.trades.sold.increment.get",
            {"fields": "tid", "start_modified": "2020-01-01 00:00:00",
             "end_modified": "2020-01-01 00:30:00"},
            idempotent=True,
        )  # fmt: skip
