"""Reads of incubation: the board, one incubatee's card, and the plan's goals with progress
computed from the records (docs/decisions/0601-incubation-figures.md)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal

from django.db.models import Count, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from backend.incubation.figures import Figures, figures_for, figures_of
from backend.incubation.models import (
    Cluster,
    Incubatee,
    IncubateeKind,
    MilestoneMet,
    MilestoneRule,
    Residency,
    ServiceLog,
    TeamMember,
)
from backend.incubation.state import COUNTING, MOVES
from backend.plan.keys import TargetKey
from backend.plan.models import Target
from backend.plan.selectors import targets_all

# The plan names no number for these (三（四）): shown beside the goals, without a target.
PLAN_VILLAGE_STORES = "为脱贫村和有条件的电商服务站开通独立网店"


def mask_phone(phone: str) -> str:
    return f"{phone[:3]}****{phone[-4:]}" if len(phone) >= 7 else ("*" * len(phone))


def incubatees_board() -> QuerySet[Incubatee]:
    return Incubatee.objects.select_related("village__township", "organisation", "user").order_by(
        "id"
    )


def township_of(incubatee: Incubatee) -> str:
    return incubatee.village.township.name if incubatee.village else ""


def allowed_moves(incubatee: Incubatee) -> list[str]:
    return list(MOVES[incubatee.stage])


@dataclass(frozen=True)
class MilestoneView:
    key: str
    name: str
    rule: str
    threshold: Decimal
    value: Decimal
    met_at: object  # datetime | None
    value_then: Decimal | None
    holds: bool
    required_for_graduation: bool


def milestones_view(*, incubatee: Incubatee, figures: Figures) -> list[MilestoneView]:
    met = {m.rule_id: m for m in MilestoneMet.objects.filter(incubatee=incubatee)}
    views = []
    for rule in MilestoneRule.objects.all():
        if not rule.applies_to(incubatee.kind):
            continue
        value = figures.value_of(rule.kind)
        first = met.get(rule.pk)
        views.append(
            MilestoneView(
                key=rule.key,
                name=rule.name,
                rule=rule.kind,
                threshold=rule.threshold,
                value=value,
                met_at=first.first_met_at if first else None,
                value_then=first.value_then if first else None,
                holds=value >= rule.threshold,
                required_for_graduation=rule.required_for_graduation,
            )
        )
    return views


@dataclass
class Card:
    incubatee: Incubatee
    figures: Figures
    milestones: list[MilestoneView]
    residency: Residency | None
    services: list[ServiceLog] = field(default_factory=list)


def incubatee_card(*, incubatee: Incubatee) -> Card:
    figures = figures_of(incubatee=incubatee)
    residency = Residency.objects.filter(incubatee=incubatee).first()
    services = list(ServiceLog.objects.filter(incubatee=incubatee).select_related("staff"))
    return Card(
        incubatee=incubatee,
        figures=figures,
        milestones=milestones_view(incubatee=incubatee, figures=figures),
        residency=residency,
        services=services,
    )


@dataclass(frozen=True)
class Goal:
    key: str
    name: str
    wording: str
    unit: str
    comparison: str
    target: Decimal | None
    actual: int
    met: bool | None
    counts: str  # which records count (the rule, for the office to read)
    by_township: dict[str, int]
    monthly: list[tuple[str, int]] = field(default_factory=list)


def _shanghai_today() -> date:
    return timezone.localdate()


def _counted(kind: str, incs: list[Incubatee], figures: dict[int, Figures]) -> list[Incubatee]:
    return [i for i in incs if i.kind == kind and figures[i.pk].sessions]


def _residents(incs: list[Incubatee], today: date) -> list[Incubatee]:
    served = set(
        ServiceLog.objects.filter(incubatee__in=incs).values_list("incubatee_id", flat=True)
    )
    leased = set(
        Residency.objects.filter(
            incubatee__in=incs, lease_start__lte=today, lease_end__gte=today
        ).values_list("incubatee_id", flat=True)
    )
    return [
        i
        for i in incs
        if i.kind == IncubateeKind.RESIDENT_ENTERPRISE and i.pk in served and i.pk in leased
    ]


def team_by_month(*, months: list[date]) -> list[tuple[str, int]]:
    """People on the team on any day of each month (month given by its first day)."""
    members = list(TeamMember.objects.values_list("start", "end"))
    result = []
    for first in months:
        nxt = date(first.year + first.month // 12, first.month % 12 + 1, 1)
        n = sum(1 for start, end in members if start < nxt and (end is None or end >= first))
        result.append((first.strftime("%Y-%m"), n))
    return result


def _last_months(today: date, n: int) -> list[date]:
    months, year, month = [], today.year, today.month
    for _step in range(n):
        months.append(date(year, month, 1))
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
    return list(reversed(months))


def _by_township(rows: list[Incubatee]) -> dict[str, int]:
    return dict(Counter(township_of(i) or "—" for i in rows))


def goals_progress(*, today: date | None = None) -> list[Goal]:
    """The plan's incubation goals beside their progress, each counted from the records."""
    today = today or _shanghai_today()
    incs = list(incubatees_board().filter(stage__in=COUNTING))
    figures = figures_for(incubatees=incs)
    counted = {
        TargetKey.INFLUENCER_COMPANIES: (
            _counted(IncubateeKind.INFLUENCER_COMPANY, incs, figures),
            _("admitted influencer companies with at least one live session held"),
        ),
        TargetKey.INFLUENCER_FARMERS: (
            _counted(IncubateeKind.INFLUENCER_FARMER, incs, figures),
            _("admitted influencer farmers with at least one live session held"),
        ),
        TargetKey.SERVICE_CENTRE_ENTERPRISES: (
            _residents(incs, today),
            _("admitted resident enterprises with a lease covering today and a service logged"),
        ),
    }
    targets = {t.key: t for t in targets_all()}
    goals = []
    for key, (rows, counts) in counted.items():
        goals.append(_goal(targets.get(key), key, len(rows), counts, _by_township(rows)))
    clusters = list(
        Cluster.objects.annotate(n=Count("memberships")).filter(n__gt=0).select_related("township")
    )
    goals.append(
        _goal(
            targets.get(TargetKey.ECOMMERCE_PARKS),
            TargetKey.ECOMMERCE_PARKS,
            len(clusters),
            _("clusters (warehouses, maker spaces, parks) with at least one member organisation"),
            dict(Counter(c.township.name if c.township else "—" for c in clusters)),
        )
    )
    monthly = team_by_month(months=_last_months(today, 12))
    goal = _goal(
        targets.get(TargetKey.OPERATIONS_TEAM),
        TargetKey.OPERATIONS_TEAM,
        monthly[-1][1],
        _("people on the centre's operating team this month (start and end dates)"),
        {},
    )
    goals.append(replace(goal, monthly=monthly))
    stores = [
        i for i in incs if i.kind == IncubateeKind.VILLAGE_STORE and figures[i.pk].stores_bound > 0
    ]
    goals.append(
        Goal(
            key="village-stores",
            name=_("Online stores of formerly poor villages"),
            wording=PLAN_VILLAGE_STORES,
            unit=_("stores"),
            comparison="",
            target=None,
            actual=len(stores),
            met=None,
            counts=_("admitted village stores with a marketplace store bound"),
            by_township=_by_township(stores),
        )
    )
    return goals


def _goal(
    target: Target | None, key: str, actual: int, counts: str, by_township: dict[str, int]
) -> Goal:
    """A goal beside its target; a target missing from the plan's data shows no number."""
    return Goal(
        key=key,
        name=target.name if target else key,
        wording=target.wording if target else "",
        unit=target.unit if target else "",
        comparison=target.comparison if target else "",
        target=target.value if target else None,
        actual=actual,
        met=target.is_met_by(Decimal(actual)) if target else None,
        counts=counts,
        by_township=by_township,
    )


def clusters_with_members() -> list[tuple[Cluster, list[str]]]:
    clusters = Cluster.objects.select_related("township").prefetch_related(
        "memberships__organisation"
    )
    return [
        (c, [m.organisation.name for m in c.memberships.all()]) for c in clusters.order_by("id")
    ]


def team_members() -> QuerySet[TeamMember]:
    return TeamMember.objects.order_by("start", "id")
