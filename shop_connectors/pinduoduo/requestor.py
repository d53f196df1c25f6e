"""Pinduoduo requestor: common parameters, signing, envelopes and error mapping."""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import requests

from shop_connectors.errors import (
    AuthError,
    ConnectorError,
    InvalidRequest,
    NotFound,
    RateLimited,
    RemoteUnavailable,
)
from shop_connectors.models import AppCredentials
from shop_connectors.pinduoduo.signing import sign_pdd
from shop_connectors.ratelimit import LimitKey
from shop_connectors.transport import HttpCall, Transport
from shop_connectors.wire import JsonDict, json_body, params_text

PLATFORM = "pinduoduo"
_LIMIT_CODES = frozenset({52101, 70031})
_AUTH_CODES = frozenset({10016, 10019, 20004})
_UNAVAILABLE_CODES = frozenset({52102, 52103})

#: PDD response keys are not derived from the API name (pdd-node tables; see docs/decisions).
RESPONSE_KEYS = {
    "pdd.goods.image.upload": "goods_image_upload_response",
    "pdd.goods.spec.id.get": "goods_spec_id_get_response",
    "pdd.goods.add": "goods_add_response",
    "pdd.goods.information.update": "goods_information_update_response",
    "pdd.goods.sku.price.update": "goods_update_sku_price_response",
    "pdd.goods.quantity.update": "goods_quantity_update_response",
    "pdd.goods.sale.status.set": "goods_sale_status_set_response",
    "pdd.goods.list.get": "goods_list_get_response",
    "pdd.order.number.list.increment.get": "order_sn_increment_get_response",
    "pdd.order.information.get": "order_info_get_response",
    "pdd.refund.list.increment.get": "refund_increment_get_response",
    "pdd.logistics.online.send": "logistics_online_send_response",
    "pdd.logistics.companies.get": "logistics_companies_get_response",
    "pdd.time.get": "time_get_response",
    "pdd.goods.authorization.cats": "goods_auth_cats_get_response",
    "pdd.goods.spec.get": "goods_spec_get_response",
    "pdd.goods.cat.rule.get": "cat_rule_get_response",
    "pdd.goods.logistics.template.get": "goods_logistics_template_get_response",
}


@dataclass(frozen=True)
class PddEndpoints:
    gateway: str = "https://gw-api.pinduoduo.com/api/router"
    authorize: str = "https://fuwu.pinduoduo.com/service-market/auth"
    token: str = "https://open-api.pinduoduo.com/oauth/token"

    @classmethod
    def at(cls, base: str) -> PddEndpoints:
        return cls(f"{base}/api/router", f"{base}/service-market/auth", f"{base}/oauth/token")


def map_error(error: Mapping[str, Any]) -> ConnectorError:
    try:
        code = int(error.get("error_code", 0))
    except (TypeError, ValueError):
        code = 0
    sub_code = str(error.get("sub_code") or "")
    message = str(error.get("sub_msg") or error.get("error_msg") or "error")
    text = str(code)
    if code in _LIMIT_CODES:
        return RateLimited(message, wait=1.0, platform=PLATFORM, code=text)
    if code in _UNAVAILABLE_CODES:
        return RemoteUnavailable(
            message, platform=PLATFORM, code=text, sub_code=sub_code, ambiguous=True
        )
    kind: type[ConnectorError] = InvalidRequest
    if code in _AUTH_CODES:
        kind = AuthError
    elif sub_code.endswith("not_exist"):
        kind = NotFound
    return kind(message, platform=PLATFORM, code=text, sub_code=sub_code)


class PddRequestor:
    platform = PLATFORM

    def __init__(
        self,
        *,
        app: AppCredentials,
        shop_id: str,
        access_token: str | None = None,
        endpoints: PddEndpoints | None = None,
        transport: Transport | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.app = app
        self.shop_id = shop_id
        self.access_token = access_token
        self.endpoints = endpoints or PddEndpoints()
        self.transport = transport or Transport()
        self._clock = clock

    def prepare(self, method: str, business: Mapping[str, object]) -> HttpCall:
        params = params_text(business)
        params.update(
            type=method,
            client_id=self.app.app_key,
            timestamp=str(int(self._clock())),
            data_type="JSON",
            version="V1",
        )
        if self.access_token:
            params["access_token"] = self.access_token
        params["sign"] = sign_pdd(params, secret=self.app.app_secret)
        return HttpCall("POST", self.endpoints.gateway, data=params)

    def call(self, method: str, business: Mapping[str, object], *, idempotent: bool) -> JsonDict:
        key = RESPONSE_KEYS[method]

        def parse(response: requests.Response) -> JsonDict:
            body = json_body(response, platform=PLATFORM)
            if "error_response" in body:
                raise map_error(body["error_response"])
            payload = body.get(key)
            if not isinstance(payload, dict):
                raise RemoteUnavailable("no success envelope", platform=PLATFORM, ambiguous=True)
            return payload

        return self.transport.call(
            key=LimitKey(PLATFORM, self.app.app_key, self.shop_id, method),
            idempotent=idempotent,
            prepare=lambda: self.prepare(method, business),
            parse=parse,
        )

    def oauth_token(self, payload: Mapping[str, str]) -> JsonDict:
        def parse(response: requests.Response) -> JsonDict:
            body = json_body(response, platform=PLATFORM)
            if "error_response" in body:
                error = map_error(body["error_response"])
                raise AuthError(error.message, platform=PLATFORM, code=error.code)
            return body

        data = {**payload, "client_id": self.app.app_key, "client_secret": self.app.app_secret}
        return self.transport.call(
            key=LimitKey(PLATFORM, self.app.app_key, self.shop_id, "oauth.token"),
            idempotent=False,
            prepare=lambda: HttpCall("POST", self.endpoints.token, json=data),
            parse=parse,
        )
