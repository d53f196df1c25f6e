"""An incubatee's card shaped for the API (phones masked, the ten latest sessions)."""

from __future__ import annotations

from backend.incubation.schemas import (
    CardOut,
    MilestoneOut,
    MonthOut,
    MoveOut,
    ResidencyOut,
    ServiceOut,
    SessionOut,
)
from backend.incubation.selectors import Card, allowed_moves, mask_phone, township_of

RECENT_SESSIONS = 10


def card_out(card: Card) -> CardOut:
    inc, figures = card.incubatee, card.figures
    return CardOut(
        id=inc.pk,
        name=inc.name,
        kind=inc.kind,
        stage=inc.stage,
        organisation=str(inc.organisation) if inc.organisation else "",
        person=str(inc.user) if inc.user else "",
        township=township_of(inc),
        village=inc.village.name if inc.village else "",
        mentor=str(inc.mentor) if inc.mentor else "",
        cohort=str(inc.cohort) if inc.cohort else "",
        contact_phone_masked=mask_phone(inc.contact_phone) if inc.contact_phone else "",
        applied_at=inc.applied_at,
        admitted_at=inc.admitted_at,
        graduated_at=inc.graduated_at,
        allowed=allowed_moves(inc),
        sessions=len(figures.sessions),
        orders=len(figures.orders),
        gmv=figures.gmv,
        refunded=figures.refunded,
        peak_viewers=figures.peak_viewers,
        stores_bound=figures.stores_bound,
        training=figures.training,
        trend=[MonthOut(month=m, sessions=n, gmv=g) for m, n, g in figures.monthly()],
        recent_sessions=[
            SessionOut(id=s.id, title=s.title, started_at=s.started_at, orders=s.orders, gmv=s.gmv)
            for s in reversed(figures.sessions[-RECENT_SESSIONS:])
        ],
        milestones=[MilestoneOut(**m.__dict__) for m in card.milestones],
        moves=[
            MoveOut(from_stage=m.from_stage, to_stage=m.to_stage, reason=m.reason, at=m.at)
            for m in inc.moves.all()
        ],
        residency=(
            ResidencyOut(
                place=card.residency.place,
                lease_start=card.residency.lease_start,
                lease_end=card.residency.lease_end,
            )
            if card.residency
            else None
        ),
        services=[
            ServiceOut(id=s.pk, service=s.service, on=s.on, staff=str(s.staff), outcome=s.outcome)
            for s in card.services
        ],
    )
