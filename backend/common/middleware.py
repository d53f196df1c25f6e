"""Request middleware of the platform."""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.http import HttpRequest, HttpResponse
from django.utils.deprecation import MiddlewareMixin

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
