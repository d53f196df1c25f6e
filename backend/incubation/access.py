"""The one gate to incubatees on behalf of a user (CONVENTIONS rule 4).

  office staff (incubation.manage_incubation)   every incubatee: read, write, export
  the incubatee (its person, or a member of its organisation)   read its own card
Everyone else gets 404 for a card (ids reveal nothing) and 403 for the office's views.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from backend.accounts.models import User
from backend.common.errors import NotFound
from backend.common.permissions import require_authenticated, require_perm
from backend.incubation.models import Incubatee

MANAGE = "incubation.manage_incubation"


def require_office(*, user: User) -> None:
    require_perm(user, MANAGE)


def incubatees_of(*, user: User) -> QuerySet[Incubatee]:
    """The incubatees a person is: linked to them, or to an organisation they belong to."""
    require_authenticated(user)
    return Incubatee.objects.filter(
        Q(user=user) | Q(organisation__memberships__user=user)
    ).distinct()


def access_incubatee(*, user: User, incubatee_id: int, for_write: bool = False) -> Incubatee:
    require_authenticated(user)
    if for_write:
        require_office(user=user)
    found = Incubatee.objects.filter(pk=incubatee_id).select_related(
        "organisation", "user", "village__township", "mentor", "cohort__programme"
    )
    incubatee = found.first()
    if incubatee is None:
        raise NotFound()
    if user.has_perm(MANAGE) or incubatees_of(user=user).filter(pk=incubatee_id).exists():
        return incubatee
    raise NotFound()
