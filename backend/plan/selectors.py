"""The one way any app reads the plan's numbers."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from backend.common.errors import NotFound
from backend.plan.models import Period, Target


def targets_all() -> QuerySet[Target]:
    """Every target, in the plan's order, with its period."""
    return Target.objects.select_related("period").order_by("position")


def target_get(*, key: str) -> Target:
    target = targets_all().filter(key=key).first()
    if target is None:
        raise NotFound(_("No target of the plan has the key %(key)s.") % {"key": key})
    return target


def periods_all() -> QuerySet[Period]:
    return Period.objects.order_by("start", "-end")
