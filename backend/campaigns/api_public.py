"""Endpoints of the public event page (/api/v1/events/<slug>/...): read without login;
registering, voting, objecting and taking a venue pass need a signed-in user."""

from __future__ import annotations

from typing import Any

import segno
from django.http import HttpRequest
from ninja import Router, Status

from backend.accounts.auth import request_user
from backend.accounts.models import Organisation
from backend.campaigns import selectors, services, services_contest, services_venue
from backend.campaigns.access import campaign_public
from backend.campaigns.errors import CampaignErrorCode as E
from backend.campaigns.models import CampaignKind, Pass, Stage
from backend.campaigns.schemas import ObjectionIn, RegisterIn, VoteIn
from backend.common.errors import Conflict, NotFound
from backend.common.throttling import client_ip

router = Router(tags=["events"])


def _contest(slug: str):  # type: ignore[no-untyped-def]
    campaign = campaign_public(slug=slug)
    if campaign.kind != CampaignKind.CONTEST:
        raise NotFound()
    return campaign


@router.get("/{slug}", response=dict[str, Any], auth=None)
def event_public(request: HttpRequest, slug: str) -> Any:
    return selectors.campaign_public(campaign=campaign_public(slug=slug))


@router.get("/{slug}/board", response=dict[str, Any], auth=None)
def event_board(request: HttpRequest, slug: str) -> Any:
    return selectors.board_payload(campaign=_contest(slug))


@router.get("/{slug}/results", response=list[dict[str, Any]], auth=None)
def event_results(request: HttpRequest, slug: str) -> Any:
    """The frozen results with their audit (public from the freeze: 公示)."""
    campaign = _contest(slug)
    if campaign.stage == Stage.OPEN:
        raise Conflict(code=E.WRONG_STAGE, extra={"stage": campaign.stage})
    return selectors.results_with_audit(campaign=campaign)


@router.post("/{slug}/registrations", response={201: dict[str, Any]})
def event_register(request: HttpRequest, slug: str, payload: RegisterIn) -> Status[Any]:
    campaign = campaign_public(slug=slug)
    org = None
    if payload.organisation_id is not None:
        org = Organisation.objects.filter(pk=payload.organisation_id).first()
        if org is None:
            raise NotFound()
    reg = services.registration_create(
        campaign=campaign, by=request_user(request), display_name=payload.display_name,
        organisation=org, is_farmer=payload.is_farmer,
    )  # fmt: skip
    return Status(201, selectors.registration_out(reg))


@router.post("/{slug}/votes", response={201: dict[str, Any]})
def event_vote(request: HttpRequest, slug: str, payload: VoteIn) -> Status[Any]:
    vote = services_contest.vote_cast(
        campaign=_contest(slug), voter=request_user(request), entry_id=payload.entry_id,
        address=client_ip(request) or "unknown",
    )  # fmt: skip
    return Status(201, {"entry_id": vote.entry_id, "day": vote.day.isoformat()})


@router.post("/{slug}/objections", response={201: dict[str, Any]})
def event_objection(request: HttpRequest, slug: str, payload: ObjectionIn) -> Status[Any]:
    made = services_contest.objection_lodge(
        campaign=_contest(slug), by=request_user(request), text=payload.text,
        entry_id=payload.entry_id,
    )  # fmt: skip
    return Status(201, {"id": made.pk, "text": made.text})


def _pass_out(found: Pass) -> dict[str, Any]:
    qr = segno.make(found.code, error="m").svg_data_uri(scale=6)
    return {"code": found.code, "kind": found.kind, "name": found.name, "qr": qr}


@router.post("/{slug}/pass", response=dict)
def event_pass(request: HttpRequest, slug: str) -> Any:
    """The signed-in person's venue pass: their registration's, or a visitor's."""
    campaign = campaign_public(slug=slug)
    user = request_user(request)
    found = Pass.objects.filter(campaign=campaign, holder=user).first()
    return _pass_out(found or services_venue.visitor_pass(campaign=campaign, user=user))
