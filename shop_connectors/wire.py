"""Small wire helpers the three requestors share (never used by the sandbox)."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Hashable, Mapping
from datetime import datetime
from decimal import Decimal
from typing import Any, TypeVar

import requests

from shop_connectors.errors import InvalidRequest, RemoteUnavailable
from shop_connectors.models import AfterSaleStatus, Item, OrderStatus, cst_format, yuan

T = TypeVar("T")
K = TypeVar("K", bound=Hashable)
log = logging.getLogger("shop_connectors.orders")
JsonDict = dict[str, Any]


def param_text(value: object) -> str:
    """A business parameter as the platforms sign and send it."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return str(yuan(value))
    if isinstance(value, datetime):
        return cst_format(value)
    if isinstance(value, dict | list | tuple):
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"), default=str)
    return str(value)


def params_text(params: Mapping[str, object]) -> dict[str, str]:
    return {key: param_text(value) for key, value in params.items() if value is not None}


def json_body(response: requests.Response, *, platform: str) -> JsonDict:
    """Parse a body with exact decimals; a non-200 or non-JSON reply is a transport fault."""
    if response.status_code != 200:
        raise RemoteUnavailable(
            f"HTTP {response.status_code}", platform=platform, code=str(response.status_code)
        )
    try:
        body = json.loads(response.content.decode("utf-8"), parse_float=Decimal)
    except (ValueError, UnicodeDecodeError):
        raise RemoteUnavailable("unparseable body", platform=platform, ambiguous=True) from None
    if not isinstance(body, dict):
        raise RemoteUnavailable("unexpected body", platform=platform, ambiguous=True)
    return body


def nested_list(container: JsonDict, outer: str, inner: str) -> list[JsonDict]:
    """TOP nests lists one level deeper (`trades.trade[]`); an empty list may be absent."""
    value = container.get(outer) or {}
    if isinstance(value, list):
        return value
    items = value.get(inner) or []
    return list(items)


def reconciled(write: Callable[[], T], lookup: Callable[[], T | None], *, attempts: int = 3) -> T:
    """Run a non-idempotent write; after an ambiguous failure look the result up first and
    only write again when the lookup proves the first attempt did not land."""
    for attempt in range(attempts):
        try:
            return write()
        except RemoteUnavailable as error:
            if not error.ambiguous or attempt + 1 == attempts:
                raise
            found = lookup()
            if found is not None:
                return found
    raise AssertionError("unreachable")


def item_remote_id(item: Item, *, platform: str) -> str:
    """The platform's id of a published item; an unpublished one is the caller's error."""
    if item.remote_id is None:
        raise InvalidRequest("item is not published", platform=platform)
    return item.remote_id


def sku_remote_id(item: Item, outer_id: str, *, platform: str, id_name: str) -> str:
    """The platform's id (`id_name` in its own words) of one SKU of a published item."""
    remote = item.sku(outer_id).remote_id
    if remote is None:
        raise InvalidRequest(f"SKU {outer_id} has no {id_name}", platform=platform)
    return remote


def order_status(
    known: Mapping[K, OrderStatus], remote: K, *, platform: str, order_id: str
) -> OrderStatus:
    """The platform's status mapped; one this client does not know is UNKNOWN (never
    shippable) and logged, so that the mapping gets extended rather than guessed."""
    status = known.get(remote)
    if status is None:
        log.warning(
            "%s order %s has a status this client does not know: %r", platform, order_id, remote
        )
        return OrderStatus.UNKNOWN
    return status


def after_sale_status(
    known: Mapping[K, AfterSaleStatus], remote: K, *, platform: str, refund_id: str
) -> AfterSaleStatus:
    status = known.get(remote)
    if status is None:
        log.warning("%s refund %s has an unknown status: %r", platform, refund_id, remote)
        return AfterSaleStatus.UNKNOWN
    return status


def shipment_landed(status: OrderStatus) -> bool | None:
    """After an ambiguous shipment failure: True when the order's status shows the shipment
    landed, None when it does not (still awaiting, or a status we cannot read)."""
    if status in (OrderStatus.AWAITING_SHIPMENT, OrderStatus.UNKNOWN):
        return None
    return True
