"""Demo data of live sessions: the demo streamer is verified and has a scheduled session
with a line-up of demo products. Idempotent."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from backend.accounts.models import User
from backend.catalog.models import ProductStatus, Sku
from backend.live.media import ingest_url
from backend.live.models import LineupItem, LiveSession, SessionState, StreamerProfile
from backend.live.services import session_create

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
        session = LiveSession.objects.filter(streamer=streamer, state__in=open_states).first()
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
