"""Every write to users, organisations, roles and API tokens."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from axes.utils import reset as axes_reset
from django.contrib.auth import authenticate
from django.contrib.auth.models import Group, Permission
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from backend.accounts.errors import AccountErrorCode
from backend.accounts.lockout import locked_out
from backend.accounts.models import ApiToken, Membership, Organisation, User
from backend.accounts.roles import Role
from backend.accounts.user_cache import token_cached, token_forget, token_use_due
from backend.common import registry
from backend.common.errors import Conflict, DomainError, NotFound
from backend.common.prepared import prepared_cursor, table


def roles_sync(*, using: str = "default") -> None:
    """Make every declared role's group hold exactly the permissions the apps grant it."""
    for role, perms in registry.role_permissions().items():
        group, _created = Group.objects.using(using).get_or_create(name=role)
        wanted = []
        for dotted in sorted(perms):
            app_label, codename = dotted.split(".")
            wanted.append(
                Permission.objects.using(using).get(
                    content_type__app_label=app_label, codename=codename
                )
            )
        group.permissions.set(wanted)


def user_create(
    *,
    username: str,
    password: str | None,
    roles: list[Role],
    phone: str | None = None,
    display_name: str = "",
) -> User:
    with transaction.atomic():
        user = User(username=username, phone=phone, display_name=display_name)
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.is_staff = Role.PLATFORM_ADMIN in roles or Role.OFFICE_STAFF in roles
        user.full_clean(exclude=["password"])
        user.save()
        user_set_roles(user=user, roles=roles)
    return user


def user_set_roles(*, user: User, roles: list[Role]) -> None:
    user.groups.set(Group.objects.filter(name__in=[r.value for r in roles]))


def user_login(*, request: HttpRequest, username: str, password: str) -> User:
    """Check a password login. django-axes, the first authentication backend, counts the
    failures of this account at this address and refuses the pair once locked out."""
    user = authenticate(request, username=username, password=password)
    if getattr(request, "axes_locked_out", False):
        raise locked_out(request=request, username=username)
    if user is None:
        raise DomainError(
            _("Wrong username or password."), code=AccountErrorCode.INVALID_CREDENTIALS, status=401
        )
    assert isinstance(user, User)
    return user


def user_logins_unlock(*, user: User) -> int:
    """Lift every login lock-out of this account, from any address (the user admin's action).
    Returns how many counted attempts were cleared."""
    names = [name for name in (user.username, user.phone) if name]
    return sum(axes_reset(username=name) for name in names)


def user_change_password(*, user: User, old_password: str, new_password: str) -> User:
    if not user.check_password(old_password):
        raise DomainError(
            _("The current password is wrong."),
            code=AccountErrorCode.INVALID_CREDENTIALS,
            status=400,
        )
    return user_set_password(user=user, new_password=new_password)


def user_set_password(*, user: User, new_password: str) -> User:
    """Set a password that passes Django's validators (their reasons go in `extra`)."""
    try:
        validate_password(new_password, user=user)
    except ValidationError as exc:
        raise DomainError(
            _("The new password is not strong enough."),
            code=AccountErrorCode.PASSWORD_INVALID,
            extra={"reasons": list(exc.messages)},
        ) from exc
    user.set_password(new_password)
    user.save(update_fields=["password"])
    return user


def buyer_get_or_create_by_phone(*, phone: str) -> User:
    user = User.objects.filter(phone=phone).first()
    if user is not None:
        return user
    # The username is random: ledgers and member lists show it, the phone must not show.
    username = f"buyer_{secrets.token_hex(5)}"
    try:
        return user_create(username=username, password=None, roles=[Role.BUYER], phone=phone)
    except IntegrityError:
        # Two first logins raced; the other one created the buyer.
        return User.objects.get(phone=phone)


def _token_hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def api_token_create(*, user: User, name: str, expires_in_days: int | None) -> tuple[ApiToken, str]:
    """Create a token; returns the row and the raw token, which is never stored."""
    prefix = secrets.token_hex(4)
    raw = f"qs_{prefix}_{secrets.token_urlsafe(32)}"
    expires_at = timezone.now() + timedelta(days=expires_in_days) if expires_in_days else None
    token = ApiToken.objects.create(
        user=user, name=name, prefix=prefix, token_hash=_token_hash(raw), expires_at=expires_at
    )
    return token, raw


def api_token_revoke(*, user: User, token_id: int) -> ApiToken:
    token = ApiToken.objects.filter(pk=token_id, user=user).first()
    if token is None:
        raise NotFound()
    ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())
    token_forget(token_hash=token.token_hash)
    token.refresh_from_db()
    return token


def api_token_authenticate(*, raw: str) -> User | None:
    """The token's user, from the cache when it can (user_cache): no query for a token and
    a user seen in the last minute."""
    found = token_cached(token_hash=_token_hash(raw))
    if found is None:
        return None
    token, user = found
    now = timezone.now()
    if token["revoked_at"] is not None or (token["expires_at"] and token["expires_at"] <= now):
        raise DomainError(
            _("This API token has been revoked or has expired."),
            code=AccountErrorCode.TOKEN_REVOKED,
            status=401,
        )
    if not user.is_active:
        return None
    # Written at most once a minute per token: a busy script must not write (or even send
    # an UPDATE) on every call; the condition keeps concurrent calls to one write.
    if token_use_due(token_id=token["pk"]):
        stamp = connection.ops.adapt_datetimefield_value  # as the ORM writes it (SQLite: text)
        with prepared_cursor() as cursor:
            cursor.execute(
                _TOKEN_USED_SQL,
                [stamp(now), token["pk"], stamp(now - timedelta(minutes=1))],
            )
    return user


# Prepared: a crowd's first requests each write one (the ORM compiled it per request).
_TOKEN_USED_SQL = (
    f"UPDATE {table(ApiToken)} "  # noqa: S608 (the model's table)
    "SET last_used_at = %s WHERE id = %s AND (last_used_at IS NULL OR last_used_at < %s)"
)


def organisation_create(
    *, name: str, kind: str, credit_code: str | None, contact_phone: str = ""
) -> Organisation:
    organisation = Organisation(
        name=name, kind=kind, credit_code=credit_code or None, contact_phone=contact_phone
    )
    organisation.full_clean()
    organisation.save()
    return organisation


def membership_add(*, organisation: Organisation, user: User, role: str) -> Membership:
    try:
        with transaction.atomic():
            return Membership.objects.create(organisation=organisation, user=user, role=role)
    except IntegrityError as exc:
        raise Conflict(
            _("This user is already a member."), code=AccountErrorCode.MEMBERSHIP_EXISTS
        ) from exc
