"""The storefront's public reads, kept in Redis as the JSON bytes they answer with.

A crowd opening one product card reads it thousands of times between two changes. Each
answer is stored with the version it was built under: a product's detail its own version,
the product lists one shared generation. A change bumps the version (handlers.py, on
`product.updated` and on a `sku.stock_changed` that changes what the storefront shows); a
read fetches the version and the answer in one round trip and uses the answer only if the
versions agree. So an answer built from rows read before a change never outlives the bump;
the TTL only bounds what a lost event could leave behind.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.cache import cache

_LIST_GENERATION = "shop:products:gen"


def _product_version_key(product_id: int) -> str:
    return f"shop:product:{product_id}:ver"


@dataclass(frozen=True)
class CachedJson:
    body: bytes
    etag: str


def _bump(key: str) -> None:
    cache.add(key, 0, timeout=None)
    cache.incr(key)


def _lookup(key: str, version_key: str) -> tuple[CachedJson | None, int]:
    """(the stored answer if built under the current version, that version)."""
    found = cache.get_many([version_key, key])
    version = int(found.get(version_key) or 0)
    hit = found.get(key)
    if hit is not None and hit[0] == version:
        return CachedJson(hit[1], hit[2]), version
    return None, version


def _get_or_build(key: str, version_key: str, build: Callable[[], bytes]) -> CachedJson:
    hit, version = _lookup(key, version_key)
    if hit is not None:
        return hit
    body = build()
    etag = '"' + hashlib.blake2b(body, digest_size=12).hexdigest() + '"'
    cache.set(key, (version, body, etag), timeout=settings.SHOP_CACHE_SECONDS)
    return CachedJson(body, etag)


def product_json(*, product_id: int, build: Callable[[], bytes]) -> CachedJson:
    return _get_or_build(f"shop:product:{product_id}", _product_version_key(product_id), build)


def product_cached(*, product_id: int) -> CachedJson | None:
    """The product's answer if the cache holds a current one (nothing is built)."""
    return _lookup(f"shop:product:{product_id}", _product_version_key(product_id))[0]


def _list_key(params: dict[str, Any]) -> str:
    canonical = json.dumps(params, sort_keys=True, default=str, ensure_ascii=False)
    return "shop:products:" + hashlib.blake2b(canonical.encode(), digest_size=12).hexdigest()


def products_json(*, params: dict[str, Any], build: Callable[[], bytes]) -> CachedJson:
    """One list page (filters, limit, offset)."""
    return _get_or_build(_list_key(params), _LIST_GENERATION, build)


def products_cached(*, params: dict[str, Any]) -> CachedJson | None:
    """The list page's answer if the cache holds a current one (nothing is built)."""
    return _lookup(_list_key(params), _LIST_GENERATION)[0]


def product_changed(*, product_id: int, lists_too: bool) -> None:
    """Drop the product's cached detail, and every cached list page when asked."""
    _bump(_product_version_key(product_id))
    if lists_too:
        _bump(_LIST_GENERATION)
