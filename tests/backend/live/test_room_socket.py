"""/ws/live/<id>/ on the Redis channel layer: chat, moderation, limits, presence, likes
and the order ticker, through the real consumers, hub and Redis."""

from __future__ import annotations

import asyncio
import json
import time

import pytest
from asgiref.sync import sync_to_async

from backend.accounts.roles import Role
from backend.live import room_state
from backend.live.models import BannedWord, Comment, CommentReport, Mute
from backend.live.services_metrics import order_paid_record
from tests.backend.live.conftest import post
from tests.backend.live.room_plane import console, frames_for, join, next_of, room_socket, tick_with

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def room(client_of, verified, make_user, live_now):
    sid = live_now["id"]
    helper = make_user(Role.STREAMER, username="zhongkong")
    body = {"username": "zhongkong"}
    assert post(client_of(verified), f"/sessions/{sid}/assistants", body).status_code == 201
    return {
        "sid": sid,
        "streamer": verified,
        "assistant": helper,
        "alice": make_user(Role.BUYER, username="alice", display_name="张三"),
        "bob": make_user(Role.BUYER, username="bob", display_name="李四"),
        "carol": make_user(Role.BUYER, username="carol", display_name="王五"),
    }


async def _until(check, timeout_s: float = 10.0) -> None:
    """The studio socket answers nothing to a mute: wait for its row (a busy machine may
    take longer than a fixed pause)."""
    deadline = time.monotonic() + timeout_s
    while not await sync_to_async(check)():
        assert time.monotonic() < deadline, "the mute never reached the database"
        await asyncio.sleep(0.05)


async def _say(socket, text: str) -> dict:
    await socket.send_json_to({"type": "live.comment", "payload": {"text": text}})
    return await next_of(socket, "live.comment_sent")


async def test_a_comment_reaches_other_viewers_and_anonymous_viewers_only_watch(room) -> None:
    sid = room["sid"]
    alice, hello = await join(room["alice"], sid)
    assert (hello["can_comment"], hello["can_moderate"], hello["comments"]) == (True, False, [])
    anon, anon_hello = await join(None, sid, vid="device-0001")
    assert anon_hello["can_comment"] is False
    sent = await _say(alice, "  小米 怎么  卖？ ")
    assert sent["visible"] is True
    assert sent["comment"]["text"] == "小米 怎么 卖？"
    tick = await tick_with(anon, lambda t: t["comments"])
    assert tick["comments"] == [sent["comment"]]
    assert sent["comment"]["name"] == "张三"
    await anon.send_json_to({"type": "live.comment", "payload": {"text": "hi"}})
    assert (await next_of(anon, "live.error"))["code"] == "ws.login_required"
    assert await sync_to_async(Comment.objects.count)() == 1
    # A late joiner gets the last comments in its hello.
    bob, bob_hello = await join(room["bob"], sid)
    assert bob_hello["comments"] == [sent["comment"]]
    # Bad frames: an error each, counted, and the socket stays.
    await anon.send_to(text_data="not json{")
    assert (await next_of(anon, "live.error"))["code"] == "ws.bad_frame"
    await anon.send_json_to({"type": "live.nonsense", "payload": {}})
    assert (await next_of(anon, "live.error"))["code"] == "ws.unknown_type"
    await anon.send_json_to({"type": "live.like", "payload": {"count": "many"}})
    assert (await next_of(anon, "live.error"))["code"] == "ws.bad_payload"
    await anon.send_json_to({"type": "ping", "payload": {"n": 7}})
    assert await next_of(anon, "pong") == {"n": 7}
    # The order ticker: paid live orders of this session, names masked, merged into ticks.

    def paid(order_id: int, buyer, amount: str, kind: str = "live", ref: str = str(sid)) -> None:
        order_paid_record({
            "order_id": order_id, "buyer_id": buyer.pk, "source_kind": kind, "source_ref": ref,
            "amount_paid": amount, "at": "2026-11-30T20:00:00+08:00",
        })  # fmt: skip

    await sync_to_async(paid)(1, room["alice"], "59.90")
    await sync_to_async(paid)(2, room["bob"], "19.90")
    await sync_to_async(paid)(3, room["bob"], "0.00")  # a prize: no sale
    await sync_to_async(paid)(4, room["bob"], "9.90", kind="direct", ref="")
    await sync_to_async(paid)(1, room["alice"], "59.90")  # delivered twice: counted once
    ticks = [f["payload"]["orders"] for f in await frames_for(anon, 1) if f["type"] == "live.tick"]
    orders = [o for o in ticks if o]
    names = [n for o in orders for n in o["names"]]
    assert names == ["张**", "李**"]
    if len(orders) == 1:
        assert orders[0]["text"] == "张** 等 2 人刚刚下单"
    else:
        assert [o["text"] for o in orders] == ["张** 刚刚下单", "李** 刚刚下单"]
    for socket in (alice, anon, bob):
        await socket.disconnect()


async def test_a_rehearsal_refuses_viewers_who_are_not_its_staff(
    client_of, verified, new_session, ingest, make_user
) -> None:
    session = await sync_to_async(new_session)(verified)
    client = client_of(verified)
    key = (await sync_to_async(post)(client, f"/sessions/{session['id']}/key/reveal")).json()
    assert (await sync_to_async(ingest.publish)(key["stream_key"])).status_code == 302
    outsider = await room_socket(
        await sync_to_async(make_user)(Role.BUYER, username="nosy"), session["id"]
    )
    assert await outsider.connect() == (False, 4403)
    anon = await room_socket(None, session["id"])
    assert await anon.connect() == (False, 4403)
    streamer, hello = await join(verified, session["id"])
    assert (hello["state"], hello["can_moderate"]) == ("rehearsal", True)
    await streamer.disconnect()


async def test_moderation_reports_banned_words_and_limits(room) -> None:
    sid = room["sid"]
    desk = await console(room["assistant"], sid)
    alice, _ = await join(room["alice"], sid)
    bob, _ = await join(room["bob"], sid)
    rude = (await _say(alice, "难吃"))["comment"]
    nice = (await _say(alice, "好吃"))["comment"]
    # 举报 reaches the console; hiding clears it from the queue.
    await bob.send_json_to(
        {"type": "live.report", "payload": {"comment_id": rude["id"], "reason": "辱骂"}}
    )
    assert (await next_of(bob, "live.reported"))["comment_id"] == rude["id"]
    report = await next_of(desk, "studio.report")
    assert (report["comment"]["id"], report["reason"], report["reporter_id"]) == (
        rude["id"],
        "辱骂",
        room["bob"].pk,
    )
    await bob.send_json_to({"type": "live.report", "payload": {"comment_id": rude["id"]}})
    assert (await next_of(bob, "live.error"))["code"] == "live.report_duplicate"
    await desk.send_json_to({"type": "room.hide", "payload": {"comment_id": rude["id"]}})
    assert await next_of(bob, "live.comment_hidden") == {"comment_id": rude["id"]}
    assert await sync_to_async(CommentReport.objects.filter(handled_at__isnull=True).count)() == 0
    await desk.send_json_to({"type": "room.pin", "payload": {"comment_id": nice["id"]}})
    assert await next_of(bob, "live.pin") == {"comment": nice}
    # A muted user is refused with a reason only they see.
    await desk.send_json_to(
        {"type": "room.mute", "payload": {"user_id": room["alice"].pk, "minutes": 10}}
    )
    await _until(lambda: Mute.objects.filter(user=room["alice"]).exists())
    await alice.send_json_to({"type": "live.comment", "payload": {"text": "我还想说"}})
    error = await next_of(alice, "live.error")
    assert error["code"] == "live.muted"
    assert error["message"] == f"你已被禁言，{error['until'][11:16]} 后可再发言。"
    assert [f for f in await frames_for(bob, 0.6) if f["type"] == "live.error"] == []
    # Mute all: viewers are refused, the streamer still speaks; then slow mode.
    await desk.send_json_to({"type": "room.set", "payload": {"muted_all": True}})
    assert await next_of(bob, "live.room") == {"muted_all": True, "slow_mode_s": 0}
    await bob.send_json_to({"type": "live.comment", "payload": {"text": "在吗"}})
    assert (await next_of(bob, "live.error"))["code"] == "live.muted_all"
    streamer, _ = await join(room["streamer"], sid)
    assert (await _say(streamer, "大家稍等"))["visible"] is True
    await desk.send_json_to(
        {"type": "room.set", "payload": {"muted_all": False, "slow_mode_s": 30}}
    )
    assert await next_of(bob, "live.room") == {"muted_all": False, "slow_mode_s": 30}
    assert (await _say(bob, "第一条"))["visible"] is True
    await bob.send_json_to({"type": "live.comment", "payload": {"text": "第二条"}})
    assert (await next_of(bob, "live.error"))["code"] == "live.comment_slow_mode"
    # Viewers cannot moderate: the studio socket refuses them outright.
    await desk.send_json_to({"type": "room.mute", "payload": {"user_id": room["bob"].pk}})
    assert (await next_of(desk, "studio.error"))["code"] == "ws.bad_payload"
    await desk.send_json_to({"type": "room.set", "payload": {"slow_mode_s": 0}})
    assert await next_of(bob, "live.room") == {"muted_all": False, "slow_mode_s": 0}
    # Banned words (data the office edits) mask or hide; length and rate limits bite.
    await sync_to_async(BannedWord.objects.create)(word="傻瓜", action="mask")
    await sync_to_async(BannedWord.objects.create)(word="加微信", action="hide")
    carol, _ = await join(room["carol"], sid)
    masked = await _say(carol, "你这个傻瓜")
    assert (masked["visible"], masked["comment"]["text"]) == (True, "你这个＊＊")
    hidden = await _say(carol, "便宜 加微信 abc")
    assert (hidden["visible"], hidden["comment"]["text"]) == (False, "便宜 加微信 abc")
    ticks = [f for f in await frames_for(bob, 0.8) if f["type"] == "live.tick"]
    carols = [c["text"] for t in ticks for c in t["payload"]["comments"] if c["name"] == "王五"]
    assert carols == ["你这个＊＊"]
    await carol.send_json_to({"type": "live.comment", "payload": {"text": "长" * 101}})
    assert (await next_of(carol, "live.error"))["code"] == "live.comment_too_long"
    for n in range(3):  # 5 per 10 s: two were posted above
        assert (await _say(carol, f"第{n}条"))["visible"] is True
    await carol.send_json_to({"type": "live.comment", "payload": {"text": "第六条"}})
    error = await next_of(carol, "live.error")
    assert (error["code"], error["retry_after"]) == ("live.comment_too_fast", 10)
    assert await sync_to_async(Comment.objects.filter(user=room["carol"]).count)() == 5
    for socket in (desk, alice, bob, streamer, carol):
        await socket.disconnect()


async def test_one_viewer_per_person_across_reloads_and_likes_in_ticks(room) -> None:
    sid = room["sid"]
    alice, _ = await join(room["alice"], sid)
    watcher, _ = await join(None, sid, vid="device-0002")
    assert (await tick_with(watcher, lambda t: t["viewers"] == 2))["viewers"] == 2
    await alice.disconnect()  # a reload: the same person comes back
    alice, _ = await join(room["alice"], sid)
    second_tab, _ = await join(room["alice"], sid)
    await watcher.disconnect()
    watcher, _ = await join(None, sid, vid="device-0002")
    stranger, _ = await join(None, sid, vid="device-0003")
    tick = await tick_with(stranger, lambda t: t["viewers"] == 3)
    frames = await frames_for(stranger, 0.8)
    assert [f["payload"]["viewers"] for f in frames if f["type"] == "live.tick"] in ([], [3])
    assert tick["viewers"] == 3
    # 1,000 likes in a second from the viewers: a few ticks, exact totals.
    viewer, fans = stranger, [alice, second_tab, watcher]
    like = json.dumps({"type": "live.like", "payload": {"count": 1}})
    for n in range(1000):
        await fans[n % 3].send_to(text_data=like)
        if n % 30 == 29:
            await asyncio.sleep(0.025)
    frames = [f for f in await frames_for(viewer, 1.5) if f["type"] == "live.tick"]
    likes = [f["payload"]["likes"] for f in frames if f["payload"]["likes"]]
    assert likes[-1] == 1000
    assert likes == sorted(likes)
    assert 2 <= len(likes) <= 10  # 4 ticks a second, never a frame per tap
    seqs = [f["payload"]["seq"] for f in frames]
    assert seqs == list(range(seqs[0], seqs[0] + len(seqs)))
    # Signed-in likers are recorded with the time (a like lottery's entry condition).
    liked = await sync_to_async(room_state.liked_since)(sid, room["alice"].pk, since=0)
    not_liked = await sync_to_async(room_state.liked_since)(sid, room["bob"].pk, since=0)
    assert (liked, not_liked) == (True, False)
    future = time.time() + 60
    assert await sync_to_async(room_state.liked_since)(sid, room["alice"].pk, since=future) is False
    for socket in (viewer, *fans):
        await socket.disconnect()
