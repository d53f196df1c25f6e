"""The one process that owns every 转推 ffmpeg (manage.py live_restream; never a web process).

Each second it reads what should run (enabled targets of live sessions), starts what is
missing, stops what is no longer wanted, and writes each target's health (connecting,
connected with its bitrate, retrying with the last error). A push that ends is started
again after a backoff (1, 2, 4 … 60 s, with jitter) that resets once it has stayed
connected for a while. The database is the only state: a supervisor that dies loses
nothing, its ffmpegs die with it (PR_SET_PDEATHSIG) and the next one starts them again.

Only the holder of a Redis lease acts (`live:restream:leader`), so a second supervisor on
another host waits instead of pushing twice; the watchdog's restarted child keeps its
owner name and takes the lease back at once. Keys are decrypted here alone and handed to
ffmpeg through a pipe (streaming.restream): never a log line or a command line.
"""

from __future__ import annotations

import logging
import random
import time
from dataclasses import dataclass
from datetime import timedelta

import redis
from django.conf import settings
from django.db import close_old_connections
from django.utils import timezone

from backend.live.media import media_settings
from backend.live.models import SessionState
from backend.live.models_media import RestreamTarget as TargetRow
from backend.live.models_media import TargetStatus as S
from streaming import MediaError, Restreamer, RestreamTarget, TargetStatus

log = logging.getLogger(__name__)

BACKOFF_MAX_S = 60.0
STEADY_S = 30.0  # connected this long: the failure count starts again from zero
_RENEW = """
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('PEXPIRE', KEYS[1], ARGV[2])
end
return redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) and 1 or 0
"""


def backoff_s(failures: int) -> float:
    return float(min(BACKOFF_MAX_S, 2 ** max(0, failures - 1)) * random.uniform(0.8, 1.2))


class Lease:
    """Leadership in Redis: held while renewed; lapses when its holder stops renewing."""

    def __init__(self, *, owner: str) -> None:
        self.owner = owner
        self.key = f"{settings.REDIS_PREFIX}:live:restream:leader"
        self.client = redis.Redis.from_url(settings.REDIS_URL)
        self.renew_script = self.client.register_script(_RENEW)

    def hold(self) -> bool:
        ms = int(settings.LIVE_RESTREAM_LEASE_SECONDS * 1000)
        try:
            return bool(self.renew_script(keys=[self.key], args=[self.owner, ms]))
        except redis.RedisError:
            log.warning("restream: Redis unreachable, leadership unknown")
            return False

    def release(self) -> None:
        if self.client.get(self.key) == self.owner.encode():
            self.client.delete(self.key)


@dataclass
class _Slot:
    """One target as this supervisor runs it."""

    restreamer: Restreamer
    signature: tuple[str, str, str]  # source, server URL, key: a change restarts the push
    failures: int = 0
    retry_at: float = 0.0
    connected_at: float | None = None
    last_error: str = ""


def _signature(row: TargetRow) -> tuple[str, str, str]:
    source = media_settings().show_url(public_id=row.session.public_id)
    return (source, row.server_url, str(row.stream_key))


def _wanted() -> dict[int, TargetRow]:
    rows = TargetRow.objects.filter(enabled=True, session__state=SessionState.LIVE)
    return {row.pk: row for row in rows.select_related("session")}


class Supervisor:
    def __init__(self, *, owner: str) -> None:
        self.lease = Lease(owner=owner)
        self.slots: dict[int, _Slot] = {}

    def _start(self, row: TargetRow, slot: _Slot) -> None:
        _source, server_url, key = slot.signature
        try:
            target = RestreamTarget(name=str(row.pk), server_url=server_url, stream_key=key)
            slot.restreamer.start(target=target)
        except MediaError as exc:
            slot.last_error = str(exc)[:500]
            slot.failures += 1
            slot.retry_at = time.monotonic() + backoff_s(slot.failures)

    def _stop(self, target_id: int) -> None:
        slot = self.slots.pop(target_id)
        slot.restreamer.stop_all()
        TargetRow.objects.filter(pk=target_id).update(
            status=S.IDLE, bitrate_kbps=0, connected_since=None, health_at=timezone.now()
        )

    def _ended(self, slot: _Slot, status: TargetStatus) -> None:
        """The push exited: keep its last words, wait, try again."""
        slot.restreamer.stop(name=status.name)
        lines = [ln for ln in status.stderr_tail.splitlines() if ln.strip()]
        slot.last_error = (lines[-1] if lines else f"ffmpeg exited {status.returncode}")[:500]
        slot.failures += 1
        slot.connected_at = None
        slot.retry_at = time.monotonic() + backoff_s(slot.failures)
        log.info("restream %s ended (%s); retry %s", status.name, status.returncode, slot.failures)

    def _health(self, target_id: int, slot: _Slot, status: TargetStatus | None) -> None:
        now = time.monotonic()
        if status is not None and status.connected:
            slot.connected_at = slot.connected_at or now
            if now - slot.connected_at > STEADY_S:
                slot.failures = 0
            state = S.CONNECTED
        else:
            state = S.CONNECTING if status is not None else S.RETRYING
        since = None
        if slot.connected_at is not None:
            since = timezone.now() - timedelta(seconds=now - slot.connected_at)
        TargetRow.objects.filter(pk=target_id).update(
            status=state,
            bitrate_kbps=status.bitrate_kbps if status else 0,
            last_error=slot.last_error,
            failures=slot.failures,
            connected_since=since,
            health_at=timezone.now(),
        )

    def _tend(self, target_id: int, row: TargetRow) -> None:
        slot = self.slots.get(target_id)
        signature = _signature(row)
        if slot is not None and slot.signature != signature:
            self._stop(target_id)
            slot = None
        if slot is None:
            slot = self.slots[target_id] = _Slot(
                restreamer=Restreamer(source_url=signature[0]), signature=signature
            )
        status = slot.restreamer.status().get(str(target_id))
        if status is not None and not status.running:
            self._ended(slot, status)
            status = None
        if status is None and time.monotonic() >= slot.retry_at:
            self._start(row, slot)
            status = slot.restreamer.status().get(str(target_id))
        self._health(target_id, slot, status)

    def step(self) -> None:
        """One look at what should run; everything stops while another holds the lease."""
        if not self.lease.hold():
            for target_id in list(self.slots):
                self.slots.pop(target_id).restreamer.stop_all()
            return
        wanted = _wanted()
        for target_id in [t for t in self.slots if t not in wanted]:
            self._stop(target_id)
        for target_id, row in wanted.items():
            self._tend(target_id, row)

    def run(self, *, interval_s: float = 1.0, stop: list[bool]) -> None:
        log.info("restream supervisor running")
        try:
            while not stop:
                close_old_connections()
                self.step()
                time.sleep(interval_s)
        finally:
            for slot in self.slots.values():
                slot.restreamer.stop_all()
            self.lease.release()
            log.info("restream supervisor stopped")
