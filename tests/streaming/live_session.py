"""One pattern pushed with the right key through the real plane, and what was seen."""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

import requests

from streaming.callbacks import RecordDone
from streaming.health import StreamStat, stat_fetch
from streaming.nginx_proc import processes_kill_using
from streaming.probe import KeyframeReport, keyframe_interval_check
from tests.streaming.plane import Plane, key_leaks, processes_naming, wait_for

PUSH_S = 14.0  # seconds of pattern pushed
PUBLIC_ID = "pub-main"


@dataclass
class LiveRun:
    """What was observed while one pattern was pushed with the right key, and after."""

    key: str
    push_returncode: int
    push_seconds: float
    stat_xml: list[str]
    stats_live: list[StreamStat]
    stats_after: list[StreamStat]
    keyframes: KeyframeReport
    leaks_while_live: list[str]
    hls_live: dict[str, requests.Response]


def _renditions_ready(hls: Path) -> bool:
    return (hls / "master.m3u8").exists() and all(
        len(list((hls / r).glob("seg-*.ts"))) >= 2 for r in ("source", "480p")
    )


def _fetch_hls(plane: Plane) -> dict[str, requests.Response]:
    base = f"http://127.0.0.1:{plane.settings.http_port}/hls/{PUBLIC_ID}"
    segment = sorted((plane.settings.hls_dir / PUBLIC_ID / "480p").glob("seg-*.ts"))[-1].name
    paths = {
        "master": "master.m3u8",
        "playlist": "480p/index.m3u8",
        "source_playlist": "source/index.m3u8",
        "segment": f"480p/{segment}",
    }
    return {k: requests.get(f"{base}/{p}", timeout=5) for k, p in paths.items()}


def _stat(plane: Plane) -> tuple[str, list[StreamStat]]:
    xml = requests.get(plane.settings.stat_url, timeout=5).text
    return xml, stat_fetch(url=plane.settings.stat_url)


def live_run_observe(plane: Plane) -> LiveRun:
    key = next(k for k, v in plane.keys.items() if v == PUBLIC_ID)
    started = time.monotonic()
    pusher = plane.push(key=key, seconds=PUSH_S)
    hls = plane.settings.hls_dir / PUBLIC_ID
    wait_for(lambda: _renditions_ready(hls), timeout_s=15, what="both renditions")
    xml1, stats1 = _stat(plane)
    keyframes = keyframe_interval_check(
        source=plane.settings.show_url(public_id=PUBLIC_ID), sample_s=4.0
    )
    xml2, stats2 = _stat(plane)
    hls_live = _fetch_hls(plane)
    leaks = key_leaks(root=plane.root, key=key)
    returncode = pusher.wait(timeout=PUSH_S + 15)
    seconds = time.monotonic() - started
    plane.wait_event(RecordDone, timeout_s=10)
    xml3, stats3 = _stat(plane)
    # nginx stops the ladder when the publisher leaves; until it has exited it still writes
    # the last segments (later when the machine is busy), which the next tests would see.
    # x264 runs behind real time on a loaded 2-core machine and drains its lookahead on TERM.
    # On a loaded full run a ladder sometimes never exits after nginx's TERM (seen twice,
    # 45 s and 120 s): it is then killed, so its late segments cannot reach the next tests.
    try:
        wait_for(lambda: not processes_naming(hls), timeout_s=45, what="the ladder to exit")
    except AssertionError:
        processes_kill_using(path=hls)
        wait_for(lambda: not processes_naming(hls), timeout_s=10, what="the killed ladder")
    return LiveRun(
        key=key,
        push_returncode=returncode,
        push_seconds=seconds,
        stat_xml=[xml1, xml2, xml3],
        stats_live=[
            *(s for s in stats1 if s.name == PUBLIC_ID),
            *(s for s in stats2 if s.name == PUBLIC_ID),
        ],
        stats_after=stats3,
        keyframes=keyframes,
        leaks_while_live=leaks,
        hls_live=hls_live,
    )
