"""Campaigns: events of the organisers (festivals, livestream contests, trade fairs,
promotion weeks), their registrations, linked live sessions, judges, votes, frozen results,
公示 objections, awards and venue check-in.

A contest is a campaign of kind `contest` (usually inside a festival: `parent`); its
entries are its approved registrations, each with the live sessions linked to it here
(live knows no campaigns)."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from backend.accounts.models import Organisation
from backend.live.models import LiveSession

USER = settings.AUTH_USER_MODEL


class CampaignKind(models.TextChoices):
    FESTIVAL = "festival", _("Festival")
    CONTEST = "contest", _("Livestream contest")
    FAIR = "fair", _("Exhibition / trade fair")
    PROMOTION_WEEK = "promotion_week", _("Promotion week")


class Stage(models.TextChoices):
    """A contest's course: open (registrations, sessions, scores) → frozen (results fixed
    at the end) → publicity (公示: provisional results public, objections) → final."""

    OPEN = "open", _("Open")
    FROZEN = "frozen", _("Frozen")
    PUBLICITY = "publicity", _("Publicity")
    FINAL = "final", _("Final")


# The figures a contest ranks by, each with a weight (per contest, in `weights`).
METRICS = ("gmv", "orders", "peak", "likes", "followers", "judges", "votes")


def default_weights() -> dict[str, str]:
    return {"gmv": "0.40", "orders": "0.10", "peak": "0.05", "likes": "0.05",
            "followers": "0.10", "judges": "0.30", "votes": "0.00"}  # fmt: skip


def default_criteria() -> list[str]:
    return ["content", "sales_craft", "local_products"]


class Campaign(models.Model):
    Kind = CampaignKind

    kind = models.CharField(max_length=16, choices=Kind.choices)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="children"
    )
    title = models.CharField(_("title"), max_length=120)
    slug = models.SlugField(max_length=40, unique=True)  # the public, read-only link
    description = models.TextField(blank=True)
    cover_url = models.CharField(max_length=500, blank=True)
    venue = models.CharField(max_length=200, blank=True)
    online = models.BooleanField(default=True)
    offline = models.BooleanField(default=False)
    schedule = models.JSONField(default=list, blank=True)  # [{at, title, venue}]
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    registration_deadline = models.DateTimeField()
    capacity = models.PositiveIntegerField(default=50)
    places_taken = models.PositiveIntegerField(default=0)  # pending + approved
    organisers: models.ManyToManyField[models.Model, models.Model] = models.ManyToManyField(
        USER, related_name="organised_campaigns"
    )
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    # Contest rules (kind=contest).
    weights = models.JSONField(default=default_weights)
    criteria = models.JSONField(default=default_criteria)
    score_max = models.PositiveSmallIntegerField(default=10)
    voting = models.BooleanField(default=False)
    stage = models.CharField(max_length=16, choices=Stage.choices, default=Stage.OPEN)
    frozen_at = models.DateTimeField(null=True, blank=True)
    publicity_ends_at = models.DateTimeField(null=True, blank=True)
    finalised_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["starts_at", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(starts_at__lt=models.F("ends_at")),
                                   name="campaign_starts_before_end"),
            models.CheckConstraint(condition=Q(places_taken__lte=models.F("capacity")),
                                   name="campaign_within_capacity"),
        ]  # fmt: skip

    def __str__(self) -> str:
        return self.title


class RegistrationStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


class Registration(models.Model):
    """An organisation or a streamer taking part; in a contest, an entry."""

    Status = RegistrationStatus

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="registrations")
    applicant = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    display_name = models.CharField(max_length=80)
    is_farmer = models.BooleanField(default=False)  # 网红农民, for the plan's counters
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    reason = models.CharField(max_length=200, blank=True)  # the rejection's reason
    reviewed_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "applicant"], name="registration_once"),
        ]

    def __str__(self) -> str:
        return self.display_name


class CampaignSession(models.Model):
    """A live session in a campaign (and, in a contest, of one entry)."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="sessions")
    session = models.ForeignKey(LiveSession, on_delete=models.CASCADE, related_name="+")
    entry = models.ForeignKey(
        Registration, null=True, blank=True, on_delete=models.CASCADE, related_name="sessions"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["campaign", "session"], name="campaign_session_once"),
        ]

    def __str__(self) -> str:
        return f"{self.session_id} in {self.campaign_id}"


class JudgeAssignment(models.Model):
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="judges")
    judge = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="judging")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["campaign", "judge"], name="judge_assigned_once"),
        ]

    def __str__(self) -> str:
        return f"judge {self.judge_id} of {self.campaign_id}"


class JudgeScore(models.Model):
    """Append-only: a correction is a new row that `replaces` the one before, with a reason.
    The first score of (entry, judge, criterion) is unique; each score is replaced at most
    once, so the chain's head is the standing score."""

    entry = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="scores")
    judge = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    criterion = models.CharField(max_length=40)
    score = models.DecimalField(max_digits=5, decimal_places=2)
    reason = models.CharField(max_length=200, blank=True)
    replaces = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="replaced_by"
    )
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["entry", "judge", "criterion"], condition=Q(replaces__isnull=True),
                name="judge_score_once",
            ),
            models.CheckConstraint(condition=Q(replaces__isnull=True) | ~Q(reason=""),
                                   name="judge_correction_has_reason"),
        ]  # fmt: skip

    def __str__(self) -> str:
        return f"{self.criterion} {self.score} by {self.judge_id}"


class Vote(models.Model):
    """One public vote per signed-in buyer, contest and day (Asia/Shanghai)."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="votes")
    entry = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="votes")
    voter = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["campaign", "voter", "day"], name="vote_once_a_day"),
        ]

    def __str__(self) -> str:
        return f"vote {self.voter_id} → {self.entry_id} on {self.day}"


class Result(models.Model):
    """An entry's frozen standing, and the audit of how each figure was formed."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="results")
    entry = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="+")
    rank = models.PositiveIntegerField()
    total = models.DecimalField(max_digits=8, decimal_places=2)
    figures = models.JSONField()
    audit = models.JSONField()

    class Meta:
        ordering = ["rank"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "entry"], name="result_once"),
        ]

    def __str__(self) -> str:
        return f"#{self.rank} {self.entry_id} ({self.total})"


class Objection(models.Model):
    """Lodged during 公示; the organiser answers it before the results become final."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="objections")
    entry = models.ForeignKey(
        Registration, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    text = models.CharField(max_length=500)
    answer = models.CharField(max_length=500, blank=True)
    answered_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)
    at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"objection {self.pk} on {self.campaign_id}"


class PrizeKind(models.TextChoices):
    CASH = "cash", _("Cash (以奖代补)")
    GOODS = "goods", _("Goods")
    HONOUR = "honour", _("Honour")


class Award(models.Model):
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="awards")
    entry = models.ForeignKey(Registration, on_delete=models.PROTECT, related_name="awards")
    title = models.CharField(max_length=80)
    prize_kind = models.CharField(max_length=16, choices=PrizeKind.choices)
    amount = models.DecimalField(max_digits=12, decimal_places=2, default=Decimal("0.00"))
    granted_at = models.DateTimeField(null=True, blank=True)  # set once: award.granted once

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=0), name="award_amount_positive"),
            models.CheckConstraint(condition=~Q(prize_kind="cash") | Q(amount__gt=0),
                                   name="award_cash_has_amount"),
        ]  # fmt: skip

    def __str__(self) -> str:
        return f"{self.title} → {self.entry_id}"


class PassKind(models.TextChoices):
    PARTICIPANT = "participant", _("Participant")
    VISITOR = "visitor", _("Visitor")


class Pass(models.Model):
    """A venue QR code: one per participant (registration) and per visitor."""

    Kind = PassKind

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="passes")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    registration = models.OneToOneField(
        Registration, null=True, blank=True, on_delete=models.CASCADE, related_name="venue_pass"
    )
    holder = models.ForeignKey(USER, null=True, blank=True, on_delete=models.CASCADE)
    name = models.CharField(max_length=80)
    code = models.CharField(max_length=16, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["campaign", "holder"], name="pass_once_per_holder"),
        ]

    def __str__(self) -> str:
        return f"{self.code} ({self.kind})"


class Checkin(models.Model):
    """A scan at the door; a pass counts once a day however often it is scanned."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="checkins")
    venue_pass = models.ForeignKey(Pass, on_delete=models.CASCADE, related_name="checkins")
    day = models.DateField()
    scanned_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["venue_pass", "day"], name="checkin_once_a_day"),
        ]

    def __str__(self) -> str:
        return f"{self.venue_pass_id} on {self.day}"
