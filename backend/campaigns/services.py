"""Writes of campaigns: the event itself, registrations and their review, linked sessions
and campaign coupons. Contest writes are services_contest; the venue is services_venue."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from backend.accounts.models import Organisation, User
from backend.campaigns.errors import CampaignErrorCode as E
from backend.campaigns.models import (
    Campaign,
    CampaignKind,
    CampaignSession,
    Pass,
    PassKind,
    Registration,
    RegistrationStatus,
)
from backend.common.errors import Conflict, DomainError, NotFound
from backend.live.models import LiveSession
from backend.promotions.models import Coupon
from backend.promotions.services_coupons import CouponTerms, coupon_create


def invalid(message: str, **extra: object) -> DomainError:
    return DomainError(message, code=E.INVALID, status=422, extra=dict(extra))


@dataclass(frozen=True)
class CampaignTerms:
    kind: str
    title: str
    starts_at: datetime
    ends_at: datetime
    registration_deadline: datetime
    capacity: int
    description: str = ""
    cover_url: str = ""
    venue: str = ""
    online: bool = True
    offline: bool = False
    schedule: list[dict[str, str]] = field(default_factory=list)
    parent_id: int | None = None
    voting: bool = False
    weights: dict[str, str] | None = None


def _slug(title: str) -> str:
    base = slugify(title)[:24] or "event"
    return f"{base}-{secrets.token_hex(4)}"


def campaign_create(*, by: User, terms: CampaignTerms) -> Campaign:
    if terms.kind not in CampaignKind.values:
        raise invalid(_("Unknown kind of event."), field="kind")
    if not terms.starts_at < terms.ends_at:
        raise invalid(_("An event must start before it ends."), field="ends_at")
    if terms.registration_deadline > terms.ends_at:
        raise invalid(_("Registration must close before the event ends."), field="deadline")
    if terms.weights is not None and sum(Decimal(v) for v in terms.weights.values()) != 1:
        raise invalid(_("The weights must add up to 1.00."), field="weights")
    extra = {"weights": terms.weights} if terms.weights is not None else {}
    with transaction.atomic():
        campaign = Campaign.objects.create(
            kind=terms.kind, parent_id=terms.parent_id, title=terms.title, slug=_slug(terms.title),
            description=terms.description, cover_url=terms.cover_url, venue=terms.venue,
            online=terms.online, offline=terms.offline, schedule=terms.schedule,
            starts_at=terms.starts_at, ends_at=terms.ends_at,
            registration_deadline=terms.registration_deadline, capacity=terms.capacity,
            voting=terms.voting, created_by=by, **extra,
        )  # fmt: skip
        campaign.organisers.add(by)
    return campaign


def registration_create(
    *, campaign: Campaign, by: User, display_name: str, organisation: Organisation | None = None,
    is_farmer: bool = False,
) -> Registration:  # fmt: skip
    """A place is taken at once (pending counts against the capacity): a conditional update
    of the campaign row, so two last-minute registrations never both get the last place."""
    if timezone.now() > campaign.registration_deadline:
        raise Conflict(_("Registration for this event has closed."), code=E.REGISTRATION_CLOSED,
                       extra={"deadline": campaign.registration_deadline.isoformat()})  # fmt: skip
    if organisation is not None and not organisation.memberships.filter(user=by).exists():
        raise invalid(_("You can register only an organisation you belong to."), field="org")
    try:
        with transaction.atomic():
            taken = Campaign.objects.filter(pk=campaign.pk, places_taken__lt=F("capacity")).update(
                places_taken=F("places_taken") + 1
            )
            if not taken:
                raise Conflict(_("This event is full."), code=E.FULL,
                               extra={"capacity": campaign.capacity})  # fmt: skip
            return Registration.objects.create(
                campaign=campaign, applicant=by, organisation=organisation,
                display_name=display_name, is_farmer=is_farmer,
            )  # fmt: skip
    except IntegrityError:
        raise Conflict(
            _("You have already registered for this event."), code=E.ALREADY_REGISTERED
        ) from None


def registration_review(
    *, registration: Registration, by: User, approve: bool, reason: str = ""
) -> Registration:
    """Approve, or reject with a reason (the place is given back). Once only."""
    if not approve and not reason.strip():
        raise invalid(_("A rejection needs a reason."), field="reason")
    status = RegistrationStatus.APPROVED if approve else RegistrationStatus.REJECTED
    with transaction.atomic():
        moved = Registration.objects.filter(
            pk=registration.pk, status=RegistrationStatus.PENDING
        ).update(status=status, reason=reason.strip(), reviewed_by=by, reviewed_at=timezone.now())
        if not moved:
            raise Conflict(_("This registration was already reviewed."), code=E.ALREADY_REVIEWED)
        if approve:  # a visitor's pass taken before becomes the participant's
            Pass.objects.update_or_create(
                campaign_id=registration.campaign_id, holder_id=registration.applicant_id,
                defaults={"kind": PassKind.PARTICIPANT, "registration": registration,
                          "name": registration.display_name},
                create_defaults={"kind": PassKind.PARTICIPANT, "registration": registration,
                                 "name": registration.display_name,
                                 "code": secrets.token_hex(6).upper()},
            )  # fmt: skip
        else:
            Campaign.objects.filter(pk=registration.campaign_id).update(
                places_taken=F("places_taken") - 1
            )
    registration.refresh_from_db()
    return registration


def session_link(*, campaign: Campaign, session_id: int, entry_id: int | None) -> CampaignSession:
    """Link a live session to the campaign (and, in a contest, to an approved entry)."""
    session = LiveSession.objects.filter(pk=session_id).first()
    if session is None:
        raise NotFound(_("No such live session."))
    entry = None
    if entry_id is not None:
        entry = Registration.objects.filter(
            pk=entry_id, campaign=campaign, status=RegistrationStatus.APPROVED
        ).first()
        if entry is None:
            raise invalid(_("The entry must be an approved registration."), field="entry_id")
    link, _created = CampaignSession.objects.update_or_create(
        campaign=campaign, session=session, defaults={"entry": entry}
    )
    return link


def campaign_coupon_issue(*, campaign: Campaign, by: User, terms: CouponTerms) -> Coupon:
    """A coupon valid in every session of the campaign (and of its contests): promotions'
    session-list scope."""
    ids = CampaignSession.objects.filter(
        campaign__in=[campaign.pk, *campaign.children.values_list("pk", flat=True)]
    ).values_list("session_id", flat=True)
    sessions = list(LiveSession.objects.filter(pk__in=list(ids)))
    if not sessions:
        raise invalid(_("Link sessions to the event before issuing its coupons."), field="sessions")
    return coupon_create(by=by, terms=terms, sessions=sessions)
