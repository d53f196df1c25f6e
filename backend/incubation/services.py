"""Every write of incubation: incubatees and their pipeline, milestones met, residencies and
the services they used."""

from __future__ import annotations

from datetime import date, datetime

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from backend.accounts.models import Membership, Organisation, User
from backend.common.errors import Conflict, Invalid
from backend.common.events import publish
from backend.common.timefmt import iso_local
from backend.geo.models import Village
from backend.incubation.errors import IncubationErrorCode
from backend.incubation.figures import figures_of
from backend.incubation.lock_objects import incubatee_lock
from backend.incubation.models import (
    ORG_KINDS_FOR,
    Cohort,
    Incubatee,
    IncubateeKind,
    MilestoneMet,
    MilestoneRule,
    Residency,
    ServiceLog,
    Stage,
    StageMove,
    TrainingAttendance,
)
from backend.incubation.state import MOVES, STAMPS


def _check_links(*, kind: str, organisation: Organisation | None, user: User | None) -> None:
    """A farmer is a person (their own farm or business at most); the other kinds are
    organisations of fitting kinds, and a linked person must belong to the organisation."""
    wrong = Invalid(
        _("This incubatee cannot be linked to that user or organisation."),
        code=IncubationErrorCode.LINK_WRONG_KIND,
        extra={"allowed_organisation_kinds": list(ORG_KINDS_FOR[kind])},
    )
    if kind == IncubateeKind.INFLUENCER_FARMER and user is None:
        raise wrong
    if kind != IncubateeKind.INFLUENCER_FARMER and organisation is None:
        raise wrong
    if organisation is not None and organisation.kind not in ORG_KINDS_FOR[kind]:
        raise wrong
    if user is not None and organisation is not None:
        if not Membership.objects.filter(user=user, organisation=organisation).exists():
            raise wrong
    if kind == IncubateeKind.INFLUENCER_FARMER and user is not None and organisation is None:
        # A person who works for a company is that company's streamer, not a farmer.
        companies = ORG_KINDS_FOR[IncubateeKind.INFLUENCER_COMPANY]
        if Membership.objects.filter(user=user, organisation__kind__in=companies).exists():
            raise wrong


def incubatee_apply(
    *,
    kind: str,
    name: str,
    organisation: Organisation | None,
    user: User | None,
    village: Village | None,
    mentor: User | None,
    cohort: Cohort | None,
    contact_phone: str,
    by: User,
) -> Incubatee:
    _check_links(kind=kind, organisation=organisation, user=user)
    now = timezone.now()
    try:
        with transaction.atomic():
            incubatee = Incubatee.objects.create(
                kind=kind,
                name=name,
                organisation=organisation,
                user=user,
                village=village,
                mentor=mentor,
                cohort=cohort,
                contact_phone=contact_phone,
                applied_at=now,
            )
            StageMove.objects.create(
                incubatee=incubatee,
                from_stage="",
                to_stage=Stage.APPLIED,
                reason="",  # the application itself has no reason to give
                by=by,
                at=now,
            )
    except IntegrityError as exc:
        raise Conflict(
            _("This organisation or person is already an incubatee of this kind."),
            code=IncubationErrorCode.ALREADY_INCUBATED,
        ) from exc
    return incubatee


def _missing_for_graduation(incubatee: Incubatee) -> list[str]:
    required = [
        r
        for r in MilestoneRule.objects.filter(required_for_graduation=True)
        if r.applies_to(incubatee.kind)
    ]
    met = set(MilestoneMet.objects.filter(incubatee=incubatee).values_list("rule_id", flat=True))
    return [r.key for r in required if r.pk not in met]


def incubatee_move(*, incubatee_id: int, to: str, reason: str, by: User) -> Incubatee:
    """One move of the pipeline; 409 with the allowed moves when the pipeline forbids it,
    or with the milestones still missing when graduating."""
    with transaction.atomic():
        incubatee = incubatee_lock(incubatee_id=incubatee_id)
        allowed = list(MOVES[incubatee.stage])
        if to not in allowed:
            raise Conflict(
                _("An incubatee cannot move from %(from)s to %(to)s.")
                % {"from": incubatee.stage, "to": to},
                code=IncubationErrorCode.MOVE_NOT_ALLOWED,
                extra={"stage": incubatee.stage, "allowed": allowed},
            )
        if to == Stage.GRADUATED:
            missing = _missing_for_graduation(incubatee)
            if missing:
                raise Conflict(
                    _("Graduation needs every required milestone met."),
                    code=IncubationErrorCode.MILESTONES_MISSING,
                    extra={"missing": missing},
                )
        now = timezone.now()
        StageMove.objects.create(
            incubatee=incubatee,
            from_stage=incubatee.stage,
            to_stage=to,
            reason=reason,
            by=by,
            at=now,
        )
        incubatee.stage = to
        setattr(incubatee, STAMPS[to], now)
        incubatee.save(update_fields=["stage", STAMPS[to]])
        if to in (Stage.ADMITTED, Stage.GRADUATED):
            publish(f"incubatee.{to}", _payload(incubatee, reason=reason, at=now))
        if to == Stage.ADMITTED:
            milestones_evaluate(incubatee=incubatee, at=now)
    return incubatee


def _payload(incubatee: Incubatee, *, reason: str, at: datetime) -> dict[str, object]:
    return {
        "incubatee_id": incubatee.pk,
        "kind": incubatee.kind,
        "organisation_id": incubatee.organisation_id,
        "user_id": incubatee.user_id,
        "cohort_id": incubatee.cohort_id,
        "village_id": incubatee.village_id,
        "reason": reason,
        "at": iso_local(at),
    }


def milestones_evaluate(*, incubatee: Incubatee, at: datetime) -> list[MilestoneMet]:
    """Record the milestones the records now meet, each once: an event delivered twice,
    or a figure that later falls (a refund), never moves a first-met date."""
    if incubatee.stage == Stage.WITHDRAWN:
        return []
    figures = figures_of(incubatee=incubatee)
    met = [
        MilestoneMet(
            incubatee=incubatee, rule=rule, first_met_at=at, value_then=figures.value_of(rule.kind)
        )
        for rule in MilestoneRule.objects.all()
        if rule.applies_to(incubatee.kind) and figures.value_of(rule.kind) >= rule.threshold
    ]
    return MilestoneMet.objects.bulk_create(met, ignore_conflicts=True)


def milestones_evaluate_for(*, user_ids: set[int], organisation_ids: set[int], at: datetime) -> int:
    """Evaluate every live incubatee linked to these people or organisations."""
    found = Incubatee.objects.exclude(stage=Stage.WITHDRAWN).filter(
        Q(user_id__in=user_ids) | Q(organisation_id__in=organisation_ids)
    )
    count = 0
    for incubatee in found:
        milestones_evaluate(incubatee=incubatee, at=at)
        count += 1
    return count


def training_attendance_record(*, training_session_id: int, person_id: int, at: datetime) -> None:
    TrainingAttendance.objects.bulk_create(
        [TrainingAttendance(training_session_id=training_session_id, person_id=person_id, at=at)],
        ignore_conflicts=True,
    )


def residency_set(
    *, incubatee: Incubatee, place: str, lease_start: date, lease_end: date
) -> Residency:
    if incubatee.kind != IncubateeKind.RESIDENT_ENTERPRISE:
        raise Invalid(
            _("Only a resident enterprise has a desk or room in the centre."),
            code=IncubationErrorCode.NOT_RESIDENT,
        )
    if lease_end < lease_start:
        raise Invalid(
            _("The lease cannot end before it starts."),
            code=IncubationErrorCode.LEASE_DATES,
            extra={
                "fields": [{"path": "body.payload.lease_end", "message": _("Before the start.")}]
            },
        )
    residency, _created = Residency.objects.update_or_create(
        incubatee=incubatee,
        defaults={"place": place, "lease_start": lease_start, "lease_end": lease_end},
    )
    return residency


def service_log(
    *, incubatee: Incubatee, service: str, on: date, staff: User, outcome: str
) -> ServiceLog:
    if incubatee.kind != IncubateeKind.RESIDENT_ENTERPRISE:
        raise Invalid(
            _("The centre's one-stop services are logged for resident enterprises."),
            code=IncubationErrorCode.NOT_RESIDENT,
        )
    return ServiceLog.objects.create(
        incubatee=incubatee, service=service, on=on, staff=staff, outcome=outcome
    )
