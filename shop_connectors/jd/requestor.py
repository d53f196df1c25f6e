"""JD requestor: system parameters, `360buy_param_json`, signing, "responce" envelopes."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
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
from shop_connectors.jd.signing import sign_jd
from shop_connectors.models import CST, AppCredentials, cst_format
from shop_connectors.ratelimit import LimitKey
from shop_connectors.transport import HttpCall, Transport
from shop_connectors.wire import JsonDict, json_body

PLATFORM = "jd"
_AUTH_CODES = frozenset({"12", "19", "21"})


@dataclass(frozen=True)
class JdEndpoints:
    gateway: str = "https://api.jd.com/routerjson"
    oauth: str = "https://open-oauth.jd.com"

    @classmethod
    def at(cls, base: str) -> JdEndpoints:
        return cls(f"{base}/routerjson", base)


def map_error(error: Mapping[str, Any]) -> ConnectorError:
    code = str(error.get("code", ""))
    message = str(error.get("zh_desc") or error.get("en_desc") or "error")
    english = str(error.get("en_desc") or "").lower()
    if code == "2":
        return RateLimited(message, wait=1.0, platform=PLATFORM, code=code)
    kind: type[ConnectorError] = InvalidRequest
    if code in _AUTH_CODES:
        kind = AuthError
    elif "not exist" in english:
        kind = NotFound
    elif "service unavailable" in english:
        return RemoteUnavailable(message, platform=PLATFORM, code=code, ambiguous=True)
    return kind(message, platform=PLATFORM, code=code)


def check_result(result: Mapping[str, Any]) -> None:
    """Order methods report business errors inside the payload (`apiResult` or flat)."""
    api = result.get("apiResult", result)
    if api.get("success", True) in (True, "true"):
        return
    english = str(api.get("englishErrCode") or "")
    message = str(api.get("chineseErrCode") or english or "error")
    code = str(api.get("numberCode") or api.get("errorCode") or "")
    kind = NotFound if "not exist" in english.lower() else InvalidRequest
    raise kind(message, platform=PLATFORM, code=code)


def param_json(business: Mapping[str, object]) -> str:
    return json.dumps(business, ensure_ascii=False, separators=(",", ":"), default=str)


class JdRequestor:
    platform = PLATFORM

    def __init__(
        self,
        *,
        app: AppCredentials,
        shop_id: str,
        access_token: str | None = None,
        endpoints: JdEndpoints | None = None,
        transport: Transport | None = None,
        clock: Callable[[], datetime] = lambda: datetime.now(CST),
    ) -> None:
        self.app = app
        self.shop_id = shop_id
        self.access_token = access_token
        self.endpoints = endpoints or JdEndpoints()
        self.transport = transport or Transport()
        self._clock = clock

    def prepare(self, method: str, business: Mapping[str, object]) -> HttpCall:
        body = {"360buy_param_json": param_json(business)}
        system = {
            "method": method,
            "app_key": self.app.app_key,
            "timestamp": cst_format(self._clock()),
            "v": "2.0",
            "format": "json",
        }
        if self.access_token:
            system["access_token"] = self.access_token
        system["sign"] = sign_jd({**system, **body}, secret=self.app.app_secret)
        # Everything goes in the form body: query strings end up in HTTP debug logs.
        return HttpCall("POST", self.endpoints.gateway, data={**body, **system})

    def call(self, method: str, business: Mapping[str, object], *, idempotent: bool) -> JsonDict:
        key = method.replace(".", "_") + "_responce"

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

    def oauth_token(self, path: str, params: Mapping[str, str]) -> JsonDict:
        def parse(response: requests.Response) -> JsonDict:
            body = json_body(response, platform=PLATFORM)
            if str(body.get("code", "0")) != "0" or "access_token" not in body:
                message = str(body.get("msg") or "oauth error")
                raise AuthError(message, platform=PLATFORM, code=str(body.get("code", "")))
            return body

        query = {**params, "app_key": self.app.app_key, "app_secret": self.app.app_secret}
        return self.transport.call(
            key=LimitKey(PLATFORM, self.app.app_key, self.shop_id, "oauth.token"),
            idempotent=False,
            prepare=lambda: HttpCall("POST", f"{self.endpoints.oauth}{path}", data=query),
            parse=parse,
        )
