"""A contest's standings, computed from the records, with the audit of each figure.

Figures of an entry (over the live sessions linked to it):
  gmv        paid less refunded, orders with source live/<session>, zero-amount prizes excluded
  orders     those orders paid and not refunded in full
  peak       the highest concurrent viewers of any of its sessions
  likes      likes over its sessions
  followers  follows made on its sessions' watch pages, still standing
  judges     the mean over judges of each judge's mean over criteria (standing scores)
  votes      public votes
Each figure is scaled to 0-100 against the best entry (judges: against the scale's top),
then weighted by the contest's weights; the total is rounded to 2 places.
Ties (equal totals) are broken by the higher GMV, then the higher judges' mean, then the
earlier registration.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Count, Max, Sum

from backend.audience.selectors import new_followers_by_session
from backend.campaigns.models import (
    METRICS,
    Campaign,
    CampaignSession,
    JudgeScore,
    Registration,
    RegistrationStatus,
    Vote,
)
from backend.live import room_state
from backend.live.models import LiveSession, MinuteFigure, SessionState
from backend.orders.models import Order

ZERO = Decimal("0")
CENT = Decimal("0.01")
HUNDRED = Decimal("100")


def q2(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass
class Standing:
    entry: Registration
    figures: dict[str, Decimal] = field(default_factory=dict)
    scaled: dict[str, Decimal] = field(default_factory=dict)
    total: Decimal = ZERO
    rank: int = 0
    live: bool = False
    audit: dict[str, Any] = field(default_factory=dict)


def _sessions(campaign: Campaign) -> dict[int, list[int]]:
    links = CampaignSession.objects.filter(campaign=campaign, entry__isnull=False)
    out: dict[int, list[int]] = defaultdict(list)
    for entry_id, session_id in links.values_list("entry_id", "session_id"):
        out[entry_id].append(session_id)
    return out


def _orders(session_ids: list[int]) -> dict[int, list[dict[str, Any]]]:
    rows = (
        Order.objects.filter(source_kind="live", source_ref__in=[str(s) for s in session_ids],
                             paid_at__isnull=False, paid_amount__gt=0)
        .exclude(payment_kind="prize")
        .order_by("id")
        .values("id", "number", "source_ref", "paid_amount", "refunded_amount")
    )  # fmt: skip
    out: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        out[int(row["source_ref"])].append(
            {"order_id": row["id"], "number": row["number"],
             "paid": f"{row['paid_amount']:.2f}", "refunded": f"{row['refunded_amount']:.2f}"}
        )  # fmt: skip
    return out


def _room(session_ids: list[int]) -> dict[int, tuple[int, int]]:
    """Session → (peak, likes): the room's live counters, or the minutes kept after it."""
    minutes = dict(
        (row["session_id"], (row["peak"] or 0, row["likes"] or 0))
        for row in MinuteFigure.objects.filter(session_id__in=session_ids)
        .values("session_id").annotate(peak=Max("peak"), likes=Sum("likes"))
    )  # fmt: skip
    out = {}
    for sid in session_ids:
        live = room_state.totals(sid)
        kept = minutes.get(sid, (0, 0))
        out[sid] = (max(live["peak"], kept[0]), max(live["likes"], kept[1]))
    return out


def _judges(entry_ids: list[int]) -> dict[int, tuple[Decimal, list[dict[str, Any]]]]:
    """Entry → (mean of judges' means, the standing scores it was made of)."""
    standing = JudgeScore.objects.filter(entry_id__in=entry_ids, replaced_by__isnull=True)
    per: dict[int, dict[int, list[Decimal]]] = defaultdict(lambda: defaultdict(list))
    audit: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for score in standing.order_by("id"):
        per[score.entry_id][score.judge_id].append(score.score)
        audit[score.entry_id].append(
            {"score_id": score.pk, "judge_id": score.judge_id, "criterion": score.criterion,
             "score": f"{score.score:.2f}", "corrects": score.replaces_id}
        )  # fmt: skip
    out = {}
    for entry_id, judges in per.items():
        means = [sum(s, ZERO) / len(s) for s in judges.values()]
        out[entry_id] = (sum(means, ZERO) / len(means), audit[entry_id])
    return out


def _votes(campaign: Campaign) -> tuple[dict[int, int], dict[int, list[int]]]:
    counts = dict(
        Vote.objects.filter(campaign=campaign).values("entry_id").annotate(n=Count("id"))
        .values_list("entry_id", "n")
    )  # fmt: skip
    ids: dict[int, list[int]] = defaultdict(list)
    for entry_id, vote_id in Vote.objects.filter(campaign=campaign).values_list("entry_id", "id"):
        ids[entry_id].append(vote_id)
    return counts, ids


def _figures(campaign: Campaign) -> list[Standing]:
    entries = list(
        Registration.objects.filter(campaign=campaign, status=RegistrationStatus.APPROVED)
    )
    by_entry = _sessions(campaign)
    all_sessions = [s for ids in by_entry.values() for s in ids]
    orders, room = _orders(all_sessions), _room(all_sessions)
    followers = new_followers_by_session(session_ids=all_sessions)
    live_now = set(
        LiveSession.objects.filter(pk__in=all_sessions, state=SessionState.LIVE)
        .values_list("pk", flat=True)
    )  # fmt: skip
    judges = _judges([e.pk for e in entries])
    votes, vote_ids = _votes(campaign)
    standings = []
    for entry in entries:
        sids = sorted(by_entry.get(entry.pk, []))
        its_orders = [o for sid in sids for o in orders.get(sid, [])]
        gmv = sum((Decimal(o["paid"]) - Decimal(o["refunded"]) for o in its_orders), ZERO)
        judged, scores = judges.get(entry.pk, (ZERO, []))
        figures = {
            "gmv": gmv,
            "orders": Decimal(sum(1 for o in its_orders if o["refunded"] != o["paid"])),
            "peak": Decimal(max((room[s][0] for s in sids), default=0)),
            "likes": Decimal(sum(room[s][1] for s in sids)),
            "followers": Decimal(sum(followers.get(s, 0) for s in sids)),
            "judges": judged,
            "votes": Decimal(votes.get(entry.pk, 0)),
        }
        audit = {"sessions": sids, "orders": its_orders, "judge_scores": scores,
                 "vote_ids": vote_ids.get(entry.pk, [])}  # fmt: skip
        standings.append(Standing(entry=entry, figures=figures, audit=audit,
                                  live=any(s in live_now for s in sids)))  # fmt: skip
    return standings


def standings_compute(*, campaign: Campaign) -> list[Standing]:
    """The contest's standings now, best first, each with its rank."""
    standings = _figures(campaign)
    weights = {k: Decimal(str(campaign.weights.get(k, "0"))) for k in METRICS}
    tops = {k: max((s.figures[k] for s in standings), default=ZERO) for k in METRICS}
    tops["judges"] = Decimal(campaign.score_max)
    for s in standings:
        for k in METRICS:
            s.scaled[k] = s.figures[k] * HUNDRED / tops[k] if tops[k] > 0 else ZERO
        s.total = q2(sum((weights[k] * s.scaled[k] for k in METRICS), ZERO))
    standings.sort(key=lambda s: (-s.total, -s.figures["gmv"], -s.figures["judges"], s.entry.pk))
    for n, s in enumerate(standings, start=1):
        s.rank = n
    return standings


def figures_out(figures: dict[str, Decimal]) -> dict[str, str | int]:
    """JSON-safe figures: money and means as 2-place strings, counts as integers."""
    return {k: (f"{q2(v):.2f}" if k in ("gmv", "judges") else int(v)) for k, v in figures.items()}
