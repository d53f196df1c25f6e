"""Who sees which declared page: the navigation of the signed-in user, and the page gate."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from backend.common import registry
from backend.common.permissions import user_role_names


@dataclass(frozen=True)
class NavItem:
    path: str
    label: str
    external: bool


def page_allows(page: registry.Page, user: Any) -> bool:
    """May this user use the page? Visitors only public ones; users by role or permission."""
    if user is None or not user.is_authenticated:
        return page.public
    if page.roles == registry.EVERYONE:
        return True
    if user_role_names(user) & {str(role) for role in page.roles}:
        return True
    return any(user.has_perm(perm) for perm in page.perms)


def _own(page: registry.Page) -> bool:
    """A page that belongs to particular roles (not one everybody has)."""
    return page.roles != registry.EVERYONE and (bool(page.roles) or bool(page.perms))


def nav_for(user: Any, *, lang: str) -> list[NavItem]:
    """The navigation of this user (or visitor), in declared order."""
    return [
        NavItem(page.path, page.label.for_lang(lang), page.external)
        for page in registry.pages()
        if page.label is not None and page_allows(page, user)
    ]


def landing_for(user: Any) -> str | None:
    """Where a user goes after login: the first page of their own roles, else the first
    page declared as everyone's landing (the account page)."""
    candidates = [page for page in registry.pages() if page.label and not page.external]
    for page in candidates:
        if _own(page) and page_allows(page, user):
            return page.path
    return next((p.path for p in candidates if p.landing and page_allows(p, user)), None)
