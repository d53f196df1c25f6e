"""The venue: a QR pass for each participant (made on approval) and each visitor, and
check-in by door staff. A pass scanned twice in a day counts once (a unique key)."""

from __future__ import annotations

import secrets

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from backend.accounts.models import User
from backend.campaigns.errors import CampaignErrorCode as E
from backend.campaigns.models import Campaign, Checkin, Pass, PassKind
from backend.common.errors import NotFound


def visitor_pass(*, campaign: Campaign, user: User) -> Pass:
    """A signed-in visitor's pass (the same one when asked again)."""
    found = Pass.objects.filter(campaign=campaign, holder=user).first()
    if found is not None:
        return found
    try:
        with transaction.atomic():
            return Pass.objects.create(
                campaign=campaign, kind=PassKind.VISITOR, holder=user,
                name=user.get_full_name() or user.username, code=secrets.token_hex(6).upper(),
            )  # fmt: skip
    except IntegrityError:  # two taps at once: the other one made it
        return Pass.objects.get(campaign=campaign, holder=user)


def checkin_scan(*, campaign: Campaign, code: str, by: User) -> tuple[Pass, bool]:
    """(the pass, whether this scan counted): a second scan the same day does not."""
    found = Pass.objects.filter(campaign=campaign, code=code.strip().upper()).first()
    if found is None:
        raise NotFound(_("No pass of this event has that code."), code=E.PASS_UNKNOWN)
    day = timezone.localdate()
    try:
        with transaction.atomic():
            Checkin.objects.create(campaign=campaign, venue_pass=found, day=day, scanned_by=by)
    except IntegrityError:
        return found, False
    return found, True
