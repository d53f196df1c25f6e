"""A demo broadcast for `make run` (manage.py live_demo_stream, `make demo-stream`): the demo
streamer's session gets a 转推 target on the local ingest (a second demo session receives
it), ffmpeg pushes a test pattern with the session's key, the session goes live, two
products are explained, and it ends; the worker then makes the replay, its chapters and a
clip on each product's shop page. Runs through the same services the console calls."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import timedelta

from django.utils import timezone

from backend.accounts.models import User
from backend.catalog.models import ProductStatus, Sku
from backend.live.demo import DEMO_STREAMER, demo_live_load
from backend.live.media import ingest_url
from backend.live.models import LineupItem, LiveSession
from backend.live.models import SessionState as S
from backend.live.models_media import RestreamTarget
from backend.live.services import session_create, session_end, session_go_live
from backend.live.services_lineup import (
    explain_start,
    explanation_close,
    lineup_add,
    lineup_card_set,
)
from backend.live.services_restream import restream_add
from streaming.testpattern import pattern_push_start

RECEIVER_TITLE = "转推演示：本机接收场"
EXPLAIN_S = 10.0


def _wait(check: Callable[[], bool], *, timeout_s: float, what: str) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.5)
    raise RuntimeError(f"gave up waiting for {what}: is `make run` (nginx, web, worker) up?")


def _receiver(streamer: User) -> LiveSession:
    """A second session of the demo streamer that the restream target publishes into."""
    found = LiveSession.objects.filter(
        streamer=streamer, title=RECEIVER_TITLE, state__in=[S.SCHEDULED, S.REHEARSAL]
    ).first()
    return found or session_create(
        streamer=streamer,
        title=RECEIVER_TITLE,
        scheduled_start=timezone.now() + timedelta(minutes=5),
        description="演示转推：直播中的画面被转推到这里。",
    )


def _restream_to_local(session: LiveSession, receiver: LiveSession) -> None:
    if not RestreamTarget.objects.filter(session=session).exists():
        restream_add(
            session=session,
            platform=RestreamTarget.Platform.CUSTOM,
            label="本机接收场（演示）",
            server_url=ingest_url(),
            stream_key=str(receiver.stream_key),
        )


def _products(session: LiveSession) -> list[LineupItem]:
    """Two cards of two different products (each gets its own clip), listed."""
    items: dict[int, LineupItem] = {}
    for item in session.lineup.select_related("sku__product"):
        items.setdefault(item.sku.product_id, item)
    on_sale = Sku.objects.filter(product__status=ProductStatus.ON_SALE).order_by("id")
    for sku in on_sale.exclude(product_id__in=list(items))[: max(0, 2 - len(items))]:
        items[sku.product_id] = lineup_add(
            session=session, sku_id=sku.pk, live_price=sku.price, position=len(items) + 1
        )
    chosen = list(items.values())[:2]
    for item in chosen:
        lineup_card_set(item=item, state=LineupItem.State.LISTED)
    return chosen


def demo_stream_run(write: Callable[[str], None]) -> LiveSession:
    loaded = demo_live_load()
    if loaded is None or not Sku.objects.filter(product__status=ProductStatus.ON_SALE).exists():
        raise RuntimeError("load the demo data first (make run does)")
    session: LiveSession = loaded
    streamer = User.objects.get(username=DEMO_STREAMER)
    receiver = _receiver(streamer)
    _restream_to_local(session, receiver)
    items = _products(session)
    push = pattern_push_start(url=f"{ingest_url()}/{session.stream_key}", seconds=120)
    try:
        write(f"Pushing a test pattern to session {session.pk} …")
        _wait(
            lambda: LiveSession.objects.get(pk=session.pk).publishing, timeout_s=20, what="ingest"
        )
        session = session_go_live(session=LiveSession.objects.get(pk=session.pk), by=streamer)
        write(f"On air; restreaming to session {receiver.pk}. Explaining {len(items)} products …")
        time.sleep(3)
        for item in items:
            explain_start(item=item, by=streamer)
            time.sleep(EXPLAIN_S)
        explanation_close(session=session)
        time.sleep(3)
        session_end(session=LiveSession.objects.get(pk=session.pk), by=streamer, reason="演示结束")
    finally:
        push.kill()
        push.wait(timeout=10)
    write("Ended. The worker now makes the replay and the clips (a few seconds):")
    write(f"  console  http://127.0.0.1:8000/studio/#s/{session.pk}")
    write(f"  replay   http://127.0.0.1:8000/api/v1/live/sessions/{session.pk}/replay")
    for item in items:
        write(f"  product  http://127.0.0.1:8000/shop/product/?id={item.sku.product_id}")
    return session
