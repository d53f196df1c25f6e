"""The line-up and 讲解: cards hidden → listed → explaining → sold out, one product
explained at a time, with the server's start and end times (replay chapters, clips).

Lock order (lock_objects): the session first, then its items. Every card change goes out
through broadcast.card_broadcast after commit.
"""

from __future__ import annotations

from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from backend.accounts.models import User
from backend.catalog.models import ProductStatus, Sku
from backend.common.errors import Conflict, Invalid
from backend.common.events import publish
from backend.live.broadcast import card_broadcast, explain_broadcast
from backend.live.errors import LiveErrorCode
from backend.live.lock_objects import lineup_item_lock, session_lock
from backend.live.models import CardState, Explanation, LineupItem, LiveSession
from backend.live.models import SessionState as S


def lineup_add(
    *, session: LiveSession, sku_id: int, live_price: Decimal, position: int
) -> LineupItem:
    """A SKU on sale (of the session's organisation, when it sells for one) joins hidden."""
    skus = Sku.objects.filter(pk=sku_id, product__status=ProductStatus.ON_SALE)
    if session.organisation_id is not None:
        skus = skus.filter(seller_id=session.organisation_id)
    sku = skus.select_related("product").first()
    if sku is None:
        raise Invalid(
            _("That SKU is not on sale for this session."), code=LiveErrorCode.LINEUP_SKU_INVALID
        )
    try:
        with transaction.atomic():
            item = LineupItem.objects.create(
                session=session, sku=sku, live_price=live_price, position=position
            )
    except IntegrityError as exc:
        raise Conflict(
            _("That SKU is on the line-up already."), code=LiveErrorCode.LINEUP_DUPLICATE
        ) from exc
    card_broadcast(item=item)
    return item


def _explanation_close(*, session: LiveSession) -> Explanation | None:
    """End the open 讲解, if any; its card goes back to listed. Inside the session lock."""
    open_one = Explanation.objects.filter(session=session, ended_at__isnull=True).first()
    if open_one is None:
        return None
    open_one.ended_at = timezone.now()
    open_one.save(update_fields=["ended_at"])
    item = lineup_item_lock(item_id=open_one.item_id)
    if item.state == CardState.EXPLAINING:
        item.state = CardState.LISTED
        item.save(update_fields=["state"])
    card_broadcast(item=item)
    explain_broadcast(explanation=open_one)
    return open_one


def explanation_close(*, session: LiveSession) -> Explanation | None:
    with transaction.atomic():
        locked = session_lock(session_id=session.pk)
        return _explanation_close(session=locked)


def lineup_card_set(*, item: LineupItem, state: str) -> LineupItem:
    """Hide, list or mark sold out; a card being explained stops being explained."""
    with transaction.atomic():
        session = session_lock(session_id=item.session_id)
        if item.state == CardState.EXPLAINING or state == CardState.SOLD_OUT:
            _explanation_close(session=session)
        locked = lineup_item_lock(item_id=item.pk)
        locked.state = state
        locked.save(update_fields=["state"])
        card_broadcast(item=locked)
    return locked


def explain_start(*, item: LineupItem, by: User) -> Explanation:
    """讲解 now: the server's time starts it; the product explained before ends now."""
    with transaction.atomic():
        session = session_lock(session_id=item.session_id)
        if session.state != S.LIVE:
            raise Conflict(
                _("Products are explained on air only."), code=LiveErrorCode.EXPLAIN_NOT_LIVE
            )
        locked = lineup_item_lock(item_id=item.pk)
        if locked.state not in (CardState.LISTED, CardState.EXPLAINING):
            raise Conflict(
                _("List the product before explaining it."),
                code=LiveErrorCode.EXPLAIN_NOT_LISTED,
            )
        _explanation_close(session=session)
        locked.state = CardState.EXPLAINING
        locked.save(update_fields=["state"])
        explanation = Explanation.objects.create(
            session=session, item=locked, started_at=timezone.now(), started_by=by
        )
        publish(
            "live.product_explained",
            {
                "session_id": session.pk,
                "explanation_id": explanation.pk,
                "product_id": locked.sku.product_id,
                "sku_id": locked.sku_id,
                "live_price": f"{locked.live_price:.2f}",
                "at": explanation.started_at.isoformat(),
            },
        )
        card_broadcast(item=locked)
        explain_broadcast(explanation=explanation)
    return explanation
