"""Reads of campaigns: the leaderboard frame, the public event page, the console's lists,
the results with their audit (and what changed since the freeze), the plan's counters."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q
from django.utils import timezone

from backend.campaigns.models import (
    Campaign,
    CampaignKind,
    CampaignSession,
    Checkin,
    Objection,
    Registration,
    RegistrationStatus,
    Result,
    Stage,
)
from backend.campaigns.standings import figures_out, standings_compute
from backend.common.timefmt import iso_local
from backend.live.models import LiveSession, SessionState
from backend.plan.keys import TargetKey
from backend.plan.selectors import targets_all


def _iso(value: datetime | None) -> str | None:
    return iso_local(value) if value is not None else None


def board_payload(*, campaign: Campaign) -> dict[str, Any]:
    """The leaderboard: live standings while the contest is open, the frozen ones after."""
    if campaign.stage == Stage.OPEN:
        rows = [
            {"rank": s.rank, "entry_id": s.entry.pk, "name": s.entry.display_name,
             "total": f"{s.total:.2f}", "live": s.live, **figures_out(s.figures)}
            for s in standings_compute(campaign=campaign)
        ]  # fmt: skip
    else:
        rows = [
            {"rank": r.rank, "entry_id": r.entry_id, "name": r.entry.display_name,
             "total": f"{r.total:.2f}", "live": False, **r.figures}
            for r in Result.objects.filter(campaign=campaign).select_related("entry")
        ]  # fmt: skip
    return {
        "campaign_id": campaign.pk,
        "slug": campaign.slug,
        "title": campaign.title,
        "stage": campaign.stage,
        "voting": campaign.voting,
        "weights": campaign.weights,
        "at": iso_local(timezone.now()),
        "rows": rows,
    }


def board_payload_of(*, campaign_id: int) -> dict[str, Any] | None:
    campaign = Campaign.objects.filter(pk=campaign_id, kind=CampaignKind.CONTEST).first()
    return board_payload(campaign=campaign) if campaign else None


def campaign_out(campaign: Campaign) -> dict[str, Any]:
    return {
        "id": campaign.pk, "kind": campaign.kind, "slug": campaign.slug, "title": campaign.title,
        "description": campaign.description, "cover_url": campaign.cover_url,
        "venue": campaign.venue, "online": campaign.online, "offline": campaign.offline,
        "schedule": campaign.schedule, "starts_at": _iso(campaign.starts_at),
        "ends_at": _iso(campaign.ends_at),
        "registration_deadline": _iso(campaign.registration_deadline),
        "capacity": campaign.capacity, "places_taken": campaign.places_taken,
        "parent_id": campaign.parent_id, "stage": campaign.stage, "voting": campaign.voting,
        "weights": campaign.weights, "criteria": campaign.criteria,
        "score_max": campaign.score_max,
        "publicity_ends_at": _iso(campaign.publicity_ends_at),
    }  # fmt: skip


def registration_out(reg: Registration) -> dict[str, Any]:
    return {
        "id": reg.pk, "campaign_id": reg.campaign_id, "display_name": reg.display_name,
        "organisation_id": reg.organisation_id, "is_farmer": reg.is_farmer,
        "status": reg.status, "reason": reg.reason, "created_at": _iso(reg.created_at),
    }  # fmt: skip


def objection_out(o: Objection) -> dict[str, Any]:
    return {"id": o.pk, "entry_id": o.entry_id, "text": o.text, "answer": o.answer,
            "answered": o.answered_at is not None}  # fmt: skip


def campaign_console(*, campaign: Campaign) -> dict[str, Any]:
    """An event as its organisers' console shows it: registrations, judges, linked
    sessions, objections, awards and check-ins."""
    return {
        **campaign_out(campaign),
        "registrations": [registration_out(r) for r in campaign.registrations.all()],
        "judges": [{"id": j.judge_id, "username": j.judge.username}
                   for j in campaign.judges.select_related("judge")],
        "sessions": [{"session_id": s.session_id, "entry_id": s.entry_id, "title": s.session.title}
                     for s in campaign.sessions.select_related("session")],
        "objections": [objection_out(o) for o in campaign.objections.order_by("id")],
        "awards": [{"id": a.pk, "entry_id": a.entry_id, "title": a.title,
                    "prize_kind": a.prize_kind, "amount": f"{a.amount:.2f}",
                    "granted": a.granted_at is not None} for a in campaign.awards.all()],
        "checkins": checkin_counts(campaign=campaign),
    }  # fmt: skip


def _live_sessions(campaign_ids: list[int]) -> list[dict[str, Any]]:
    ids = CampaignSession.objects.filter(campaign_id__in=campaign_ids).values("session_id")
    sessions = LiveSession.objects.filter(pk__in=ids).exclude(state=SessionState.CANCELLED)
    return [
        {"id": s.pk, "title": s.title, "state": s.state, "url": f"/live/{s.pk}/",
         "scheduled_start": _iso(s.scheduled_start)}
        for s in sessions.order_by("scheduled_start")
    ]  # fmt: skip


def campaign_public(*, campaign: Campaign) -> dict[str, Any]:
    """The phone page of an event: the event, its contests, participants and sessions."""
    family = [campaign.pk, *campaign.children.values_list("pk", flat=True)]
    participants = Registration.objects.filter(
        campaign_id__in=family, status=RegistrationStatus.APPROVED
    ).order_by("id")
    return {
        **campaign_out(campaign),
        "contests": [campaign_out(c) for c in campaign.children.filter(kind=CampaignKind.CONTEST)],
        "participants": [{"id": r.pk, "name": r.display_name, "campaign_id": r.campaign_id}
                         for r in participants],
        "sessions": _live_sessions(family),
    }  # fmt: skip


def results_with_audit(*, campaign: Campaign) -> list[dict[str, Any]]:
    """Frozen results, each with its audit, and the live figures now: an order refunded
    after the freeze shows here (`changed_orders`) without moving the frozen result."""
    now = {s.entry.pk: s for s in standings_compute(campaign=campaign)}
    out = []
    for result in Result.objects.filter(campaign=campaign).select_related("entry"):
        live = now.get(result.entry_id)
        current = {o["order_id"]: o for o in (live.audit["orders"] if live else [])}
        changed = [
            {**o, "refunded_now": current[o["order_id"]]["refunded"]}
            for o in result.audit["orders"]
            if o["order_id"] in current and current[o["order_id"]]["refunded"] != o["refunded"]
        ]
        out.append({
            "rank": result.rank, "entry_id": result.entry_id, "name": result.entry.display_name,
            "total": f"{result.total:.2f}", "figures": result.figures, "audit": result.audit,
            "figures_now": figures_out(live.figures) if live else None,
            "changed_orders": changed,
        })  # fmt: skip
    return out


def _target(key: str) -> int | None:
    target = targets_all().filter(key=key).first()
    return int(target.value) if target is not None else None


def plan_counters(*, year: int) -> dict[str, Any]:
    """The plan's counters for a year: events held (≥ 3 wanted), participants, influencer
    companies and farmers taking part, beside the plan's targets."""
    held = Campaign.objects.filter(parent__isnull=True, starts_at__year=year,
                                   starts_at__lte=timezone.now())  # fmt: skip
    approved = Registration.objects.filter(
        campaign__starts_at__year=year, status=RegistrationStatus.APPROVED
    )
    return {
        "year": year,
        "events_held": held.count(),
        "events_target": _target(TargetKey.EXHIBITIONS),
        "companies_target": _target(TargetKey.INFLUENCER_COMPANIES),
        "farmers_target": _target(TargetKey.INFLUENCER_FARMERS),
        "participants": approved.count(),
        "companies": approved.filter(organisation__isnull=False)
        .values("organisation_id").distinct().count(),
        "farmers": approved.filter(is_farmer=True).values("applicant_id").distinct().count(),
        "visitors_checked_in": Checkin.objects.filter(campaign__starts_at__year=year)
        .values("venue_pass_id").distinct().count(),
    }  # fmt: skip


def checkin_counts(*, campaign: Campaign) -> list[dict[str, Any]]:
    rows = (
        Checkin.objects.filter(campaign=campaign).values("day")
        .annotate(total=Count("id"),
                  participants=Count("id", filter=Q(venue_pass__kind="participant")),
                  visitors=Count("id", filter=Q(venue_pass__kind="visitor")))
        .order_by("day")
    )  # fmt: skip
    return [{**r, "day": r["day"].isoformat()} for r in rows]


def money(value: Decimal) -> str:
    return f"{value:.2f}"
