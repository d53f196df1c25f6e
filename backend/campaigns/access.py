"""The one gate to a campaign on behalf of a user (CONVENTIONS rule 4).

Who may do what:
  an organiser of the event      manage it (and its contests: the parent's organisers too)
  office staff, platform admin   manage every event
  a judge                        score the entries of contests they are assigned to
                                 (services_contest checks assignment and recusal)
  door staff                     scan passes at any event's door; its organisers too
  anyone, signed in or not       read the public page, the leaderboard and the results
Everyone else gets 404 for an event they do not manage, so ids reveal nothing.
"""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Q, QuerySet
from django.utils import timezone

from backend.accounts.models import User
from backend.accounts.roles import Role
from backend.campaigns.models import Campaign, Registration
from backend.common.errors import NotFound
from backend.common.permissions import require_role, user_role_names

DOOR_STAFF = "door_staff"
MANAGERS = (Role.ORGANISER, Role.OFFICE_STAFF, Role.PLATFORM_ADMIN)


def _sees_all(user: User) -> bool:
    return user.is_superuser or bool(
        user_role_names(user) & {Role.OFFICE_STAFF.value, Role.PLATFORM_ADMIN.value}
    )


def campaigns_managed(*, user: User) -> QuerySet[Campaign]:
    require_role(user, *MANAGERS)
    found = Campaign.objects.all()
    if not _sees_all(user):
        found = found.filter(Q(organisers=user) | Q(parent__organisers=user)).distinct()
    return found


def access_campaign(*, user: User, campaign_id: int) -> Campaign:
    """An event the user manages (organiser of it or of its festival, or the office)."""
    campaign = campaigns_managed(user=user).filter(pk=campaign_id).first()
    if campaign is None:
        raise NotFound()
    return campaign


def access_registration(*, user: User, registration_id: int) -> Registration:
    reg = Registration.objects.filter(pk=registration_id).first()
    if reg is None:
        raise NotFound()
    access_campaign(user=user, campaign_id=reg.campaign_id)
    return reg


def access_door(*, user: User, campaign_id: int) -> Campaign:
    require_role(user, DOOR_STAFF, *MANAGERS)
    if DOOR_STAFF in user_role_names(user):
        campaign = Campaign.objects.filter(pk=campaign_id).first()
        if campaign is None:
            raise NotFound()
        return campaign
    return access_campaign(user=user, campaign_id=campaign_id)


def campaigns_at_door(*, user: User) -> list[Campaign]:
    """Events with a venue, not over more than a day ago, for the door page."""
    require_role(user, DOOR_STAFF, *MANAGERS)
    since = timezone.now() - timedelta(days=1)
    found = Campaign.objects.filter(offline=True, ends_at__gte=since).order_by("starts_at")
    if DOOR_STAFF not in user_role_names(user) and not _sees_all(user):
        found = found.filter(Q(organisers=user) | Q(parent__organisers=user)).distinct()
    return list(found[:50])


def require_judge(*, user: User) -> None:
    require_role(user, Role.JUDGE)


def campaign_public(*, slug: str) -> Campaign:
    """Any event by its public slug (the read-only link)."""
    campaign = Campaign.objects.filter(slug=slug).first()
    if campaign is None:
        raise NotFound()
    return campaign
