from __future__ import annotations

from ninja import Field, Schema

from backend.geo.models import Township, Village
from backend.geo.resolver import Candidate, Resolution


class TownshipBrief(Schema):
    code: str
    name: str
    is_dissolved: bool


class TownshipOut(Schema):
    id: int
    code: str
    name: str
    kind: str
    aliases: list[str]
    is_dissolved: bool
    dissolved_year: int | None
    note: str

    @staticmethod
    def resolve_aliases(obj: Township) -> list[str]:
        return [a.alias for a in obj.aliases.all()]


class VillageOut(Schema):
    id: int
    code: str
    name: str
    township: TownshipBrief
    formerly_poor: bool
    is_sample: bool


class VillageBrief(Schema):
    code: str
    name: str
    is_sample: bool


class ResolveIn(Schema):
    text: str = Field(..., min_length=1, max_length=200)


class CandidateOut(Schema):
    township: TownshipBrief
    village: VillageBrief | None


class ResolutionOut(Schema):
    status: str = Field(..., description="matched, township, ambiguous, dissolved or unknown")
    message: str
    township: TownshipBrief | None
    village: VillageBrief | None
    township_match: str | None
    village_match: str | None
    candidates: list[CandidateOut]


def _township(township: Township | None) -> TownshipBrief | None:
    if township is None:
        return None
    return TownshipBrief(code=township.code, name=township.name, is_dissolved=township.is_dissolved)


def _village(village: Village | None) -> VillageBrief | None:
    if village is None:
        return None
    return VillageBrief(code=village.code, name=village.name, is_sample=village.is_sample)


def _candidate(candidate: Candidate) -> CandidateOut:
    township = _township(candidate.township)
    assert township is not None
    return CandidateOut(township=township, village=_village(candidate.village))


def resolution_out(resolution: Resolution) -> ResolutionOut:
    return ResolutionOut(
        status=resolution.status.value,
        message=resolution.message,
        township=_township(resolution.township),
        village=_village(resolution.village),
        township_match=resolution.township_match,
        village_match=resolution.village_match,
        candidates=[_candidate(c) for c in resolution.candidates],
    )
