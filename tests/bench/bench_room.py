"""Live room benchmark: N viewer websockets in one room on the production topology (nginx in
front of two daphne processes, PostgreSQL, Redis), beside a bare broadcast server written
with the `websockets` library, measured in the same run with the same client.

    python tests/bench/bench_room.py [--sizes 500,1000,2000] [--duration 60] [--daphnes 2]

The load, per room run: N viewers (anonymous, each with its own `vid`, heartbeats every
15 s), of which 50 are signed in and post 20 comments per second between them, and 500
likes per second spread over the viewers (one `live.like` frame per tap: the coalescing is
the server's job). The room ticks 4 times a second (backend/live/hub.py).

The bare server (no auth, no database, no Redis) broadcasts a frame of the same size as the
room's average tick, 4 times a second, to every client (`websockets.broadcast`, one
serialisation), and reads and drops what clients send.

Measured by the clients (two processes, co-located): frames delivered per second, delivery
latency p50/p99 (receive time minus the `ts` the server stamped when it built the frame),
lost frames (gaps in each connection's `seq`), connections dropped; for the room also the
comments' end-to-end latency (sent → seen by a viewer). Measured on the servers: CPU
seconds per second and resident memory of the daphne processes and nginx (room) and of the
bare server. It makes its own database (qs_bench_room) and removes it afterwards.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
ADMIN_URL = os.environ.get(
    "BENCH_ADMIN_DB", "postgresql://postgres:postgres@127.0.0.1:5432/postgres"
)
DB_NAME = "qs_bench_room"
DB_URL = ADMIN_URL.rsplit("/", 1)[0] + f"/{DB_NAME}"
PREFIX = f"qsbenchroom{os.getpid()}"
SECRET = "bench-secret-bench-secret-bench-secret-42"
ENV = {
    "DATABASE_URL": DB_URL,
    "DJANGO_SETTINGS_MODULE": "backend.config.settings",
    "REDIS_PREFIX": PREFIX,
    "DEBUG": "0",
    "SECRET_KEY": SECRET,
    "LOG_LEVEL": "WARNING",
    "SERVE_STATIC": "0",
    # DEBUG=0 refuses the public demo secrets: the bench's own, thrown away with its database.
    "PAYMENT_SECRET": "bench-payment-secret-0123456789",
    "SMS_SANDBOX_API_KEY": "bench-sms-key-0123456789",
    "FIELD_ENCRYPTION_KEYS": "",
}
if not ENV["FIELD_ENCRYPTION_KEYS"]:
    from cryptography.fernet import Fernet

    ENV["FIELD_ENCRYPTION_KEYS"] = os.environ.get("BENCH_FERNET") or Fernet.generate_key().decode()
    os.environ["BENCH_FERNET"] = ENV["FIELD_ENCRYPTION_KEYS"]  # the clients import this too
COMMENTERS = 50
COMMENTS_PER_S = 20
LIKES_PER_S = 500
CLIENT_PROCS = 2
ANCHOR = (
    "bare websockets, one process, 2,000 viewers: 6.6k frames/s, p50 52 ms, p99 86 ms; "
    "plain Channels consumers on the pub/sub layer: 3.1k frames/s p99 1.45 s (one daphne), "
    "7.3k frames/s p99 365 ms (two)"
)
ANCHOR_BARE_2000 = 6600


# --- the client (run as a subprocess: python bench_room.py --client ...) ---


async def client_main(args: argparse.Namespace) -> None:
    import websockets

    cookies = json.loads(args.cookies) if args.cookies else []
    lat: list[float] = []
    comment_lat: list[float] = []
    counts = {"frames": 0, "lost": 0, "dropped": 0, "bytes": 0, "connected": 0}
    window = {"on": False}
    sockets: list = []

    async def reader(ws, index: int) -> None:
        last_seq = None
        try:
            async for raw in ws:
                now = time.time() * 1000
                if not window["on"]:
                    last_seq = None
                    continue
                frame = json.loads(raw)
                payload = frame.get("payload") or {}
                if "seq" not in payload:
                    continue
                counts["frames"] += 1
                counts["bytes"] += len(raw)
                lat.append(now - payload["ts"])
                if last_seq is not None and payload["seq"] > last_seq + 1:
                    counts["lost"] += payload["seq"] - last_seq - 1
                last_seq = payload["seq"]
                for comment in payload.get("comments") or []:
                    text = comment.get("text", "")
                    if text.startswith("c") and text[1:].isdigit():
                        comment_lat.append(now - int(text[1:]))
        except websockets.ConnectionClosed:
            pass
        if window["on"]:
            counts["dropped"] += 1
            print(f"closed {index}: {ws.close_code} {ws.close_reason}", file=sys.stderr)

    headers_base = {"Origin": "http://127.0.0.1"}

    async def connect(index: int):
        headers = dict(headers_base)
        url = f"{args.url}?vid=bench{args.offset + index:06d}"
        if index < len(cookies):
            headers["Cookie"] = cookies[index]
        error: Exception | None = None
        for attempt in range(20):
            try:
                ws = await websockets.connect(
                    url, additional_headers=headers, max_queue=None, open_timeout=30,
                    ping_interval=None,
                )  # fmt: skip
                return ws
            except (OSError, websockets.InvalidHandshake, TimeoutError) as exc:
                error = exc
                await asyncio.sleep(0.2 + attempt * 0.2)
        raise RuntimeError(f"could not connect: {error!r}")

    sem = asyncio.Semaphore(50)

    async def opened(index: int):
        async with sem:
            return await connect(index)

    sockets = await asyncio.gather(*(opened(i) for i in range(args.count)))
    counts["connected"] = len(sockets)
    readers = [asyncio.create_task(reader(ws, i)) for i, ws in enumerate(sockets)]
    print("ready", flush=True)
    # wait for the parent's go (a line on stdin), then warm up and measure
    await asyncio.get_running_loop().run_in_executor(None, sys.stdin.readline)

    async def likes() -> None:
        interval = 1 / args.likes_rate if args.likes_rate else None
        frame = json.dumps({"type": "live.like", "payload": {"count": 1}})
        next_at = time.monotonic()
        while interval:
            next_at += interval
            ws = random.choice(sockets)
            try:
                await ws.send(frame)
            except websockets.ConnectionClosed:
                pass
            await asyncio.sleep(max(0, next_at - time.monotonic()))

    async def comments() -> None:
        commenters = sockets[: len(cookies)]
        if not commenters or not args.comments_rate:
            return
        interval = 1 / args.comments_rate
        n = 0
        next_at = time.monotonic()
        while True:
            next_at += interval
            ws = commenters[n % len(commenters)]
            n += 1
            body = {"type": "live.comment", "payload": {"text": f"c{int(time.time() * 1000)}"}}
            try:
                await ws.send(json.dumps(body))
            except websockets.ConnectionClosed:
                pass
            await asyncio.sleep(max(0, next_at - time.monotonic()))

    async def heartbeats() -> None:
        frame = json.dumps({"type": "live.heartbeat", "payload": {}})
        while True:
            await asyncio.sleep(15)
            for ws in sockets:
                try:
                    await ws.send(frame)
                except websockets.ConnectionClosed:
                    pass

    load = [asyncio.create_task(t()) for t in (likes, comments, heartbeats)]
    await asyncio.sleep(args.warmup)
    window["on"] = True
    started = time.monotonic()
    await asyncio.sleep(args.duration)
    window["on"] = False
    seconds = time.monotonic() - started
    for task in load:
        task.cancel()
    result = {**counts, "seconds": seconds, "lat": lat, "comment_lat": comment_lat}
    print(json.dumps(result), flush=True)
    for ws in sockets:
        await ws.close()
    for task in readers:
        task.cancel()


# --- the bare broadcast server (python bench_room.py --bare PORT --frame-bytes B) ---


async def bare_main(args: argparse.Namespace) -> None:
    import websockets

    clients: set = set()

    async def handler(ws) -> None:
        clients.add(ws)
        try:
            async for _message in ws:
                pass  # likes, comments, heartbeats: read and dropped
        except websockets.ConnectionClosed:
            pass
        finally:
            clients.discard(ws)

    pad = "x" * max(0, args.frame_bytes - 120)
    async with websockets.serve(
        handler, "127.0.0.1", args.bare, max_queue=None, ping_interval=None
    ):
        print("ready", flush=True)
        seq = 0
        next_at = time.monotonic()
        while True:
            next_at += 0.25
            seq += 1
            frame = {"type": "live.tick", "payload": {"session_id": 1, "seq": seq,
                     "ts": int(time.time() * 1000), "likes": seq, "viewers": len(clients),
                     "comments": [], "orders": None, "pad": pad}}  # fmt: skip
            websockets.broadcast(clients, json.dumps(frame))
            await asyncio.sleep(max(0, next_at - time.monotonic()))


# --- the parent: database, topology, runs, report ---


def recreate_database() -> None:
    with psycopg.connect(ADMIN_URL, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {DB_NAME}")
    env = {**os.environ, **ENV}
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, check=True, env=env)


def drop_database() -> None:
    with psycopg.connect(ADMIN_URL, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)")


def seed() -> tuple[int, list[str]]:
    """A live session and 50 signed-in commenters (their session cookies)."""
    os.environ.update(ENV)
    import django

    django.setup()
    from datetime import timedelta

    from django.conf import settings
    from django.test import Client
    from django.utils import timezone

    from backend.accounts.models import User
    from backend.live.models import LiveSession
    from backend.live.services import session_create

    streamer = User.objects.create_user(username="bench-streamer", password="x-bench-123456")
    session = session_create(
        streamer=streamer, title="压测直播间", scheduled_start=timezone.now() + timedelta(hours=1)
    )
    LiveSession.objects.filter(pk=session.pk).update(
        state=LiveSession.State.LIVE, started_at=timezone.now()
    )
    cookies = []
    for n in range(COMMENTERS):
        user = User.objects.create_user(username=f"bench-viewer-{n}", display_name=f"观众{n}")
        client = Client()
        client.force_login(user)
        name = settings.SESSION_COOKIE_NAME
        cookies.append(f"{name}={client.cookies[name].value}")
    return session.pk, cookies


def cpu_seconds(pids: list[int]) -> float:
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / ticks
        except (OSError, IndexError):
            pass
    return total


def rss_mb(pids: list[int]) -> float:
    total = 0
    for pid in pids:
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            pass
    return total / 1024


def tree(pid: int) -> list[int]:
    from tests import harness

    return [pid, *harness.children(pid)]


@dataclass
class Result:
    n: int
    connected: int
    frames_per_s: float
    expected_per_s: float
    p50: float
    p99: float
    lost: int
    dropped: int
    frame_bytes: float
    comment_p50: float | None
    comment_p99: float | None
    cpu: float
    rss: float


def pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    values = sorted(values)
    return values[min(len(values) - 1, int(q * len(values)))]


def run_clients(
    url: str, n: int, cookies: list[str], args: argparse.Namespace, server_pids: list[int],
    *, likes: int, comments: int,
) -> Result:  # fmt: skip
    per = [n // CLIENT_PROCS + (1 if i < n % CLIENT_PROCS else 0) for i in range(CLIENT_PROCS)]
    procs = []
    offset = 0
    for i, count in enumerate(per):
        mine = cookies[i::CLIENT_PROCS] if comments else []
        cmd = [sys.executable, __file__, "--client", "--url", url, "--count", str(count),
               "--offset", str(offset), "--likes-rate", str(likes / CLIENT_PROCS),
               "--comments-rate", str(comments / CLIENT_PROCS), "--cookies", json.dumps(mine),
               "--duration", str(args.duration), "--warmup", str(args.warmup)]  # fmt: skip
        offset += count
        procs.append(
            subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        )
    t_connect = time.monotonic()
    for proc in procs:
        line = proc.stdout.readline()  # type: ignore[union-attr]
        if line.strip() != "ready":
            raise RuntimeError(f"client failed to connect: {line!r}")
    connect_s = time.monotonic() - t_connect
    print(f"  {url} N={n}: connected in {connect_s:.1f} s", file=sys.stderr, flush=True)
    cpu_before = cpu_seconds(server_pids)
    t0 = time.monotonic()
    for proc in procs:
        proc.stdin.write("go\n")  # type: ignore[union-attr]
        proc.stdin.flush()  # type: ignore[union-attr]
    outs = [json.loads(proc.stdout.readline()) for proc in procs]  # type: ignore[union-attr]
    cpu = (cpu_seconds(server_pids) - cpu_before) / (time.monotonic() - t0)
    rss = rss_mb(server_pids)
    for proc in procs:
        proc.wait(timeout=60)
    lat = [v for o in outs for v in o["lat"]]
    clat = [v for o in outs for v in o["comment_lat"]]
    frames = sum(o["frames"] for o in outs)
    seconds = max(o["seconds"] for o in outs)
    return Result(
        n=n,
        connected=sum(o["connected"] for o in outs),
        frames_per_s=frames / seconds,
        expected_per_s=4 * n,
        p50=pct(lat, 0.5),
        p99=pct(lat, 0.99),
        lost=sum(o["lost"] for o in outs),
        dropped=sum(o["dropped"] for o in outs),
        frame_bytes=sum(o["bytes"] for o in outs) / frames if frames else 0,
        comment_p50=pct(clat, 0.5) if clat else None,
        comment_p99=pct(clat, 0.99) if clat else None,
        cpu=cpu,
        rss=rss,
    )


def line(name: str, r: Result) -> str:
    comments = (
        f"  comment e2e p50 {r.comment_p50:.0f} p99 {r.comment_p99:.0f} ms"
        if r.comment_p50 is not None
        else ""
    )
    return (
        f"{name:<6} N={r.n:<5} conn {r.connected:<5} {r.frames_per_s:>7.0f} frames/s "
        f"(of {r.expected_per_s:.0f})  p50 {r.p50:>6.0f} ms  p99 {r.p99:>6.0f} ms  "
        f"lost {r.lost}  dropped {r.dropped}  {r.frame_bytes:.0f} B/frame  "
        f"cpu {r.cpu:.2f} cores  rss {r.rss:.0f} MB{comments}"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="500,1000,2000")
    parser.add_argument("--duration", type=float, default=60)
    parser.add_argument("--warmup", type=float, default=3)
    parser.add_argument("--daphnes", type=int, default=2)
    parser.add_argument("--client", action="store_true")
    parser.add_argument("--url", default="")
    parser.add_argument("--count", type=int, default=0)
    parser.add_argument("--offset", type=int, default=0)
    parser.add_argument("--likes-rate", type=float, default=0)
    parser.add_argument("--comments-rate", type=float, default=0)
    parser.add_argument("--cookies", default="")
    parser.add_argument("--bare", type=int, default=0)
    parser.add_argument("--frame-bytes", type=int, default=200)
    args = parser.parse_args()
    if args.client:
        asyncio.run(client_main(args))
        return
    if args.bare:
        asyncio.run(bare_main(args))
        return
    sizes = [int(s) for s in args.sizes.split(",")]
    started = time.monotonic()
    recreate_database()
    from tests import harness

    procs: list[harness.Process] = []
    bare = None
    try:
        sid, cookies = seed()
        env = harness.base_env(**ENV)
        daphnes = [harness.start_daphne(env) for _ in range(args.daphnes)]
        procs += [p for p, _u in daphnes]
        hosts = [u.removeprefix("http://") for _p, u in daphnes]
        front, base = harness.start_front(env, http=hosts[:1], ws=hosts)
        procs.append(front)
        room_pids = [pid for p in procs for pid in tree(p.proc.pid)]
        url = base.replace("http://", "ws://") + f"/ws/live/{sid}/"
        load = os.getloadavg()[0]
        room = []
        for n in sizes:
            room.append(run_clients(url, n, cookies, args, room_pids,
                                    likes=LIKES_PER_S, comments=COMMENTS_PER_S))  # fmt: skip
            time.sleep(5)  # the last run's sockets close (nginx: 4,096 connections a worker)
        frame_bytes = round(statistics.mean(r.frame_bytes for r in room))
        port = harness.free_port()
        bare = subprocess.Popen(
            [sys.executable, __file__, "--bare", str(port), "--frame-bytes", str(frame_bytes)],
            stdout=subprocess.PIPE, text=True,
        )  # fmt: skip
        assert bare.stdout is not None and bare.stdout.readline().strip() == "ready"
        bare_url = f"ws://127.0.0.1:{port}/"
        baseline = []
        for n in sizes:
            baseline.append(run_clients(bare_url, n, [], args, [bare.pid],
                                        likes=LIKES_PER_S, comments=0))  # fmt: skip
            time.sleep(1)
        report(args, room, baseline, load, time.monotonic() - started)
    finally:
        if bare is not None:
            bare.kill()
        for proc in reversed(procs):
            proc.stop()
        from django.db import connections

        connections.close_all()
        drop_database()


def report(
    args: argparse.Namespace, room: list[Result], bare: list[Result], load: float, took: float
) -> None:
    print(
        f"Live room: nginx → {args.daphnes} daphne, Redis, PostgreSQL; {CLIENT_PROCS} client "
        f"processes on the same machine; {COMMENTS_PER_S} comments/s, {LIKES_PER_S} likes/s; "
        f"4 ticks/s; {args.duration:.0f} s measured after {args.warmup:.0f} s warm-up each; "
        f"load average {load:.2f} before, {os.getloadavg()[0]:.2f} after; {took:.0f} s in all."
    )
    print(f"Anchors (issue 18, this machine): {ANCHOR}")
    for r, b in zip(room, bare, strict=True):
        print(line("room", r))
        print(line("bare", b))
        print(
            f"       ratio room/bare: frames {r.frames_per_s / b.frames_per_s:.2f} "
            f"(target ≥ 0.5)  p99 {r.p99 / b.p99:.2f}"
        )
    two = [b for b in bare if b.n == 2000]
    if two:
        away = two[0].frames_per_s / ANCHOR_BARE_2000 - 1
        print(f"bare at 2,000 vs its anchor 6.6k frames/s: {away:+.0%}")

    def largest(results: list[Result]) -> str:
        ok = [r.n for r in results if r.p99 < 1000]
        return str(max(ok)) if ok else "none"

    print(f"largest N with p99 < 1 s: room {largest(room)}, bare {largest(bare)}")


if __name__ == "__main__":
    main()
