"""Incubation endpoints (/api/v1/incubation/...): thin; the access gate, then a service or a
selector. The office writes; an incubatee reads its own card."""

from __future__ import annotations

from typing import Any, TypeVar

from django.db.models import Model
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router, Status

from backend.accounts.auth import request_user
from backend.accounts.models import Organisation, User
from backend.common.errors import Invalid
from backend.geo.models import Village
from backend.incubation import services
from backend.incubation.access import access_incubatee, incubatees_of, require_office
from backend.incubation.exports import incubation_xlsx
from backend.incubation.figures import figures_for
from backend.incubation.models import Cohort, Incubatee
from backend.incubation.schemas import (
    BoardItem,
    CardOut,
    ClusterOut,
    GoalOut,
    IncubateeIn,
    MoveIn,
    ResidencyIn,
    ResidencyOut,
    ServiceLogIn,
    ServiceOut,
    TeamMemberOut,
)
from backend.incubation.selectors import (
    allowed_moves,
    clusters_with_members,
    goals_progress,
    incubatee_card,
    incubatees_board,
    mask_phone,
    team_members,
    township_of,
)
from backend.incubation.shape import card_out

router = Router(tags=["incubation"])
M = TypeVar("M", bound=Model)


def _linked(model: type[M], pk: int | None, field: str) -> M | None:
    if pk is None:
        return None
    found = model._default_manager.filter(pk=pk).first()
    if found is None:
        raise Invalid(
            extra={"fields": [{"path": f"body.payload.{field}", "message": _("Not found.")}]}
        )
    return found


@router.get("/board", response=list[BoardItem])
def board(request: HttpRequest) -> Any:
    require_office(user=request_user(request))
    rows = list(incubatees_board())
    figures = figures_for(incubatees=rows)
    return [
        BoardItem(
            id=i.pk,
            name=i.name,
            kind=i.kind,
            stage=i.stage,
            township=township_of(i),
            allowed=allowed_moves(i),
            sessions=len(figures[i.pk].sessions),
            orders=len(figures[i.pk].orders),
            gmv=figures[i.pk].gmv,
        )
        for i in rows
    ]


@router.post("/incubatees", response={201: CardOut})
def incubatee_create(request: HttpRequest, payload: IncubateeIn) -> Any:
    user = request_user(request)
    require_office(user=user)
    incubatee = services.incubatee_apply(
        kind=payload.kind,
        name=payload.name,
        organisation=_linked(Organisation, payload.organisation_id, "organisation_id"),
        user=_linked(User, payload.user_id, "user_id"),
        village=_linked(Village, payload.village_id, "village_id"),
        mentor=_linked(User, payload.mentor_id, "mentor_id"),
        cohort=_linked(Cohort, payload.cohort_id, "cohort_id"),
        contact_phone=payload.contact_phone,
        by=user,
    )
    found = access_incubatee(user=user, incubatee_id=incubatee.pk)
    return Status(201, card_out(incubatee_card(incubatee=found)))


@router.get("/incubatees/{incubatee_id}", response=CardOut)
def incubatee_detail(request: HttpRequest, incubatee_id: int) -> Any:
    found = access_incubatee(user=request_user(request), incubatee_id=incubatee_id)
    return card_out(incubatee_card(incubatee=found))


@router.post("/incubatees/{incubatee_id}/move", response=CardOut)
def incubatee_move(request: HttpRequest, incubatee_id: int, payload: MoveIn) -> Any:
    user = request_user(request)
    access_incubatee(user=user, incubatee_id=incubatee_id, for_write=True)
    services.incubatee_move(
        incubatee_id=incubatee_id, to=payload.to, reason=payload.reason, by=user
    )
    found = access_incubatee(user=user, incubatee_id=incubatee_id)
    return card_out(incubatee_card(incubatee=found))


@router.put("/incubatees/{incubatee_id}/residency", response=ResidencyOut)
def residency_set(request: HttpRequest, incubatee_id: int, payload: ResidencyIn) -> Any:
    found = access_incubatee(user=request_user(request), incubatee_id=incubatee_id, for_write=True)
    return services.residency_set(
        incubatee=found,
        place=payload.place,
        lease_start=payload.lease_start,
        lease_end=payload.lease_end,
    )


@router.post("/incubatees/{incubatee_id}/services", response={201: ServiceOut})
def service_log(request: HttpRequest, incubatee_id: int, payload: ServiceLogIn) -> Any:
    user = request_user(request)
    found = access_incubatee(user=user, incubatee_id=incubatee_id, for_write=True)
    entry = services.service_log(
        incubatee=found,
        service=payload.service,
        on=payload.on,
        staff=user,
        outcome=payload.outcome,
    )
    out = ServiceOut(
        id=entry.pk, service=entry.service, on=entry.on, staff=str(user), outcome=entry.outcome
    )
    return Status(201, out)


@router.get("/mine", response=list[CardOut])
def mine(request: HttpRequest) -> Any:
    own: list[Incubatee] = list(incubatees_of(user=request_user(request)).order_by("id"))
    return [card_out(incubatee_card(incubatee=i)) for i in own]


@router.get("/goals", response=list[GoalOut])
def goals(request: HttpRequest) -> Any:
    require_office(user=request_user(request))
    return goals_progress()


@router.get("/clusters", response=list[ClusterOut])
def clusters(request: HttpRequest) -> Any:
    require_office(user=request_user(request))
    return [
        ClusterOut(
            id=c.pk,
            name=c.name,
            kind=c.kind,
            opened_on=c.opened_on,
            members=members,
            township=c.township.name if c.township else "",
        )
        for c, members in clusters_with_members()
    ]


@router.get("/team", response=list[TeamMemberOut])
def team(request: HttpRequest) -> Any:
    """The centre's operating team; phones masked (the admin keeps them, encrypted)."""
    require_office(user=request_user(request))
    return [
        TeamMemberOut(
            id=m.pk,
            name=m.name,
            role=m.role,
            start=m.start,
            end=m.end,
            phone_masked=mask_phone(m.phone) if m.phone else "",
        )
        for m in team_members()
    ]


@router.get("/export.xlsx")
def export(request: HttpRequest) -> HttpResponse:
    require_office(user=request_user(request))
    response = HttpResponse(
        incubation_xlsx(goals=goals_progress()),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    name = f"incubation_{timezone.localdate():%Y-%m-%d}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
