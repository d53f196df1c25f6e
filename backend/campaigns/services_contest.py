"""Writes of a contest: judges and their scores, public votes, the freeze, 公示 with its
objections, the final results and the awards (a cash prize is published as award.granted,
once per award)."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from backend.accounts.models import Membership, User
from backend.accounts.roles import Role
from backend.campaigns.broadcast import board_changed
from backend.campaigns.errors import CampaignErrorCode as E
from backend.campaigns.models import (
    Award,
    Campaign,
    CampaignKind,
    JudgeAssignment,
    JudgeScore,
    Objection,
    PrizeKind,
    Registration,
    RegistrationStatus,
    Result,
    Stage,
    Vote,
)
from backend.campaigns.services import invalid
from backend.campaigns.standings import figures_out, standings_compute
from backend.common.errors import Conflict, DomainError, Forbidden, Throttled
from backend.common.events import publish

VOTES_PER_ADDRESS_HOUR = 30


def _stage_is(campaign: Campaign, *stages: str) -> None:
    if campaign.stage not in stages:
        raise Conflict(_("The contest is not at the right stage for this."),
                       code=E.WRONG_STAGE, extra={"stage": campaign.stage})  # fmt: skip


def judge_assign(*, campaign: Campaign, judge: User) -> JudgeAssignment:
    if not judge.groups.filter(name=Role.JUDGE.value).exists():
        raise invalid(_("This person does not hold the judge role."), field="username")
    assignment, _created = JudgeAssignment.objects.get_or_create(campaign=campaign, judge=judge)
    return assignment


def judge_recused(*, judge: User, entry: Registration) -> bool:
    """A judge linked to the entrant (its organisation, or the entrant in person) sits out."""
    if entry.applicant_id == judge.pk:
        return True
    return (
        entry.organisation_id is not None
        and Membership.objects.filter(user=judge, organisation_id=entry.organisation_id).exists()
    )


def _entry_for_judge(*, judge: User, entry_id: int) -> Registration:
    entry = Registration.objects.select_related("campaign").filter(pk=entry_id).first()
    if entry is None or entry.status != RegistrationStatus.APPROVED:
        raise invalid(_("No such entry."), field="entry_id")
    if not JudgeAssignment.objects.filter(campaign=entry.campaign, judge=judge).exists():
        raise Forbidden(_("You are not a judge of this contest."), code=E.NOT_ASSIGNED)
    if judge_recused(judge=judge, entry=entry):
        raise Forbidden(_("You are linked to this entrant and sit out its scoring."),
                        code=E.RECUSED)  # fmt: skip
    return entry


def judge_score(
    *, judge: User, entry_id: int, criterion: str, score: Decimal, reason: str = ""
) -> JudgeScore:
    """A judge's score of one criterion, once; `reason` makes it a logged correction of the
    standing one instead."""
    entry = _entry_for_judge(judge=judge, entry_id=entry_id)
    campaign = entry.campaign
    _stage_is(campaign, Stage.OPEN)
    if criterion not in campaign.criteria:
        raise invalid(_("Unknown criterion."), field="criterion")
    if not Decimal(0) <= score <= Decimal(campaign.score_max):
        top = campaign.score_max
        raise DomainError(_("A score is between 0 and %(top)s.") % {"top": top},
                          code=E.SCORE_OUT_OF_SCALE, status=422,
                          extra={"field": "score", "min": 0, "max": top})  # fmt: skip
    head = JudgeScore.objects.filter(
        entry=entry, judge=judge, criterion=criterion, replaced_by__isnull=True
    ).first()
    if head is not None and not reason.strip():
        raise Conflict(_("You have scored this already; a correction needs a reason."),
                       code=E.ALREADY_SCORED, extra={"score_id": head.pk})  # fmt: skip
    try:
        with transaction.atomic():
            made = JudgeScore.objects.create(
                entry=entry, judge=judge, criterion=criterion, score=score,
                reason=reason.strip() if head else "", replaces=head,
            )  # fmt: skip
            board_changed(campaign_id=campaign.pk)
    except IntegrityError:  # the same score sent twice at once
        raise Conflict(_("You have scored this already."), code=E.ALREADY_SCORED) from None
    return made


def vote_cast(*, campaign: Campaign, voter: User, entry_id: int, address: str) -> Vote:
    now = timezone.now()
    if not (campaign.voting and campaign.stage == Stage.OPEN
            and campaign.starts_at <= now < campaign.ends_at):  # fmt: skip
        raise Conflict(_("Public voting is not open."), code=E.VOTING_CLOSED)
    key = f"campaigns:votes:{address}:{int(now.timestamp()) // 3600}"
    cache.add(key, 0, timeout=3601)
    if int(cache.incr(key)) > VOTES_PER_ADDRESS_HOUR:
        raise Throttled(
            _("Too many votes from this network; try later."),
            code=E.VOTE_TOO_FAST,
            retry_after=3600 - int(now.timestamp()) % 3600,
        )
    entry = Registration.objects.filter(
        pk=entry_id, campaign=campaign, status=RegistrationStatus.APPROVED
    ).first()
    if entry is None:
        raise invalid(_("No such entry."), field="entry_id")
    day = timezone.localdate(now)
    try:
        with transaction.atomic():
            vote = Vote.objects.create(campaign=campaign, entry=entry, voter=voter, day=day)
            board_changed(campaign_id=campaign.pk)
    except IntegrityError:
        raise Conflict(_("You have voted today; come back tomorrow."), code=E.VOTE_USED) from None
    return vote


def contest_freeze(*, campaign: Campaign) -> list[Result]:
    """Fix the results as they stand, with the audit of each figure. Once."""
    with transaction.atomic():
        moved = Campaign.objects.filter(pk=campaign.pk, stage=Stage.OPEN).update(
            stage=Stage.FROZEN, frozen_at=timezone.now()
        )
        if not moved:
            campaign.refresh_from_db()
            _stage_is(campaign, Stage.OPEN)
        campaign.refresh_from_db()
        results = [
            Result(campaign=campaign, entry=s.entry, rank=s.rank, total=s.total,
                   figures=figures_out(s.figures), audit=s.audit)
            for s in standings_compute(campaign=campaign)
        ]  # fmt: skip
        Result.objects.bulk_create(results)
        board_changed(campaign_id=campaign.pk)
    return results


def contests_freeze_due() -> int:
    """Freeze every open contest whose end has passed (the beat entry); the organiser may
    freeze earlier. Returns how many were frozen."""
    due = Campaign.objects.filter(
        kind=CampaignKind.CONTEST, stage=Stage.OPEN, ends_at__lte=timezone.now()
    )
    frozen = 0
    for campaign in due:
        try:
            contest_freeze(campaign=campaign)
            frozen += 1
        except Conflict:  # frozen meanwhile by the organiser
            continue
    return frozen


def publicity_open(*, campaign: Campaign, days: int) -> Campaign:
    """公示: the provisional results are public and objections may be lodged for `days`."""
    if not 1 <= days <= 30:
        raise invalid(_("公示 lasts 1 to 30 days."), field="days")
    moved = Campaign.objects.filter(pk=campaign.pk, stage=Stage.FROZEN).update(
        stage=Stage.PUBLICITY, publicity_ends_at=timezone.now() + timedelta(days=days)
    )
    campaign.refresh_from_db()
    if not moved:
        _stage_is(campaign, Stage.FROZEN)
    board_changed(campaign_id=campaign.pk)
    return campaign


def objection_lodge(*, campaign: Campaign, by: User, text: str, entry_id: int | None) -> Objection:
    _stage_is(campaign, Stage.PUBLICITY)
    if campaign.publicity_ends_at and timezone.now() >= campaign.publicity_ends_at:
        raise Conflict(_("The 公示 period is over."), code=E.WRONG_STAGE)
    if entry_id is not None and not campaign.registrations.filter(pk=entry_id).exists():
        raise invalid(_("No such entry."), field="entry_id")
    return Objection.objects.create(campaign=campaign, by=by, text=text, entry_id=entry_id)


def objection_answer(*, objection: Objection, by: User, answer: str) -> Objection:
    if not answer.strip():
        raise invalid(_("An answer cannot be empty."), field="answer")
    objection.answer, objection.answered_by = answer.strip(), by
    objection.answered_at = timezone.now()
    objection.save(update_fields=["answer", "answered_by", "answered_at"])
    return objection


def award_create(
    *, campaign: Campaign, entry_id: int, title: str, prize_kind: str, amount: Decimal
) -> Award:
    _stage_is(campaign, Stage.FROZEN, Stage.PUBLICITY)
    if prize_kind not in PrizeKind.values:
        raise invalid(_("Unknown prize."), field="prize_kind")
    if (prize_kind == PrizeKind.CASH) != (amount > 0):
        raise invalid(_("A cash prize has an amount; other prizes have none."), field="amount")
    if not campaign.registrations.filter(pk=entry_id, status=RegistrationStatus.APPROVED).exists():
        raise invalid(_("No such entry."), field="entry_id")
    return Award.objects.create(campaign=campaign, entry_id=entry_id, title=title,
                                prize_kind=prize_kind, amount=amount)  # fmt: skip


def contest_finalise(*, campaign: Campaign) -> Campaign:
    """After 公示, with every objection answered: the results and awards are final. The
    awards are granted by the handler of campaign.finalised."""
    _stage_is(campaign, Stage.PUBLICITY)
    now = timezone.now()
    if campaign.publicity_ends_at is None or now < campaign.publicity_ends_at:
        raise Conflict(_("The 公示 period has not ended yet."), code=E.WRONG_STAGE,
                       extra={"ends_at": campaign.publicity_ends_at.isoformat()
                              if campaign.publicity_ends_at else None})  # fmt: skip
    if campaign.objections.filter(answered_at__isnull=True).exists():
        raise Conflict(_("Answer every objection first."), code=E.OBJECTIONS_OPEN)
    with transaction.atomic():
        moved = Campaign.objects.filter(pk=campaign.pk, stage=Stage.PUBLICITY).update(
            stage=Stage.FINAL, finalised_at=now
        )
        if moved:
            publish("campaign.finalised", {"campaign_id": campaign.pk, "title": campaign.title,
                                           "at": now.isoformat()})  # fmt: skip
            board_changed(campaign_id=campaign.pk)
    campaign.refresh_from_db()
    return campaign


def awards_grant(*, campaign_id: int) -> int:
    """Grant the final contest's awards: each award's conditional update succeeds once, so a
    re-delivered campaign.finalised publishes nothing twice. Returns how many were granted."""
    granted = 0
    awards = Award.objects.filter(campaign_id=campaign_id, granted_at__isnull=True)
    for award in awards.select_related("entry"):
        with transaction.atomic():
            if not Award.objects.filter(pk=award.pk, granted_at__isnull=True).update(
                granted_at=timezone.now()
            ):
                continue
            granted += 1
            if award.prize_kind != PrizeKind.CASH:
                continue
            entry = award.entry
            org = entry.organisation_id
            publish("award.granted", {
                "award_id": award.pk, "campaign_id": campaign_id,
                "recipient_kind": "organisation" if org else "user",
                "recipient_id": org or entry.applicant_id,
                "amount": f"{award.amount:.2f}", "prize_kind": award.prize_kind,
            })  # fmt: skip
    return granted
