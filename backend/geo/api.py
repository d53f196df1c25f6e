"""The county registry, read-only, for any signed-in user; and the address resolver.

No `from __future__ import annotations` here: ninja builds the query-parameter model from
the annotations, and a string `QueryEx[...]` cannot be resolved when it does.
"""

from typing import Any

from django.http import HttpRequest
from ninja import P, QueryEx, Router
from ninja.pagination import paginate

from backend.common.pagination import LimitOffset
from backend.geo.access import access_registry
from backend.geo.models import TOWNSHIP_CODE_PATTERN
from backend.geo.resolver import address_resolve
from backend.geo.schemas import ResolutionOut, ResolveIn, TownshipOut, VillageOut, resolution_out
from backend.geo.selectors import townships_all, villages_list

router = Router(tags=["geo"])


@router.get("/townships", response=list[TownshipOut])
@paginate(LimitOffset)
def townships_list(request: HttpRequest) -> Any:
    access_registry(user=request.user)
    return townships_all()


@router.get("/villages", response=list[VillageOut])
@paginate(LimitOffset)
def villages_list_endpoint(
    request: HttpRequest,
    township: QueryEx[
        str | None, P(pattern=TOWNSHIP_CODE_PATTERN, description="9-digit NBS township code")
    ] = None,
) -> Any:
    access_registry(user=request.user)
    return villages_list(township_code=township)


@router.post("/resolve", response=ResolutionOut)
def address_resolve_endpoint(request: HttpRequest, payload: ResolveIn) -> ResolutionOut:
    access_registry(user=request.user)
    return resolution_out(address_resolve(text=payload.text))
