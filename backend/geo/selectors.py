"""Reads of the county registry."""

from __future__ import annotations

from django.db.models import QuerySet

from backend.geo.models import Township, Village


def townships_all() -> QuerySet[Township]:
    """Every township, the dissolved ones included (old addresses still name them)."""
    return Township.objects.prefetch_related("aliases").order_by("code")


def villages_list(*, township_code: str | None = None) -> QuerySet[Village]:
    villages = Village.objects.select_related("township").order_by("code")
    if township_code is not None:
        villages = villages.filter(township__code=township_code)
    return villages
