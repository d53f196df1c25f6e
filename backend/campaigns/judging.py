"""The judge's sheet: the open contests they are assigned to, each entry with its sessions,
whether the judge sits it out, and the judge's own standing scores."""

from __future__ import annotations

from typing import Any

from backend.accounts.models import User
from backend.campaigns.models import (
    CampaignSession,
    JudgeAssignment,
    JudgeScore,
    Registration,
    RegistrationStatus,
    Stage,
)
from backend.campaigns.services_contest import judge_recused


def judging_sheet(*, judge: User) -> list[dict[str, Any]]:
    assigned = JudgeAssignment.objects.filter(judge=judge, campaign__stage=Stage.OPEN)
    out = []
    for assignment in assigned.select_related("campaign"):
        campaign = assignment.campaign
        entries = Registration.objects.filter(
            campaign=campaign, status=RegistrationStatus.APPROVED
        ).order_by("id")
        mine = {
            (s.entry_id, s.criterion): f"{s.score:.2f}"
            for s in JudgeScore.objects.filter(
                judge=judge, entry__campaign=campaign, replaced_by__isnull=True
            )
        }
        sessions: dict[int, list[int]] = {}
        for entry_id, sid in CampaignSession.objects.filter(campaign=campaign).values_list(
            "entry_id", "session_id"
        ):
            sessions.setdefault(entry_id, []).append(sid)
        out.append({
            "campaign_id": campaign.pk, "title": campaign.title, "slug": campaign.slug,
            "criteria": campaign.criteria, "score_max": campaign.score_max,
            "entries": [
                {"id": e.pk, "name": e.display_name, "sessions": sessions.get(e.pk, []),
                 "recused": judge_recused(judge=judge, entry=e),
                 "scores": {c: mine.get((e.pk, c)) for c in campaign.criteria}}
                for e in entries
            ],
        })  # fmt: skip
    return out
