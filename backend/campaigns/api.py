"""Campaigns endpoints of the organisers' console, the judges and the door staff
(/api/v1/campaigns/...). The public event page's are api_public.py."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Status

from backend.accounts.auth import request_user
from backend.accounts.models import User
from backend.campaigns import selectors, services, services_contest, services_venue
from backend.campaigns.access import (
    access_campaign,
    access_door,
    access_registration,
    campaigns_at_door,
    campaigns_managed,
    require_judge,
)
from backend.campaigns.judging import judging_sheet
from backend.campaigns.models import Objection
from backend.campaigns.schemas import (
    AnswerIn,
    AwardIn,
    CampaignCouponIn,
    CampaignIn,
    JudgeIn,
    PublicityIn,
    ReviewIn,
    ScanIn,
    ScoreIn,
    SessionLinkIn,
)
from backend.common.errors import NotFound
from backend.promotions.models import CouponKind
from backend.promotions.services_coupons import CouponTerms

router = Router(tags=["campaigns"])


@router.post("/events", response={201: dict[str, Any]})
def campaign_create(request: HttpRequest, payload: CampaignIn) -> Status[Any]:
    user = request_user(request)
    campaigns_managed(user=user)  # the role check
    if payload.parent_id is not None:
        access_campaign(user=user, campaign_id=payload.parent_id)
    data = payload.dict()
    weights = data.pop("weights")
    terms = services.CampaignTerms(
        **data,
        weights={k: f"{v:.2f}" for k, v in weights.items()} if weights else None,
    )
    campaign = services.campaign_create(by=user, terms=terms)
    return Status(201, selectors.campaign_out(campaign))


@router.get("/events", response=list[dict[str, Any]])
def campaigns_list(request: HttpRequest) -> Any:
    found = campaigns_managed(user=request_user(request)).order_by("-starts_at", "-id")[:100]
    return [selectors.campaign_out(c) for c in found]


@router.get("/events/{campaign_id}", response=dict)
def campaign_detail(request: HttpRequest, campaign_id: int) -> Any:
    campaign = access_campaign(user=request_user(request), campaign_id=campaign_id)
    return selectors.campaign_console(campaign=campaign)


@router.post("/registrations/{registration_id}/review", response=dict)
def registration_review(request: HttpRequest, registration_id: int, payload: ReviewIn) -> Any:
    user = request_user(request)
    reg = access_registration(user=user, registration_id=registration_id)
    reviewed = services.registration_review(
        registration=reg, by=user, approve=payload.approve, reason=payload.reason
    )
    return selectors.registration_out(reviewed)


@router.post("/events/{campaign_id}/judges", response={201: dict[str, Any]})
def judge_assign(request: HttpRequest, campaign_id: int, payload: JudgeIn) -> Status[Any]:
    campaign = access_campaign(user=request_user(request), campaign_id=campaign_id)
    judge = User.objects.filter(username=payload.username).first()
    if judge is None:
        raise NotFound()
    services_contest.judge_assign(campaign=campaign, judge=judge)
    return Status(201, {"campaign_id": campaign.pk, "judge_id": judge.pk})


@router.post("/events/{campaign_id}/sessions", response={201: dict[str, Any]})
def session_link(request: HttpRequest, campaign_id: int, payload: SessionLinkIn) -> Status[Any]:
    campaign = access_campaign(user=request_user(request), campaign_id=campaign_id)
    link = services.session_link(
        campaign=campaign, session_id=payload.session_id, entry_id=payload.entry_id
    )
    return Status(201, {"session_id": link.session_id, "entry_id": link.entry_id})


@router.post("/events/{campaign_id}/coupons", response={201: dict[str, Any]})
def campaign_coupon(
    request: HttpRequest, campaign_id: int, payload: CampaignCouponIn
) -> Status[Any]:
    user = request_user(request)
    campaign = access_campaign(user=user, campaign_id=campaign_id)
    now = timezone.now()
    terms = CouponTerms(
        name=payload.name, kind=CouponKind.AMOUNT, amount_off=payload.amount_off,
        percent_off=0, threshold=payload.threshold, total_quantity=payload.total_quantity,
        per_user_limit=payload.per_user_limit, claim_starts_at=now,
        claim_ends_at=now + timedelta(days=payload.valid_days),
        valid_until=now + timedelta(days=payload.valid_days),
    )  # fmt: skip
    coupon = services.campaign_coupon_issue(campaign=campaign, by=user, terms=terms)
    return Status(
        201,
        {
            "coupon_id": coupon.pk,
            "session_ids": sorted(coupon.sessions.values_list("pk", flat=True)),
        },
    )


@router.post("/events/{campaign_id}/freeze", response=dict)
def contest_freeze(request: HttpRequest, campaign_id: int) -> Any:
    campaign = access_campaign(user=request_user(request), campaign_id=campaign_id)
    services_contest.contest_freeze(campaign=campaign)
    campaign.refresh_from_db()
    return selectors.board_payload(campaign=campaign)


@router.post("/events/{campaign_id}/publicity", response=dict)
def publicity_open(request: HttpRequest, campaign_id: int, payload: PublicityIn) -> Any:
    campaign = access_campaign(user=request_user(request), campaign_id=campaign_id)
    return selectors.campaign_out(
        services_contest.publicity_open(campaign=campaign, days=payload.days)
    )


@router.post("/events/{campaign_id}/finalise", response=dict)
def contest_finalise(request: HttpRequest, campaign_id: int) -> Any:
    campaign = access_campaign(user=request_user(request), campaign_id=campaign_id)
    return selectors.campaign_out(services_contest.contest_finalise(campaign=campaign))


@router.post("/objections/{objection_id}/answer", response=dict)
def objection_answer(request: HttpRequest, objection_id: int, payload: AnswerIn) -> Any:
    user = request_user(request)
    objection = Objection.objects.filter(pk=objection_id).first()
    if objection is None:
        raise NotFound()
    access_campaign(user=user, campaign_id=objection.campaign_id)
    return selectors.objection_out(
        services_contest.objection_answer(objection=objection, by=user, answer=payload.answer)
    )


@router.post("/events/{campaign_id}/awards", response={201: dict[str, Any]})
def award_create(request: HttpRequest, campaign_id: int, payload: AwardIn) -> Status[Any]:
    campaign = access_campaign(user=request_user(request), campaign_id=campaign_id)
    award = services_contest.award_create(campaign=campaign, **payload.dict())
    return Status(
        201,
        {
            "id": award.pk,
            "entry_id": award.entry_id,
            "title": award.title,
            "prize_kind": award.prize_kind,
            "amount": f"{award.amount:.2f}",
        },
    )


@router.get("/counters", response=dict)
def plan_counters(request: HttpRequest, year: int = 0) -> Any:
    campaigns_managed(user=request_user(request))
    this_year = timezone.localdate().year
    return selectors.plan_counters(year=year if 2000 <= year <= 2100 else this_year)


@router.get("/judging", response=list[dict[str, Any]])
def judging(request: HttpRequest) -> Any:
    user = request_user(request)
    require_judge(user=user)
    return judging_sheet(judge=user)


@router.post("/judging/scores", response={201: dict[str, Any]})
def judge_score(request: HttpRequest, payload: ScoreIn) -> Status[Any]:
    user = request_user(request)
    require_judge(user=user)
    made = services_contest.judge_score(judge=user, **payload.dict())
    return Status(
        201,
        {
            "id": made.pk,
            "entry_id": made.entry_id,
            "criterion": made.criterion,
            "score": f"{made.score:.2f}",
            "corrects": made.replaces_id,
        },
    )


@router.post("/events/{campaign_id}/checkins", response=dict)
def checkin_scan(request: HttpRequest, campaign_id: int, payload: ScanIn) -> Any:
    user = request_user(request)
    campaign = access_door(user=user, campaign_id=campaign_id)
    found, counted = services_venue.checkin_scan(campaign=campaign, code=payload.code, by=user)
    return {
        "name": found.name,
        "kind": found.kind,
        "counted": counted,
        "counts": selectors.checkin_counts(campaign=campaign),
    }


@router.get("/door/events", response=list[dict[str, Any]])
def door_events(request: HttpRequest) -> Any:
    found = campaigns_at_door(user=request_user(request))
    return [selectors.campaign_out(c) for c in found]
