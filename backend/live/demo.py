"""Demo data of live sessions: the demo streamer is verified and has a scheduled session
with a line-up of demo products. Idempotent."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from backend.accounts.models import User
from backend.catalog.models import ProductStatus, Sku
from backend.common.errors import DomainError
from backend.live.media import ingest_url
from backend.live.models import LineupItem, LiveSession, SessionState, StreamerProfile
from backend.live.services import session_create

log = logging.getLogger(__name__)

DEMO_STREAMER = "streamer"
DEMO_TITLE = "沁水好物直播间：端氏黄小米、刺槐蜂蜜"


def demo_live_load() -> LiveSession | None:
    streamer = User.objects.filter(username=DEMO_STREAMER).first()
    if streamer is None:
        return None
    with transaction.atomic():
        StreamerProfile.objects.get_or_create(
            user=streamer,
            defaults={
                "real_name": "赵小明",
                "id_number": "140521199001011234",
                "verified_at": timezone.now(),
            },
        )
        open_states = [SessionState.SCHEDULED, SessionState.REHEARSAL, SessionState.LIVE]
        session = LiveSession.objects.filter(
            streamer=streamer, title=DEMO_TITLE, state__in=open_states
        ).first()
        if session is None:
            session = session_create(
                streamer=streamer,
                title=DEMO_TITLE,
                scheduled_start=timezone.now() + timedelta(hours=1),
                description="演示场次：用 OBS 或手机推流，先彩排，再开播。",
            )
        skus = Sku.objects.filter(product__status=ProductStatus.ON_SALE).order_by("id")[:3]
        for position, sku in enumerate(skus, start=1):
            price = (sku.price * Decimal("0.9")).quantize(Decimal("0.01"))
            LineupItem.objects.get_or_create(
                session=session, sku=sku, defaults={"live_price": price, "position": position}
            )
    return session


def demo_live_write(write: Callable[[str], None]) -> None:
    session = demo_live_load()
    if session is None:
        write("Live demo skipped: no demo streamer.")
        return
    write(f"Live demo: session {session.pk} ({session.state}) for the demo streamer.")
    write(f"  Studio http://127.0.0.1:8000/studio/  ·  RTMP {ingest_url()} (key: reveal it there)")


# While the demo session is live (make run), its room moves: demo viewers comment and the
# demo buyer places and pays live orders, so the ticker, the chart and the report have data.
DEMO_VIEWERS = [("viewer-liu", "刘大姐"), ("viewer-wang", "王师傅"), ("viewer-chen", "陈同学")]
DEMO_LINES = ["小米熬粥香不香？", "蜂蜜是今年的新蜜吗？", "已下单，期待！", "主播讲讲规格",
              "端氏的小米最好吃", "能发顺丰吗？", "再来一单"]  # fmt: skip


def demo_room_step() -> str:
    """One step of the demo room (a beat every 5 s; only with DEBUG, only while the demo
    streamer's session is live): a comment, and every third step a paid live order."""
    from django.conf import settings

    from backend.live.services_room import comment_post

    if not settings.DEBUG:
        return "off"
    session = LiveSession.objects.filter(
        streamer__username=DEMO_STREAMER, state=SessionState.LIVE
    ).first()
    if session is None:
        return "not live"
    step = int(timezone.now().timestamp() // 5)
    username, name = DEMO_VIEWERS[step % len(DEMO_VIEWERS)]
    viewer, _created = User.objects.get_or_create(
        username=username, defaults={"display_name": name}
    )
    try:
        comment_post(user=viewer, session_id=session.pk, text=DEMO_LINES[step % len(DEMO_LINES)])
    except DomainError:  # a demo viewer muted or rate limited: no comment this step
        log.info("demo room: %s's comment refused", username)
    if step % 3 == 0:
        demo_live_order(session=session, key=f"demo-live-{session.pk}-{step}")
        return "comment and order"
    return "comment"


@transaction.atomic
def demo_live_order(*, session: LiveSession, key: str) -> None:
    """The demo buyer buys one listed (or any) line-up SKU from the room and pays at once,
    with a `demo-seed` payment as the orders demo does: order.paid reaches the ticker."""
    from backend.orders.demo import WHO
    from backend.orders.models import OrderStatus, Payment
    from backend.orders.services import checkout_place, order_move

    buyer = User.objects.filter(username="buyer").first()
    item = session.lineup.exclude(state=LineupItem.State.HIDDEN).first() or session.lineup.first()
    if buyer is None or item is None:
        return
    checkout = checkout_place(
        buyer=buyer, idempotency_key=key, items=[(item.sku_id, 1)], consignee=WHO,
        remark="演示直播订单", source_kind="live", source_ref=str(session.pk),
    ).checkout  # fmt: skip
    if Payment.objects.filter(checkout=checkout).exists():
        return
    now = timezone.now()
    Payment.objects.create(
        checkout=checkout, provider="demo-seed", provider_payment_id=f"demo-{checkout.number}",
        amount=checkout.total_amount, pay_url="", status=Payment.Status.PAID, paid_at=now,
    )  # fmt: skip
    for order in checkout.orders.all():
        order_move(order=order, to=OrderStatus.PAID, by=None, paid_at=now, note="演示直播订单")
