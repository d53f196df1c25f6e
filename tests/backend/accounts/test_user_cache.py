"""Signed-in users and API tokens come from Redis after their first request: no query,
yet every save, deletion, revocation and password change is seen at the next request."""

from __future__ import annotations

import pytest
from django.test import Client

from backend.accounts.models import ApiToken, User
from backend.accounts.services import api_token_authenticate, api_token_create
from tests.factories.accounts import PASSWORD

# Not in a test transaction: nothing read inside one is kept (it might roll back).
pytestmark = pytest.mark.django_db(transaction=True)


def _me(client: Client, **headers: str):
    return client.get("/api/v1/auth/me", headers=headers)


def test_a_token_and_its_user_are_read_once(make_user, django_assert_num_queries) -> None:
    user = make_user(username="script-owner")
    _token, raw = api_token_create(user=user, name="ci", expires_in_days=1)
    bearer = {"Authorization": f"Bearer {raw}"}
    assert _me(Client(), **bearer).status_code == 200  # token, user, last-used stamp
    with django_assert_num_queries(0):
        assert api_token_authenticate(raw=raw) == user
    assert ApiToken.objects.get(pk=_token.pk).last_used_at is not None


def test_a_revoked_token_is_refused_at_once(make_user, login_as) -> None:
    user = make_user(username="revoker")
    token, raw = api_token_create(user=user, name="ci", expires_in_days=1)
    bearer = {"Authorization": f"Bearer {raw}"}
    assert _me(Client(), **bearer).status_code == 200
    owner = login_as(user)
    revoked = owner.delete(f"/api/v1/auth/tokens/{token.pk}")
    assert revoked.status_code == 200, revoked.content
    answer = _me(Client(), **bearer)
    assert answer.status_code == 401
    assert answer.json()["error"]["code"] == "auth.token_revoked"


def test_a_deactivated_or_deleted_user_is_out_at_the_next_request(make_user, login_as) -> None:
    user = make_user(username="leaver")
    _token, raw = api_token_create(user=user, name="ci", expires_in_days=1)
    browser = login_as(user)
    assert _me(browser).status_code == 200
    assert _me(Client(), Authorization=f"Bearer {raw}").status_code == 200
    user.display_name = "改名了"
    user.save()
    assert _me(browser).json()["display_name"] == "改名了"
    user.is_active = False
    user.save()
    assert _me(browser).status_code == 401
    assert _me(Client(), Authorization=f"Bearer {raw}").status_code == 401
    User.objects.filter(pk=user.pk).delete()
    assert _me(browser).status_code == 401


def test_a_password_change_ends_other_sessions(make_user, login_as) -> None:
    """The cached user carries the session-auth hash, so a new password (which changes
    that hash) signs out the sessions made with the old one."""
    user = make_user(username="changer")
    phone, laptop = login_as(user), login_as(user)
    assert _me(phone).status_code == _me(laptop).status_code == 200
    user.set_password(PASSWORD + "-new")
    user.save()
    assert _me(phone).status_code == 401
    assert _me(laptop).status_code == 401


def test_a_cached_user_saves_only_what_it_loaded(make_user, login_as) -> None:
    """The password stays deferred on a user from the cache: saving it never writes one."""
    from backend.accounts.user_cache import user_cached

    user = make_user(username="saver")
    login_as(user)
    assert user_cached(user_id=user.pk) is not None
    cached = user_cached(user_id=user.pk)
    assert cached is not None and "password" in cached.get_deferred_fields()
    cached.display_name = "缓存用户"
    cached.save()
    fresh = User.objects.get(pk=user.pk)
    assert fresh.display_name == "缓存用户" and fresh.check_password(PASSWORD)


def test_a_token_seen_first_brings_its_user_as_the_orm_reads_it(
    make_user, django_assert_num_queries
) -> None:
    from django.utils import timezone

    user = make_user(username="first-sight", display_name="初见")
    User.objects.filter(pk=user.pk).update(last_login=timezone.now())
    token, raw = api_token_create(user=user, name="ci", expires_in_days=1)
    with django_assert_num_queries(2) as captured:  # the token with its user; last used
        found = api_token_authenticate(raw=raw)
    assert [q["sql"].split()[0] for q in captured.captured_queries] == ["SELECT", "UPDATE"]
    assert found is not None
    fresh = User.objects.get(pk=user.pk)
    for field in User._meta.concrete_fields:
        assert getattr(found, field.attname) == getattr(fresh, field.attname), field.attname
    assert found.last_login.tzinfo is not None
    assert found.get_session_auth_hash() == fresh.get_session_auth_hash()
    assert ApiToken.objects.get(pk=token.pk).last_used_at is not None
    with django_assert_num_queries(0):  # kept: token and user in one round trip to Redis
        assert api_token_authenticate(raw=raw) == user
