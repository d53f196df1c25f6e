"""Incubation: incubatees of four kinds and their pipeline, milestones as data (met from the
records, never typed in), resident enterprises with their leases and services, the
e-commerce clusters and the centre's operating team (plan section 三（三）2–3)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from backend.accounts.models import Organisation, OrganisationKind
from backend.common.crypto import EncryptedTextField
from backend.geo.models import Township, Village


class Programme(models.Model):
    name = models.CharField(_("name"), max_length=64, unique=True)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name


class Cohort(models.Model):
    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="cohorts")
    name = models.CharField(_("name"), max_length=64)
    start = models.DateField(_("start"))

    class Meta:
        verbose_name = _("cohort")
        verbose_name_plural = _("cohorts")
        ordering = ["start", "id"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "name"], name="cohort_name_unique")
        ]

    def __str__(self) -> str:
        return f"{self.programme.name} · {self.name}"


class IncubateeKind(models.TextChoices):
    INFLUENCER_COMPANY = "influencer_company", _("Influencer company")
    INFLUENCER_FARMER = "influencer_farmer", _("Influencer farmer")
    RESIDENT_ENTERPRISE = "resident_enterprise", _("Resident enterprise")
    VILLAGE_STORE = "village_store", _("Village online store")


# Which organisations each kind may be linked to (a farmer is never linked to a company).
ORG_KINDS_FOR: dict[str, tuple[str, ...]] = {
    IncubateeKind.INFLUENCER_COMPANY: (OrganisationKind.ENTERPRISE, OrganisationKind.COOPERATIVE),
    IncubateeKind.INFLUENCER_FARMER: (OrganisationKind.INDIVIDUAL, OrganisationKind.FAMILY_FARM),
    IncubateeKind.RESIDENT_ENTERPRISE: (OrganisationKind.ENTERPRISE, OrganisationKind.COOPERATIVE),
    IncubateeKind.VILLAGE_STORE: (
        OrganisationKind.COOPERATIVE,
        OrganisationKind.INDIVIDUAL,
        OrganisationKind.FAMILY_FARM,
        OrganisationKind.STATION_HOST,
    ),
}


class Stage(models.TextChoices):
    APPLIED = "applied", _("Applied")
    ADMITTED = "admitted", _("Admitted")
    IN_INCUBATION = "in_incubation", _("In incubation")
    GRADUATED = "graduated", _("Graduated")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Incubatee(models.Model):
    Kind = IncubateeKind
    Stage = Stage

    kind = models.CharField(_("kind"), max_length=24, choices=IncubateeKind.choices)
    name = models.CharField(_("name"), max_length=128)
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    village = models.ForeignKey(
        Village, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    mentor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    cohort = models.ForeignKey(
        Cohort, null=True, blank=True, on_delete=models.PROTECT, related_name="incubatees"
    )
    contact_phone = EncryptedTextField(_("contact phone"), blank=True, default="")
    stage = models.CharField(max_length=16, choices=Stage.choices, default=Stage.APPLIED)
    applied_at = models.DateTimeField(_("applied at"))
    admitted_at = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    graduated_at = models.DateTimeField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("incubatee")
        verbose_name_plural = _("incubatees")
        ordering = ["id"]
        permissions = [("manage_incubation", "Can run incubation (the office)")]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=[k.value for k in IncubateeKind]),
                name="incubatee_kind_valid",
            ),
            models.CheckConstraint(
                condition=Q(stage__in=[s.value for s in Stage]), name="incubatee_stage_valid"
            ),
            # A farmer is a person; the other kinds are organisations.
            models.CheckConstraint(
                condition=~Q(kind="influencer_farmer") | Q(user__isnull=False),
                name="incubatee_farmer_has_user",
            ),
            models.CheckConstraint(
                condition=Q(kind="influencer_farmer") | Q(organisation__isnull=False),
                name="incubatee_org_kinds_have_org",
            ),
            models.UniqueConstraint(
                fields=["kind", "organisation"],
                condition=Q(organisation__isnull=False) & ~Q(stage="withdrawn"),
                name="incubatee_org_once_per_kind",
            ),
            models.UniqueConstraint(
                fields=["kind", "user"],
                condition=Q(user__isnull=False) & ~Q(stage="withdrawn"),
                name="incubatee_user_once_per_kind",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.kind}, {self.stage})"


class StageMove(models.Model):
    """The pipeline's timeline: every move, who made it and why."""

    incubatee = models.ForeignKey(Incubatee, on_delete=models.CASCADE, related_name="moves")
    from_stage = models.CharField(max_length=16)
    to_stage = models.CharField(max_length=16)
    reason = models.CharField(max_length=200)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField()

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.incubatee_id}: {self.from_stage} → {self.to_stage}"


class RuleKind(models.TextChoices):
    SESSIONS = "sessions", _("Live sessions held")
    GMV = "gmv", _("Cumulative GMV (yuan)")
    PEAK_VIEWERS = "peak_viewers", _("Peak viewers of one session")
    STORE_BOUND = "store_bound", _("Marketplace stores bound")
    FOLLOWERS = "followers", _("Followers gained")
    TRAINING = "training", _("Training sessions attended")


class MilestoneRule(models.Model):
    """A milestone as data: met when the incubatee's figure of `kind` reaches `threshold`.
    `kinds` empty means every kind of incubatee."""

    Kind = RuleKind

    key = models.SlugField(max_length=48, unique=True)
    name = models.CharField(_("name"), max_length=64)
    kind = models.CharField(_("rule"), max_length=16, choices=RuleKind.choices)
    threshold = models.DecimalField(_("threshold"), max_digits=14, decimal_places=2)
    kinds = models.JSONField(_("incubatee kinds"), default=list, blank=True)
    required_for_graduation = models.BooleanField(default=False)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("milestone rule")
        verbose_name_plural = _("milestone rules")
        ordering = ["position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=[k.value for k in RuleKind]), name="milestone_kind_valid"
            ),
            models.CheckConstraint(condition=Q(threshold__gt=0), name="milestone_threshold_gt0"),
        ]

    def __str__(self) -> str:
        return f"{self.key}: {self.kind} ≥ {self.threshold}"

    def applies_to(self, kind: str) -> bool:
        return not self.kinds or kind in self.kinds


class MilestoneMet(models.Model):
    """When a milestone was first met, and the figure then. Never moved or removed: a later
    refund lowers the figure (shown on the card), not the date."""

    incubatee = models.ForeignKey(Incubatee, on_delete=models.CASCADE, related_name="milestones")
    rule = models.ForeignKey(MilestoneRule, on_delete=models.CASCADE, related_name="+")
    first_met_at = models.DateTimeField()
    value_then = models.DecimalField(max_digits=14, decimal_places=2)

    class Meta:
        ordering = ["first_met_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["incubatee", "rule"], name="milestone_met_once")
        ]

    def __str__(self) -> str:
        return f"{self.incubatee_id} met {self.rule_id} at {self.first_met_at}"


class TrainingAttendance(models.Model):
    """One `training.attended` event, kept once (the training module publishes them)."""

    training_session_id = models.PositiveIntegerField()
    person_id = models.PositiveIntegerField()
    at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["training_session_id", "person_id"], name="training_attendance_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.person_id} at training {self.training_session_id}"


class Residency(models.Model):
    """A resident enterprise's desk or room in the public-service centre and its lease."""

    incubatee = models.OneToOneField(Incubatee, on_delete=models.CASCADE, related_name="residency")
    place = models.CharField(_("desk or room"), max_length=32)
    lease_start = models.DateField(_("lease start"))
    lease_end = models.DateField(_("lease end"))

    class Meta:
        verbose_name = _("residency")
        verbose_name_plural = _("residencies")
        constraints = [
            models.CheckConstraint(
                condition=Q(lease_end__gte=F("lease_start")), name="residency_lease_order"
            )
        ]

    def __str__(self) -> str:
        return f"{self.place}: {self.lease_start}–{self.lease_end}"


class ServiceKind(models.TextChoices):
    """The one-stop services of the plan (三（三）3（2））."""

    TECHNICAL = "technical", _("Technical support")
    INFORMATION = "information", _("Information services")
    MARKETING = "marketing", _("Marketing and promotion")
    CONSULTING = "consulting", _("Management consulting")
    FINANCE = "finance", _("Financial services")
    VALUE_ADDED = "value_added", _("Value-added services")


class ServiceLog(models.Model):
    incubatee = models.ForeignKey(Incubatee, on_delete=models.CASCADE, related_name="services")
    service = models.CharField(_("service"), max_length=16, choices=ServiceKind.choices)
    on = models.DateField(_("date"))
    staff = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    outcome = models.CharField(_("outcome"), max_length=300)

    class Meta:
        ordering = ["-on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(service__in=[s.value for s in ServiceKind]), name="service_kind_valid"
            )
        ]

    def __str__(self) -> str:
        return f"{self.incubatee_id}: {self.service} on {self.on}"


class ClusterKind(models.TextChoices):
    WAREHOUSE = "warehouse", _("E-commerce warehouse")
    MAKER_SPACE = "maker_space", _("Maker space")
    INCUBATION_PARK = "incubation_park", _("Incubation park")


class Cluster(models.Model):
    """An e-commerce cluster (集聚园区) of the plan: a warehouse, maker space or park."""

    name = models.CharField(_("name"), max_length=64, unique=True)
    kind = models.CharField(_("kind"), max_length=16, choices=ClusterKind.choices)
    township = models.ForeignKey(
        Township, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    opened_on = models.DateField(_("opened on"))
    members: models.ManyToManyField[Organisation, ClusterMember] = models.ManyToManyField(
        Organisation, through="ClusterMember", related_name="+"
    )

    class Meta:
        verbose_name = _("e-commerce cluster")
        verbose_name_plural = _("e-commerce clusters")
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=[k.value for k in ClusterKind]), name="cluster_kind_valid"
            )
        ]

    def __str__(self) -> str:
        return self.name


class ClusterMember(models.Model):
    cluster = models.ForeignKey(Cluster, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    joined_on = models.DateField(_("joined on"))

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["cluster", "organisation"], name="cluster_member_once")
        ]

    def __str__(self) -> str:
        return f"{self.organisation_id} in {self.cluster_id}"


class TeamMember(models.Model):
    """A member of the centre's operating team, with role and dates (the plan's "≥ 8")."""

    name = models.CharField(_("name"), max_length=64)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    role = models.CharField(_("role"), max_length=64)
    phone = EncryptedTextField(_("phone"), blank=True, default="")
    start = models.DateField(_("start"))
    end = models.DateField(_("end"), null=True, blank=True)

    class Meta:
        verbose_name = _("team member")
        verbose_name_plural = _("team members")
        ordering = ["start", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gte=F("start")), name="team_member_dates"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.role})"
