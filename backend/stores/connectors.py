"""The one place that builds a `shop_connectors` client for a platform app or a store.

Every worker shares the rate buckets through Redis (`RedisRateLimiter`), so N workers never
call a shop faster than the app's `calls_per_second`; a platform's own ban is shared too.
"""

from __future__ import annotations

from django.conf import settings

from backend.common.redis_client import redis_client
from backend.stores.models import Platform, PlatformApp, Store
from shop_connectors.interface import Connector
from shop_connectors.jd.client import JdClient
from shop_connectors.jd.requestor import JdEndpoints, JdRequestor
from shop_connectors.models import AppCredentials
from shop_connectors.pinduoduo.client import PddClient
from shop_connectors.pinduoduo.requestor import PddEndpoints, PddRequestor
from shop_connectors.ratelimit import NoLimit, Rate, RateLimiter, RateTable, RedisRateLimiter
from shop_connectors.taobao.client import TaobaoClient
from shop_connectors.taobao.requestor import TaobaoEndpoints, TaobaoRequestor
from shop_connectors.transport import RetryPolicy, Transport

CALLBACK_PATH = "/api/v1/stores/oauth/callback"


def _limiter(app: PlatformApp) -> RateLimiter:
    if not app.calls_per_second:
        return NoLimit()
    rates = RateTable(default=Rate(per_second=app.calls_per_second))
    return RedisRateLimiter(redis_client(), rates, prefix=f"{settings.REDIS_PREFIX}:stores:rl:")


def _transport(app: PlatformApp) -> Transport:
    connect, read = settings.STORES_HTTP_TIMEOUT
    retry = RetryPolicy(
        max_attempts=settings.STORES_RETRY_ATTEMPTS,
        backoff_base=settings.STORES_RETRY_BACKOFF_SECONDS,
        backoff_cap=settings.STORES_RETRY_BACKOFF_SECONDS * 16,
    )
    return Transport(timeout=(connect, read), retry=retry, limiter=_limiter(app))


def connector(*, app: PlatformApp, shop_id: str = "", access_token: str | None = None) -> Connector:
    credentials = AppCredentials(
        app.app_key, app.app_secret, redirect_uri=f"{settings.SITE_URL}{CALLBACK_PATH}"
    )
    base = app.endpoint_base.rstrip("/")
    transport = _transport(app)
    if app.platform == Platform.TAOBAO:
        return TaobaoClient(
            TaobaoRequestor(
                app=credentials,
                shop_id=shop_id,
                access_token=access_token,
                endpoints=TaobaoEndpoints.at(base) if base else TaobaoEndpoints(),
                transport=transport,
            )
        )
    if app.platform == Platform.PINDUODUO:
        return PddClient(
            PddRequestor(
                app=credentials,
                shop_id=shop_id,
                access_token=access_token,
                endpoints=PddEndpoints.at(base) if base else PddEndpoints(),
                transport=transport,
            )
        )
    return JdClient(
        JdRequestor(
            app=credentials,
            shop_id=shop_id,
            access_token=access_token,
            endpoints=JdEndpoints.at(base) if base else JdEndpoints(),
            transport=transport,
        )
    )


def store_connector(*, store: Store) -> Connector:
    return connector(app=store.app, shop_id=store.shop_id, access_token=store.access_token)
