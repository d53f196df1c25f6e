"""Signed-in users and API tokens read from Redis instead of PostgreSQL on each request.

A crowd pressing buy sends thousands of requests a second, each naming a user by session or
token; the rows behind them rarely change. A user is kept without the password hash: its
session-auth hash (the HMAC Django compares with the one in the session) is kept instead,
and the password field stays deferred, so a save through a cached user writes only the
fields it loaded. A token is kept with what deciding on it needs (owner, expiry, revocation).

Every save or delete of a user or a token drops its entry at once (signals, connected in
AccountsConfig.ready) and again when the transaction commits. Nothing read inside a
transaction is stored (it may roll back). Writes that bypass signals (a queryset's
update()) are seen within USER_CACHE_SECONDS.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction

from backend.accounts.models import ApiToken, User

_FIELDS = [f.attname for f in User._meta.concrete_fields if f.attname != "password"]


def _user_key(user_id: int) -> str:
    return f"accounts:user:{user_id}"


def _token_key(token_hash: str) -> str:
    return f"accounts:apitoken:{token_hash}"


def _storable() -> bool:
    return not connection.in_atomic_block


def user_cached(*, user_id: int) -> User | None:
    """The user (password deferred when it came from the cache), or None."""
    found = cache.get(_user_key(user_id))
    if found is not None and found.get("fields") == _FIELDS:
        kept = User.from_db(connection.alias, _FIELDS, found["values"])
        kept.__dict__["_session_auth_hash"] = found["session_auth_hash"]
        return kept
    user = User.objects.filter(pk=user_id).first()
    if user is not None:
        _user_keep(user)
    return user


def _user_keep(user: User) -> None:
    if _storable():
        record = {
            "fields": _FIELDS,
            "values": [getattr(user, name) for name in _FIELDS],
            "session_auth_hash": user.get_session_auth_hash(),
        }
        cache.set(_user_key(user.pk), record, timeout=settings.USER_CACHE_SECONDS)


def token_cached(*, token_hash: str) -> tuple[dict[str, Any], User] | None:
    """The token with this hash ({"pk", "user_id", "expires_at", "revoked_at"}) and its
    user, or None. A token not kept is read with its user in one query, and both are kept."""
    found = cache.get(_token_key(token_hash))
    if found is not None:
        user = user_cached(user_id=found["user_id"])
        return (dict(found), user) if user is not None else None
    token = ApiToken.objects.select_related("user").filter(token_hash=token_hash).first()
    if token is None:
        return None
    row = {
        "pk": token.pk,
        "user_id": token.user_id,
        "expires_at": token.expires_at,
        "revoked_at": token.revoked_at,
    }
    if _storable():
        cache.set(_token_key(token_hash), row, timeout=settings.USER_CACHE_SECONDS)
        _user_keep(token.user)
    return row, token.user


def token_use_due(*, token_id: int) -> bool:
    """True at most once a minute per token: when its last-used stamp may be written."""
    return bool(cache.add(f"accounts:apitoken:{token_id}:used", 1, timeout=60))


def _forget(key: str) -> None:
    cache.delete(key)
    transaction.on_commit(lambda: cache.delete(key))


def user_saved(sender: Any, instance: User, **kwargs: Any) -> None:
    _forget(_user_key(instance.pk))


def token_saved(sender: Any, instance: ApiToken, **kwargs: Any) -> None:
    _forget(_token_key(instance.token_hash))


def token_forget(*, token_hash: str) -> None:
    """After a write that sends no signal (a conditional update)."""
    _forget(_token_key(token_hash))
