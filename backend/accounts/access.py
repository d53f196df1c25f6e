"""The permission gates of this app (CONVENTIONS rule 4): the only way an endpoint
gets an organisation or token on behalf of a user."""

from __future__ import annotations

from django.db.models import QuerySet

from backend.accounts.models import Membership, Organisation, User
from backend.common.errors import NotFound
from backend.common.permissions import require_authenticated, require_perm


def organisations_visible_to(*, user: User) -> QuerySet[Organisation]:
    require_authenticated(user)
    if user.has_perm("accounts.view_all_organisations"):
        return Organisation.objects.all()
    return Organisation.objects.filter(memberships__user=user)


def access_organisation(
    *, user: User, organisation_id: int, for_write: bool = False
) -> Organisation:
    """Read: members, and roles that see every organisation. Write: the owner, or a holder
    of accounts.change_organisation. Outsiders get 404, so ids reveal nothing."""
    require_authenticated(user)
    organisation = Organisation.objects.filter(pk=organisation_id).first()
    if organisation is None:
        raise NotFound()
    role = (
        Membership.objects.filter(user=user, organisation=organisation)
        .values_list("role", flat=True)
        .first()
    )
    if role is None and not user.has_perm("accounts.view_all_organisations"):
        raise NotFound()
    if for_write and role != Membership.Role.OWNER:
        require_perm(user, "accounts.change_organisation")
    return organisation


def access_organisation_members(
    *, user: User, organisation_id: int, for_write: bool = False
) -> Organisation:
    """Members are managed by the organisation's owner or by accounts.manage_members."""
    organisation = access_organisation(user=user, organisation_id=organisation_id)
    if for_write:
        is_owner = Membership.objects.filter(
            user=user, organisation=organisation, role=Membership.Role.OWNER
        ).exists()
        if not is_owner:
            require_perm(user, "accounts.manage_members")
    return organisation
