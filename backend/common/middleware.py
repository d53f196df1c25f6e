"""Request middleware of the platform."""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from contextlib import nullcontext

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.deprecation import MiddlewareMixin

from backend.common import registry

_TOUCHED = "_idle_touched"


class SessionIdleMiddleware(MiddlewareMixin):
    """A signed-in session expires SESSION_COOKIE_AGE seconds after its last request (idle
    time, not time since login). Touching the session makes Django save it with a fresh
    expiry; that write happens at most once a minute (or a tenth of a short limit), and on
    the login request itself it rides along with the save Django makes anyway."""

    def process_response(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        session = getattr(request, "session", None)
        # A session nobody looked at (a token request, a static file) is left alone.
        if session is None or not session.accessed or SESSION_KEY not in session:
            return response
        now = int(time.time())
        renew_every = min(60, settings.SESSION_COOKIE_AGE // 10)
        if now - int(session.get(_TOUCHED, 0)) >= renew_every:
            session[_TOUCHED] = now
        return response


class EarlyAnswerMiddleware:
    """Answers the requests apps declared with `app.early(...)` before the rest of the
    middleware runs (placed right after SecurityMiddleware, so its headers still apply).
    A crowd pressing buy on a sold-out flash sale costs one Redis read each, not a session
    load, a sign-in and a CSRF check; a storefront read found in the cache is sent as it
    was stored. Other requests pay one dictionary lookup."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.routes: dict[str, list[tuple[re.Pattern[str], registry.EarlyAnswer]]] = {}
        for spec in registry.early_answers():
            self.routes.setdefault(spec.method, []).append((re.compile(spec.pattern), spec))

    def __call__(self, request: HttpRequest) -> HttpResponse:
        for pattern, spec in self.routes.get(request.method or "", ()):
            found = pattern.fullmatch(request.path_info)
            if found is None:
                continue
            # A localised answer speaks the language LocaleMiddleware would pick.
            language = (
                translation.override(translation.get_language_from_request(request))
                if spec.localised
                else nullcontext()
            )
            with language:
                response = spec.answer(request, **found.groupdict())
            if isinstance(response, HttpResponse):
                return response
        return self.get_response(request)
