"""Django's ModelBackend with the session's user read through user_cache."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend

from backend.accounts.user_cache import user_cached


class CachedModelBackend(ModelBackend):
    """The backend the platform's logins record in the session."""

    def get_user(self, user_id: Any) -> Any:
        try:
            user = user_cached(user_id=int(user_id))
        except (TypeError, ValueError):
            return None
        return user if user is not None and self.user_can_authenticate(user) else None


SESSION_BACKEND = f"{CachedModelBackend.__module__}.{CachedModelBackend.__qualname__}"
