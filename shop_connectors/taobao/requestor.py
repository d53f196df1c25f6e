"""TOP requestor: system parameters, signing, envelope parsing and error mapping."""

from __future__ import annotations

import re
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
from shop_connectors.models import CST, AppCredentials, cst_format
from shop_connectors.ratelimit import LimitKey
from shop_connectors.taobao.signing import sign_top
from shop_connectors.transport import HttpCall, Transport
from shop_connectors.wire import JsonDict, json_body, params_text

PLATFORM = "taobao"
_BAN = re.compile(r"(\d+(?:\.\d+)?) more seconds")
_AUTH_CODES = frozenset({"11", "12", "25", "26", "27", "28", "29"})
_LIMIT_CODES = frozenset({"7", "8"})


@dataclass(frozen=True)
class TaobaoEndpoints:
    gateway: str = "https://eco.taobao.com/router/rest"
    authorize: str = "https://oauth.taobao.com/authorize"
    token: str = "https://oauth.taobao.com/token"

    @classmethod
    def at(cls, base: str) -> TaobaoEndpoints:
        """Endpoints of a sandbox (or proxy) serving the same paths under `base`."""
        return cls(f"{base}/router/rest", f"{base}/authorize", f"{base}/token")


def map_error(error: Mapping[str, Any]) -> ConnectorError:
    code = str(error.get("code", ""))
    sub_code = str(error.get("sub_code") or "")
    message = str(error.get("sub_msg") or error.get("msg") or "error")
    if code in _LIMIT_CODES or sub_code.startswith("accesscontrol."):
        match = _BAN.search(message)
        wait = float(match.group(1)) if match else 1.0
        return RateLimited(message, wait=wait, platform=PLATFORM, code=code)
    kind: type[ConnectorError] = InvalidRequest
    if code in _AUTH_CODES:
        kind = AuthError
    elif sub_code.startswith("isv.") and ("not-exist" in sub_code or "not-found" in sub_code):
        kind = NotFound
    elif sub_code.startswith("isp.") or code == "10":
        return RemoteUnavailable(
            message, platform=PLATFORM, code=code, sub_code=sub_code, ambiguous=True
        )
    return kind(message, platform=PLATFORM, code=code, sub_code=sub_code)


def success_key(method: str) -> str:
    """`taobao.trades.sold.increment.get` -> `trades_sold_increment_get_response`."""
    name = method.removeprefix("taobao.")
    return name.replace(".", "_") + "_response"


class TaobaoRequestor:
    platform = PLATFORM

    def __init__(
        self,
        *,
        app: AppCredentials,
        shop_id: str,
        access_token: str | None = None,
        endpoints: TaobaoEndpoints | None = None,
        transport: Transport | None = None,
        sign_method: str = "md5",
        clock: Callable[[], datetime] = lambda: datetime.now(CST),
    ) -> None:
        self.app = app
        self.shop_id = shop_id
        self.access_token = access_token
        self.endpoints = endpoints or TaobaoEndpoints()
        self.transport = transport or Transport()
        self.sign_method = sign_method
        self._clock = clock

    def system_params(self, method: str) -> dict[str, str]:
        params = {
            "method": method,
            "app_key": self.app.app_key,
            "timestamp": cst_format(self._clock()),
            "v": "2.0",
            "sign_method": self.sign_method,
            "format": "json",
        }
        if self.access_token:
            params["session"] = self.access_token
        return params

    def prepare(self, method: str, business: Mapping[str, object]) -> HttpCall:
        system = self.system_params(method)
        body = params_text(business)
        system["sign"] = sign_top(
            {**body, **system}, secret=self.app.app_secret, sign_method=self.sign_method
        )
        # Everything goes in the form body: query strings end up in HTTP debug logs.
        return HttpCall("POST", self.endpoints.gateway, data={**body, **system})

    def call(self, method: str, business: Mapping[str, object], *, idempotent: bool) -> JsonDict:
        def parse(response: requests.Response) -> JsonDict:
            body = json_body(response, platform=PLATFORM)
            if "error_response" in body:
                raise map_error(body["error_response"])
            payload = body.get(success_key(method))
            if not isinstance(payload, dict):
                raise RemoteUnavailable("no success envelope", platform=PLATFORM, ambiguous=True)
            return payload

        return self.transport.call(
            key=LimitKey(PLATFORM, self.app.app_key, self.shop_id, method),
            idempotent=idempotent,
            prepare=lambda: self.prepare(method, business),
            parse=parse,
        )

    def oauth_token(self, form: Mapping[str, str]) -> JsonDict:
        """POST to the OAuth token endpoint; errors are `{"error", "error_description"}`."""

        def parse(response: requests.Response) -> JsonDict:
            if response.status_code in (400, 401):
                body = json_body_any(response)
                raise AuthError(
                    str(body.get("error_description") or body.get("error") or "oauth error"),
                    platform=PLATFORM,
                    code=str(body.get("error", "")),
                )
            return json_body(response, platform=PLATFORM)

        data = {
            **form,
            "client_id": self.app.app_key,
            "client_secret": self.app.app_secret,
            "redirect_uri": self.app.redirect_uri,
        }
        return self.transport.call(
            key=LimitKey(PLATFORM, self.app.app_key, self.shop_id, "oauth.token"),
            idempotent=False,
            prepare=lambda: HttpCall("POST", self.endpoints.token, data=data),
            parse=parse,
        )


def json_body_any(response: requests.Response) -> JsonDict:
    try:
        body = response.json()
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}
