"""The plan's targets and periods, read-only, for any signed-in user."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router
from ninja.pagination import paginate

from backend.common.pagination import LimitOffset
from backend.plan.access import access_plan, access_target
from backend.plan.schemas import PeriodOut, TargetOut
from backend.plan.selectors import periods_all, targets_all

router = Router(tags=["plan"])


@router.get("/targets", response=list[TargetOut])
@paginate(LimitOffset)
def targets_list(request: HttpRequest) -> Any:
    access_plan(user=request.user)
    return targets_all()


@router.get("/targets/{key}", response=TargetOut)
def targets_get(request: HttpRequest, key: str) -> Any:
    return access_target(user=request.user, key=key)


@router.get("/periods", response=list[PeriodOut])
@paginate(LimitOffset)
def periods_list(request: HttpRequest) -> Any:
    access_plan(user=request.user)
    return periods_all()
