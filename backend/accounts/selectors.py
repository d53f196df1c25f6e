from __future__ import annotations

from backend.accounts.models import Membership, User
from backend.accounts.schemas import MeOut, OrganisationBrief
from backend.common.permissions import user_role_names


def mask_phone(phone: str | None) -> str | None:
    if not phone:
        return None
    return f"{phone[:3]}****{phone[-4:]}" if len(phone) >= 7 else "****"


def me_for(*, user: User) -> MeOut:
    memberships = Membership.objects.filter(user=user).select_related("organisation")
    return MeOut(
        id=user.pk,
        username=user.username,
        display_name=user.display_name or user.username,
        phone_masked=mask_phone(user.phone),
        phone=user.phone or None,
        has_password=user.has_usable_password(),
        language=user.language,
        roles=sorted(user_role_names(user)),
        organisations=[
            OrganisationBrief(
                id=m.organisation_id,
                name=m.organisation.name,
                kind=m.organisation.kind,
                role=m.role,
            )
            for m in memberships
        ],
    )
