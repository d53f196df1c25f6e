"""Role and permission checks shared by every app's access gate."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from backend.common.errors import Forbidden, Unauthenticated


def user_role_names(user: Any) -> set[str]:
    """The names of the role groups a user holds, cached on the user object."""
    cached: set[str] | None = getattr(user, "_role_names", None)
    if cached is None:
        cached = set(user.groups.values_list("name", flat=True))
        user._role_names = cached
    return cached


def require_authenticated(user: Any) -> None:
    if user is None or not user.is_authenticated:
        raise Unauthenticated()


def require_role(user: Any, *roles: str) -> None:
    require_authenticated(user)
    if user.is_superuser or user_role_names(user) & {str(r) for r in roles}:
        return
    raise Forbidden(_("This needs one of the roles: %(roles)s.") % {"roles": ", ".join(roles)})


def require_perm(user: Any, perm: str) -> None:
    require_authenticated(user)
    if not user.has_perm(perm):
        raise Forbidden()
