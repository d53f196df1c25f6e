"""The one NinjaAPI of the platform, mounted at /api/v1/ (docs at /api/docs)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.middleware.csrf import get_token
from ninja import NinjaAPI, Schema

from backend.accounts.api import router as accounts_router
from backend.accounts.auth import api_auth
from backend.catalog.api import router as catalog_router
from backend.catalog.api_shop import router as shop_router
from backend.common.exceptions import install_exception_handlers
from backend.geo.api import router as geo_router
from backend.orders.api import notify_router
from backend.orders.api import router as orders_router
from backend.plan.api import router as plan_router

api = NinjaAPI(
    title="沁水电商直播与网店运营平台 API",
    version="1",
    auth=api_auth,
    urls_namespace="api-v1",
    docs_url="/docs",
)
install_exception_handlers(api)
api.add_router("/", accounts_router)
api.add_router("/geo", geo_router)
api.add_router("/plan", plan_router)
api.add_router("/catalog", catalog_router)
api.add_router("/shop", shop_router)
api.add_router("/orders", orders_router)
api.add_router("/payments", notify_router)


class PublicConfig(Schema):
    platform_name: str
    version: str
    languages: list[dict[str, str]]
    default_language: str
    time_zone: str
    currency: str
    phone_code_resend_seconds: int
    csrf_token: str


@api.get("/config", auth=None, response=PublicConfig, tags=["platform"])
def public_config(request: HttpRequest) -> Any:
    return PublicConfig(
        platform_name=settings.PLATFORM_NAME,
        version=settings.PLATFORM_VERSION,
        languages=[{"code": code, "name": name} for code, name in settings.LANGUAGES],
        default_language=settings.LANGUAGE_CODE,
        time_zone=settings.TIME_ZONE,
        currency="CNY",
        phone_code_resend_seconds=settings.PHONE_CODE_RESEND_SECONDS,
        csrf_token=get_token(request),
    )
