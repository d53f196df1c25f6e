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
from backend.common.prepared import prepared_cursor, quoted, table

_FIELDS = [f.attname for f in User._meta.concrete_fields if f.attname != "password"]
_ALL_FIELDS = [f.attname for f in User._meta.concrete_fields]


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


def _user_record(user: User) -> dict[str, Any]:
    return {
        "fields": _FIELDS,
        "values": [getattr(user, name) for name in _FIELDS],
        "session_auth_hash": user.get_session_auth_hash(),
    }


def _user_keep(user: User) -> None:
    if _storable():
        cache.set(_user_key(user.pk), _user_record(user), timeout=settings.USER_CACHE_SECONDS)


# A token not kept is read with its user by one prepared statement (a crowd's first
# checkouts each name a token no process has seen yet; the ORM compiled this per request).
_TOKEN_SQL = (
    "SELECT t.id, t.expires_at, t.revoked_at, "  # noqa: S608 (names from the models)
    + ", ".join(f"u.{quoted(f.column)}" for f in User._meta.concrete_fields)
    + f" FROM {table(ApiToken)} t JOIN {table(User)} u ON u.id = t.user_id"
    " WHERE t.token_hash = %s"
)


def _token_read(token_hash: str) -> tuple[dict[str, Any], User] | None:
    if connection.vendor != "postgresql":  # SQLite's datetimes need the ORM's converters
        token = ApiToken.objects.select_related("user").filter(token_hash=token_hash).first()
        if token is None:
            return None
        kept: dict[str, Any] = {"pk": token.pk, "user_id": token.user_id}
        kept.update(expires_at=token.expires_at, revoked_at=token.revoked_at)
        return kept, token.user
    with prepared_cursor() as cursor:
        cursor.execute(_TOKEN_SQL, [token_hash])
        found = cursor.fetchone()
    if found is None:
        return None
    pk, expires_at, revoked_at, *values = found
    user = User.from_db(connection.alias, _ALL_FIELDS, values)
    row: dict[str, Any] = {"pk": pk, "user_id": user.pk}
    row.update(expires_at=expires_at, revoked_at=revoked_at)
    return row, user


def token_cached(*, token_hash: str) -> tuple[dict[str, Any], User] | None:
    """The token with this hash ({"pk", "user_id", "expires_at", "revoked_at"}) and its
    user, or None. A token not kept is read with its user in one query, and both are kept."""
    found = cache.get(_token_key(token_hash))
    if found is not None:
        user = user_cached(user_id=found["user_id"])
        return (dict(found), user) if user is not None else None
    read = _token_read(token_hash)
    if read is None:
        return None
    row, user = read
    if _storable():
        kept = {_token_key(token_hash): row, _user_key(user.pk): _user_record(user)}
        cache.set_many(kept, timeout=settings.USER_CACHE_SECONDS)  # one round trip
    return row, user


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
