"""The API's authentication: a Bearer API token, or the browser session with CSRF."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja.security import APIKeyCookie, HttpBearer
from ninja.utils import check_csrf

from backend.accounts.models import User
from backend.accounts.services import api_token_authenticate
from backend.common.errors import DomainError, ErrorCode
from backend.common.permissions import require_authenticated

_SAFE_METHODS = {"GET", "HEAD", "OPTIONS", "TRACE"}


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = api_token_authenticate(raw=token)
        if user is not None:
            request.user = user
        return user


class SessionAuth(APIKeyCookie):
    """Django's session; unsafe methods must carry the CSRF token (X-CSRFToken)."""

    param_name = settings.SESSION_COOKIE_NAME

    def __init__(self) -> None:
        super().__init__(csrf=False)

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        if request.method not in _SAFE_METHODS and check_csrf(request) is not None:
            raise DomainError(
                _("CSRF check failed; reload the page."), code=ErrorCode.CSRF_FAILED, status=403
            )
        return user


# Bearer first: a script's token must not be judged by the cookie rules.
api_auth = [TokenAuth(), SessionAuth()]


def request_user(request: HttpRequest) -> User:
    """The signed-in user of an API request (401 when there is none)."""
    user = request.user
    require_authenticated(user)
    assert isinstance(user, User)
    return user
