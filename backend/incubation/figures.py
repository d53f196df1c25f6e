"""Each incubatee's figures, computed from the records of live, orders and stores (never
typed in). The counting rules are written down in docs/decisions/0601-incubation-figures.md:

- a session held: a live session that went on air and ended, whose streamer is the
  incubatee's person or whose organisation is the incubatee's organisation;
- GMV: over the live orders of those sessions (source_kind "live", source_ref the session
  id) and the store orders sold by the incubatee's organisation (source_kind "store"),
  every order that was paid (status past "created", not "cancelled") counts its paid
  amount, less what was refunded (`Order.refunded_amount`: the sum of its succeeded
  refunds, several per order; an imported order that arrived "refunded" nets to zero);
- stores bound: the organisation's marketplace stores (stores.Store rows);
- training: `training.attended` events kept by incubation for the incubatee's person.
- peak viewers: the highest concurrent viewer count of any minute of those sessions (the
  live room's per-minute figures, live.MinuteFigure.peak).
- followers gained: follows (audience.Follow) that still stand — of the incubatee's person
  when there is one, else those made on the watch pages of the organisation's sessions
  held (the audience app's "new followers per session").

One query per source for any number of incubatees (the board, the goals, the export).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from django.db.models import Count, Max, Q, QuerySet
from django.utils import timezone

from backend.audience.selectors import followers_gained
from backend.incubation.models import Incubatee, RuleKind, TrainingAttendance
from backend.live.models import LiveSession, MinuteFigure
from backend.orders.models import Order, SourceKind
from backend.stores.models import Store

ZERO = Decimal("0.00")
NOT_PAID = ("created", "cancelled")


@dataclass(frozen=True)
class SessionRow:
    id: int
    title: str
    started_at: datetime
    ended_at: datetime | None
    gmv: Decimal
    orders: int
    peak_viewers: int = 0


@dataclass(frozen=True)
class OrderRow:
    id: int
    number: str
    source_kind: str
    paid_at: datetime
    paid: Decimal
    refunded: Decimal

    @property
    def net(self) -> Decimal:
        return self.paid - self.refunded


@dataclass
class Figures:
    sessions: list[SessionRow] = field(default_factory=list)
    orders: list[OrderRow] = field(default_factory=list)
    stores_bound: int = 0
    training: int = 0
    peak_viewers: int = 0
    followers: int = 0

    @property
    def gmv(self) -> Decimal:
        return sum((o.net for o in self.orders), ZERO)

    @property
    def refunded(self) -> Decimal:
        return sum((o.refunded for o in self.orders), ZERO)

    def value_of(self, rule_kind: str) -> Decimal:
        values = {
            RuleKind.SESSIONS: Decimal(len(self.sessions)),
            RuleKind.GMV: self.gmv,
            RuleKind.PEAK_VIEWERS: Decimal(self.peak_viewers),
            RuleKind.STORE_BOUND: Decimal(self.stores_bound),
            RuleKind.FOLLOWERS: Decimal(self.followers),
            RuleKind.TRAINING: Decimal(self.training),
        }
        return values[RuleKind(rule_kind)]

    def monthly(self) -> list[tuple[str, int, Decimal]]:
        """(YYYY-MM in Asia/Shanghai, sessions, net GMV) for every month with activity."""
        sessions: dict[str, int] = defaultdict(int)
        gmv: dict[str, Decimal] = defaultdict(lambda: ZERO)
        for s in self.sessions:
            sessions[timezone.localtime(s.started_at).strftime("%Y-%m")] += 1
        for o in self.orders:
            gmv[timezone.localtime(o.paid_at).strftime("%Y-%m")] += o.net
        return [(m, sessions.get(m, 0), gmv.get(m, ZERO)) for m in sorted({*sessions, *gmv})]


def _order_row(order: Order) -> OrderRow:
    return OrderRow(
        id=order.pk,
        number=order.number,
        source_kind=order.source_kind,
        paid_at=order.paid_at or order.created_at,
        paid=order.paid_amount,
        refunded=order.refunded_amount,
    )


def _paid_orders() -> QuerySet[Order]:
    # A prize (0 yuan) is never a sale.
    return Order.objects.exclude(status__in=NOT_PAID).exclude(payment_kind="prize")


def figures_for(*, incubatees: Iterable[Incubatee]) -> dict[int, Figures]:
    """Incubatee id → its figures, in seven queries whatever the number of incubatees."""
    rows = list(incubatees)
    users = {i.user_id for i in rows if i.user_id}
    orgs = {i.organisation_id for i in rows if i.organisation_id}
    held = list(
        LiveSession.objects.filter(state=LiveSession.State.ENDED, started_at__isnull=False)
        .filter(Q(streamer_id__in=users) | Q(organisation_id__in=orgs))
        .order_by("started_at", "id")
    )
    live_orders: dict[int, list[Order]] = defaultdict(list)
    refs = [str(s.pk) for s in held]
    for order in _paid_orders().filter(source_kind=SourceKind.LIVE, source_ref__in=refs):
        live_orders[int(order.source_ref)].append(order)
    peaks = dict(
        MinuteFigure.objects.filter(session_id__in=[s.pk for s in held])
        .values("session_id")
        .annotate(peak=Max("peak"))
        .values_list("session_id", "peak")
    )
    store_orders: dict[int, list[Order]] = defaultdict(list)
    for order in _paid_orders().filter(source_kind=SourceKind.STORE, seller_id__in=orgs):
        store_orders[order.seller_id].append(order)
    stores = dict(
        Store.objects.filter(organisation_id__in=orgs)
        .values("organisation_id")
        .annotate(n=Count("id"))
        .values_list("organisation_id", "n")
    )
    training = dict(
        TrainingAttendance.objects.filter(person_id__in=users)
        .values("person_id")
        .annotate(n=Count("id"))
        .values_list("person_id", "n")
    )
    followers, session_followers = followers_gained(
        streamer_ids=users, session_ids=[s.pk for s in held]
    )
    result: dict[int, Figures] = {}
    for inc in rows:
        mine = [
            s
            for s in held
            if (inc.user_id and s.streamer_id == inc.user_id)
            or (inc.organisation_id and s.organisation_id == inc.organisation_id)
        ]
        figures = Figures(
            stores_bound=stores.get(inc.organisation_id or 0, 0),
            training=training.get(inc.user_id or 0, 0),
        )
        for s in mine:
            orders = [_order_row(o) for o in live_orders.get(s.pk, [])]
            figures.orders.extend(orders)
            gmv = sum((o.net for o in orders), ZERO)
            started = s.started_at
            assert started is not None  # held: the query asked for a start
            figures.sessions.append(
                SessionRow(s.pk, s.title, started, s.ended_at, gmv, len(orders), peaks.get(s.pk, 0))
            )
            figures.peak_viewers = max(figures.peak_viewers, peaks.get(s.pk, 0))
        figures.followers = (
            followers.get(inc.user_id, 0)
            if inc.user_id
            else sum(session_followers.get(s.pk, 0) for s in mine)
        )
        figures.orders.extend(_order_row(o) for o in store_orders.get(inc.organisation_id or 0, []))
        figures.orders.sort(key=lambda o: (o.paid_at, o.id))
        result[inc.pk] = figures
    return result


def figures_of(*, incubatee: Incubatee) -> Figures:
    return figures_for(incubatees=[incubatee])[incubatee.pk]
