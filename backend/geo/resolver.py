"""Free-text address → township and village, or an honest "cannot tell".

Order of evidence, strongest first: the whole text is a township's name or alias; a
township's full name appears in the text; a township alias appears outside every village
name found in the text. Villages are then looked for inside that township (or county-wide
when no township is named): exact name, contained name, name without its 村/社区 suffix.
Two candidates at the deciding step give no match, with the candidates: never a guess.
A dissolved township (樊村河乡, 苏庄乡) is recognised and reported as such; its villages
went to townships nobody has recorded, so none is suggested.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TypeVar

from django.core.cache import cache
from django.db import transaction
from django.utils.translation import gettext as _

from backend.geo.models import Township, Village

# Whitespace and punctuation people put between the parts of an address.
_NOISE = re.compile(r"[\s\u3000,，.。、;；:：/\\()（）\-—_#]+")
_VILLAGE_SUFFIXES = ("村民委员会", "居民委员会", "村委会", "居委会", "社区", "村")
_SHORT_NAME_MIN = 2
_MASK = "\0"
# The province, city and county add nothing: every address here is in Qinshui.
_PREFIXES = ("山西省", "晋城市", "沁水县")

T = TypeVar("T", Township, Village)


class ResolutionStatus(StrEnum):
    MATCHED = "matched"  # a village, and so its township
    TOWNSHIP = "township"  # a township; no village named, or none recognised in it
    AMBIGUOUS = "ambiguous"
    DISSOLVED = "dissolved"
    UNKNOWN = "unknown"


class MatchKind(StrEnum):
    EXACT = "exact"
    ALIAS = "alias"
    CONTAINED = "contained"
    SHORT_NAME = "short_name"  # a village's name without 村/社区
    VIA_VILLAGE = "via_village"  # the township of the matched village


@dataclass(frozen=True)
class Candidate:
    township: Township
    village: Village | None = None


@dataclass(frozen=True)
class Resolution:
    status: ResolutionStatus
    message: str
    township: Township | None = None
    village: Village | None = None
    township_match: MatchKind | None = None
    village_match: MatchKind | None = None
    candidates: list[Candidate] = field(default_factory=list)


def _clean(text: str) -> str:
    text = _NOISE.sub("", text)
    for prefix in _PREFIXES:
        text = text.removeprefix(prefix)
    return text


def _outermost(found: list[T]) -> list[T]:
    """Drop a hit whose name lies inside another hit's name ("李庄村" within "上李庄村")."""
    unique = list({item.pk: item for item in found}.values())
    return [
        item
        for item in unique
        if not any(item.name != other.name and item.name in other.name for other in unique)
    ]


def _short_name(name: str) -> str | None:
    for suffix in _VILLAGE_SUFFIXES:
        if name.endswith(suffix) and len(name) - len(suffix) >= _SHORT_NAME_MIN:
            return name[: -len(suffix)]
    return None


def _short_name_in(village: Village, text: str) -> bool:
    short = _short_name(village.name)
    return short is not None and short in text


def _villages_in(text: str, villages: Sequence[Village]) -> tuple[MatchKind | None, list[Village]]:
    tiers: list[tuple[MatchKind, Callable[[Village], bool]]] = [
        (MatchKind.EXACT, lambda v: v.name == text),
        (MatchKind.CONTAINED, lambda v: v.name in text),
        (MatchKind.SHORT_NAME, lambda v: _short_name_in(v, text)),
    ]
    for kind, test in tiers:
        hits = _outermost([v for v in villages if test(v)])
        if hits:
            return kind, hits
    return None, []


def _townships_in(
    text: str, townships: Sequence[Township], villages: Sequence[Village]
) -> tuple[MatchKind | None, list[Township]]:
    aliases = {t.pk: [a.alias for a in t.aliases.all()] for t in townships}
    exact = [t for t in townships if t.name == text]
    if exact:
        return MatchKind.EXACT, exact
    by_alias = [t for t in townships if text in aliases[t.pk]]
    if by_alias:
        return MatchKind.ALIAS, by_alias
    named = _outermost([t for t in townships if t.name in text])
    if named:
        return MatchKind.CONTAINED, named
    # "苏庄" inside "苏庄村" names the village, not the township: mask village names first.
    masked = text
    for village in _outermost([v for v in villages if v.name in text]):
        masked = masked.replace(village.name, _MASK * len(village.name))
    by_alias = [t for t in townships if any(a in masked for a in aliases[t.pk])]
    return (MatchKind.ALIAS, by_alias) if by_alias else (None, [])


def _ambiguous(
    message: str,
    candidates: list[Candidate],
    township: Township | None = None,
    township_match: MatchKind | None = None,
) -> Resolution:
    return Resolution(
        status=ResolutionStatus.AMBIGUOUS,
        message=message,
        township=township,
        township_match=township_match,
        candidates=sorted(
            candidates, key=lambda c: (c.township.code, c.village.code if c.village else "")
        ),
    )


def _dissolved(township: Township, how: MatchKind) -> Resolution:
    return Resolution(
        status=ResolutionStatus.DISSOLVED,
        message=_(
            "%(name)s was dissolved in %(year)s; which township took over its villages is "
            "not known, so no village is suggested."
        )
        % {"name": township.name, "year": township.dissolved_year},
        township=township,
        township_match=how,
    )


def _without_township(text: str, township: Township) -> str:
    """What is left of the text once the township's own name (or aliases) is taken out."""
    if township.name in text:
        return text.replace(township.name, "")
    for alias in township.aliases.all():
        text = text.replace(alias.alias, "")
    return text


def _within_township(
    text: str, township: Township, how: MatchKind, villages: list[Village]
) -> Resolution:
    if township.is_dissolved:
        return _dissolved(township, how)
    rest = _without_township(text, township)
    own = [v for v in villages if v.township_id == township.pk]
    kind, hits = _villages_in(rest, own) if rest else (None, [])
    if len(hits) > 1:
        return _ambiguous(
            _("The text names several villages of %(name)s.") % {"name": township.name},
            [Candidate(township=township, village=v) for v in hits],
            township=township,
            township_match=how,
        )
    if hits:
        return Resolution(
            status=ResolutionStatus.MATCHED,
            message=_("Matched %(township)s %(village)s.")
            % {"township": township.name, "village": hits[0].name},
            township=township,
            village=hits[0],
            township_match=how,
            village_match=kind,
        )
    return Resolution(
        status=ResolutionStatus.TOWNSHIP,
        message=_("Matched %(name)s; no village of it was recognised.") % {"name": township.name},
        township=township,
        township_match=how,
    )


def _county_wide(text: str, villages: list[Village]) -> Resolution:
    kind, hits = _villages_in(text, villages)
    if not hits:
        return Resolution(
            status=ResolutionStatus.UNKNOWN,
            message=_("No township or village of Qinshui was recognised in the text."),
        )
    if len(hits) > 1:
        return _ambiguous(
            _("The text fits several villages; name the township too."),
            [Candidate(township=v.township, village=v) for v in hits],
        )
    village = hits[0]
    return Resolution(
        status=ResolutionStatus.MATCHED,
        message=_("Matched %(township)s %(village)s.")
        % {"township": village.township.name, "village": village.name},
        township=village.township,
        village=village,
        township_match=MatchKind.VIA_VILLAGE,
        village_match=kind,
    )


def address_resolve(*, text: str) -> Resolution:
    """Map free text ("沁水县端氏镇某某村", "龙港") to the registry, or say why not."""
    if not _NOISE.sub("", text):
        return Resolution(status=ResolutionStatus.UNKNOWN, message=_("The text is empty."))
    cleaned = _clean(text)
    townships, villages = _registry()
    how, found = _townships_in(cleaned, townships, villages)
    if len(found) > 1:
        return _ambiguous(
            _("The text names several townships."), [Candidate(township=t) for t in found]
        )
    if found and how is not None:
        return _within_township(cleaned, found[0], how, villages)
    return _county_wide(cleaned, villages)


# The registry changes a few times a year but every checkout resolves an address: each
# process keeps the rows it read, for as long as the stamp in the shared cache is the one
# it read them under. Any change of a township, alias or village gives a new stamp.
_STAMP_KEY = "geo:registry-stamp"


@dataclass(frozen=True)
class _Registry:
    stamp: str
    townships: list[Township]
    villages: list[Village]


_memo: _Registry | None = None


def _registry() -> tuple[list[Township], list[Village]]:
    global _memo
    stamp = cache.get(_STAMP_KEY)
    if stamp is None:
        cache.add(_STAMP_KEY, uuid.uuid4().hex, timeout=None)
        stamp = cache.get(_STAMP_KEY)
    if _memo is not None and _memo.stamp == stamp:
        return _memo.townships, _memo.villages
    townships = list(Township.objects.prefetch_related("aliases"))
    villages = list(Village.objects.select_related("township"))
    # Rows read inside a transaction may be its own uncommitted ones: used, never kept.
    if not transaction.get_connection().in_atomic_block:
        _memo = _Registry(stamp=str(stamp), townships=townships, villages=villages)
    return townships, villages


def registry_changed() -> None:
    """A township, alias or village changed: every process re-reads the registry. The stamp
    changes now (no process keeps the old rows) and again at commit (none keeps rows read
    between the two)."""
    cache.set(_STAMP_KEY, uuid.uuid4().hex, timeout=None)
    transaction.on_commit(lambda: cache.set(_STAMP_KEY, uuid.uuid4().hex, timeout=None))
