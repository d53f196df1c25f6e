"""The checkout of the stream and of a cart with coupons: promotions work out the prices
(the session's live prices) and what each coupon takes off, then call orders'
checkout_place, which splits each discount across the sellers' orders to the fen.

Rules (docs/decisions/0720-promotions-app.md): a coupon applies to the lines in its scope;
its threshold is judged on those lines at the checkout's prices; a percentage is rounded
down to the fen; an amount never exceeds its lines; one coupon per seller's order unless
every coupon on that order is stackable."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import ROUND_DOWN, Decimal

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from backend.accounts.models import User
from backend.catalog.models import Sku
from backend.common.errors import Conflict, DomainError
from backend.live.models import CardState, LineupItem
from backend.orders.models import Checkout, SourceKind
from backend.orders.pricing import Discount, LinePrice
from backend.orders.services import Consignee, checkout_place
from backend.orders.services_checkout import Placed
from backend.promotions.errors import PromotionErrorCode as E
from backend.promotions.models import Coupon, CouponGrant, CouponKind, GrantState

FEN = Decimal("0.01")


@dataclass(frozen=True)
class Basket:
    items: list[tuple[int, int]]
    consignee: Consignee
    remark: str = ""
    session_id: int | None = None  # bought in this session's room: its live prices


def live_prices(*, session_id: int, sku_ids: list[int]) -> dict[int, LinePrice]:
    """The live price of every SKU of the basket shown on the session's cards."""
    rows = LineupItem.objects.filter(session_id=session_id, sku_id__in=sku_ids).exclude(
        state=CardState.HIDDEN
    )
    return {r.sku_id: LinePrice(price=r.live_price, source=f"live:{session_id}") for r in rows}


def _not_usable(
    grant_id: int, message: str, code: E = E.COUPON_NOT_USABLE, **extra: object
) -> DomainError:
    return DomainError(message, code=code, status=422, extra={"grant_id": grant_id, **extra})


def _scope_skus(coupon: Coupon, skus: dict[int, Sku]) -> set[int]:
    inside = set(skus)
    if coupon.seller_id is not None:
        inside = {k for k in inside if skus[k].seller_id == coupon.seller_id}
    products = set(coupon.products.values_list("pk", flat=True))
    if products:
        inside = {k for k in inside if skus[k].product_id in products}
    sessions = list(coupon.sessions.values_list("pk", flat=True))
    if sessions:
        lined = LineupItem.objects.filter(session_id__in=sessions, sku_id__in=inside)
        inside = set(lined.values_list("sku_id", flat=True))
    return inside


def coupon_discounts(
    *, buyer: User, grant_ids: list[int], wanted: dict[int, int], prices: dict[int, LinePrice]
) -> list[Discount]:
    """What each of the buyer's grants takes off this basket, or a refusal with its reason."""
    now = timezone.now()
    grants = {
        g.pk: g
        for g in CouponGrant.objects.select_related("coupon").filter(
            pk__in=grant_ids, user=buyer, state=GrantState.AVAILABLE
        )
    }
    skus = {s.pk: s for s in Sku.objects.filter(pk__in=wanted)}
    unit = {k: prices[k].price if k in prices else s.price for k, s in skus.items()}
    discounts, per_seller = [], defaultdict(list)
    for grant_id in sorted(set(grant_ids)):
        grant = grants.get(grant_id)
        if grant is None or grant.coupon.valid_until <= now:
            raise _not_usable(grant_id, _("This coupon is used, expired or not yours."))
        coupon = grant.coupon
        inside = _scope_skus(coupon, skus)
        goods = sum((unit[k] * wanted[k] for k in inside), Decimal("0"))
        if not inside:
            raise _not_usable(grant_id, _("This coupon does not apply to these items."))
        if goods < coupon.threshold:
            raise _not_usable(
                grant_id,
                _("This coupon needs %(threshold)s of eligible items; these come to %(goods)s.")
                % {"threshold": coupon.threshold, "goods": goods},
                code=E.COUPON_BELOW_THRESHOLD,
                threshold=f"{coupon.threshold:.2f}",
                eligible=f"{goods:.2f}",
            )
        amount = _amount_off(coupon, goods)
        discounts.append(
            Discount(amount=amount, source=f"coupon:{grant.pk}", sku_ids=frozenset(inside))
        )
        for seller_id in {skus[k].seller_id for k in inside}:
            per_seller[seller_id].append(coupon)
    _stacking_check(per_seller)
    return discounts


def _amount_off(coupon: Coupon, goods: Decimal) -> Decimal:
    if coupon.kind == CouponKind.PERCENT:
        return (goods * coupon.percent_off / 100).quantize(FEN, rounding=ROUND_DOWN)
    return min(coupon.amount_off, goods)


def _stacking_check(per_seller: dict[int, list[Coupon]]) -> None:
    for seller_id, coupons in per_seller.items():
        if len(coupons) > 1 and not all(c.stackable for c in coupons):
            raise DomainError(
                _("Only one coupon per shop's order, unless the coupons are stackable."),
                code=E.COUPON_NOT_STACKABLE,
                status=422,
                extra={"seller_id": seller_id},
            )


def promo_checkout(
    *, buyer: User, idempotency_key: str, basket: Basket, grant_ids: list[int]
) -> Placed:
    """Place the checkout with the session's live prices and the buyer's coupons; the
    grants are spent in the same transaction (a grant spent meanwhile → refused, nothing
    written). The same key again returns the first checkout."""
    source = (
        (SourceKind.LIVE, str(basket.session_id)) if basket.session_id else (SourceKind.DIRECT, "")
    )
    place = {
        "buyer": buyer,
        "idempotency_key": idempotency_key,
        "items": basket.items,
        "consignee": basket.consignee,
        "remark": basket.remark,
        "source_kind": source[0],
        "source_ref": source[1],
    }
    if Checkout.objects.filter(buyer=buyer, idempotency_key=idempotency_key).exists():
        return checkout_place(**place)  # type: ignore[arg-type]
    wanted: dict[int, int] = defaultdict(int)
    for sku_id, quantity in basket.items:
        wanted[sku_id] += quantity
    prices = (
        live_prices(session_id=basket.session_id, sku_ids=list(wanted)) if basket.session_id else {}
    )
    discounts = coupon_discounts(buyer=buyer, grant_ids=grant_ids, wanted=wanted, prices=prices)
    with transaction.atomic():
        placed = checkout_place(**place, prices=prices, discounts=discounts)  # type: ignore[arg-type]
        _grants_spend(grant_ids=grant_ids, placed=placed)
    return placed


def _grants_spend(*, grant_ids: list[int], placed: Placed) -> None:
    ids = sorted(set(grant_ids))
    spent = CouponGrant.objects.filter(pk__in=ids, state=GrantState.AVAILABLE).update(
        state=GrantState.USED, checkout=placed.checkout, used_at=timezone.now()
    )
    if spent != len(ids):
        raise Conflict(_("A coupon was used meanwhile."), code=E.COUPON_NOT_USABLE)
    coupon_ids = CouponGrant.objects.filter(pk__in=ids).values_list("coupon_id", flat=True)
    for coupon_id in coupon_ids:
        Coupon.objects.filter(pk=coupon_id).update(used_count=F("used_count") + 1)
