"""The one gate for the plan's targets and periods: read-only, for any signed-in user
(the plan is a published county document); changes come only through migrations."""

from __future__ import annotations

from typing import Any

from backend.common.permissions import require_authenticated
from backend.plan.models import Target
from backend.plan.selectors import target_get


def access_plan(*, user: Any) -> None:
    require_authenticated(user)


def access_target(*, user: Any, key: str) -> Target:
    access_plan(user=user)
    return target_get(key=key)
