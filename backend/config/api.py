"""The one NinjaAPI of the platform, mounted at /api/v1/ (docs at /api/docs)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.middleware.csrf import get_token
from django.utils.translation import get_language
from ninja import Field, NinjaAPI, Schema

from backend.accounts.auth import api_auth
from backend.common import navigation, registry
from backend.common.exceptions import install_exception_handlers
from backend.common.parser import ApiParser
from backend.common.renderer import ApiRenderer

api = NinjaAPI(
    title="沁水电商直播与网店运营平台 API",
    version="1",
    auth=api_auth,
    urls_namespace="api-v1",
    docs_url="/docs",
    parser=ApiParser(),
    renderer=ApiRenderer(),
)
install_exception_handlers(api)
# Every app's routers, as the apps declared them (declare.py).
for spec in registry.routers():
    api.add_router(spec.prefix, spec.router)


class PublicConfig(Schema):
    platform_name: str
    version: str
    languages: list[dict[str, str]]
    default_language: str
    time_zone: str
    currency: str
    phone_code_resend_seconds: int
    hls_base_url: str = Field(
        ..., description="Where players fetch public live HLS: {hls_base_url}/{public_id}/..."
    )
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
        hls_base_url=settings.STREAMING_HLS_BASE_URL.rstrip("/"),
        csrf_token=get_token(request),
    )


class NavItemOut(Schema):
    path: str
    label: str
    external: bool


class NavOut(Schema):
    items: list[NavItemOut]
    landing: str | None


@api.get("/nav", auth=None, response=NavOut, tags=["platform"])
def nav(request: HttpRequest) -> Any:
    """The navigation of the signed-in user (or the visitor), from the apps' pages."""
    lang = get_language() or settings.LANGUAGE_CODE
    return NavOut(
        items=[NavItemOut(**vars(item)) for item in navigation.nav_for(request.user, lang=lang)],
        landing=navigation.landing_for(request.user),
    )
