"""Every signature against every worked example in reference/platform-apis.md."""

import pytest

from shop_connectors.jd.requestor import param_json
from shop_connectors.jd.signing import sign_jd
from shop_connectors.pinduoduo.signing import pdd_sign_string, sign_pdd
from shop_connectors.taobao.signing import sign_top, top_sign_string

TOP_PARAMS = {
    "app_key": "test",
    "fields": "nick",
    "format": "xml",
    "method": "taobao.user.seller.get",
    "session": "test",
    "timestamp": "2013-05-06 13:52:03",
    "v": "2.0",
}


def test_top_string_to_sign_matches_the_reference():
    params = {**TOP_PARAMS, "sign_method": "md5"}
    assert "test" + top_sign_string(params) + "test" == (
        "testapp_keytestfieldsnickformatxmlmethodtaobao.user.seller.getsessiontest"
        "sign_methodmd5timestamp2013-05-06 13:52:03v2.0test"
    )


@pytest.mark.parametrize(
    ("sign_method", "expected"),
    [
        ("md5", "72CB4D809B375A54502C09360D879C64"),
        ("hmac", "FA15A9D5B42AB2D6F3397843851ED09A"),
        ("hmac-sha256", "267B9C1C7A2FE1CE413DBB95E596616D32107AE0992BE2C22143CFCE303E8E34"),
    ],
)
def test_top_sign_every_method(sign_method, expected):
    params = {**TOP_PARAMS, "sign_method": sign_method}
    assert sign_top(params, secret="test", sign_method=sign_method) == expected


def test_top_sign_ignores_sign_and_empty_values():
    params = {**TOP_PARAMS, "sign_method": "md5", "sign": "X", "partner_id": ""}
    assert sign_top(params, secret="test", sign_method="md5") == "72CB4D809B375A54502C09360D879C64"


def test_top_sign_rejects_unknown_method():
    with pytest.raises(ValueError):
        sign_top(TOP_PARAMS, secret="test", sign_method="sha1")


PDD_PARAMS = {
    "access_token": "testToken",
    "client_id": "testClientId",
    "data_type": "JSON",
    "order_sn": "231101-123456789012345",
    "timestamp": "1700000000",
    "type": "pdd.order.information.get",
}


def test_pdd_string_to_sign_matches_the_reference():
    assert pdd_sign_string(PDD_PARAMS, secret="testSecret") == (
        "testSecretaccess_tokentestTokenclient_idtestClientIddata_typeJSON"
        "order_sn231101-123456789012345timestamp1700000000typepdd.order.information.gettestSecret"
    )


def test_pdd_sign_matches_the_reference():
    assert sign_pdd(PDD_PARAMS, secret="testSecret") == "616C542385D2F7C1F4131CABCE63C843"


def test_jd_sign_matches_the_reference():
    params = {
        "360buy_param_json": param_json(
            {"order_id": "123456789", "optional_fields": "orderId,orderState"}
        ),
        "access_token": "testToken",
        "app_key": "testAppKey",
        "format": "json",
        "method": "jingdong.pop.order.enGet",
        "timestamp": "2024-01-01 12:00:00",
        "v": "2.0",
    }
    assert (
        params["360buy_param_json"]
        == '{"order_id":"123456789","optional_fields":"orderId,orderState"}'
    )
    assert sign_jd(params, secret="testSecret") == "9EA44D953D1787C736F9C1955E2CCEC1"
