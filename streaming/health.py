"""Stream health from nginx-rtmp's stat XML: per-stream figures and derived warnings.

nginx refreshes ``bw_in`` only every 10 s, so bitrates here come from ``bytes_in``: the
lifetime average in one snapshot, the recent rate between two snapshots.
"""

from __future__ import annotations

import enum
import xml.etree.ElementTree as ET
from dataclasses import dataclass

import requests

from streaming.errors import MediaError
from streaming.probe import KeyframeReport


@dataclass(frozen=True, kw_only=True)
class StreamStat:
    app: str
    name: str
    uptime_s: float
    bytes_in: int
    bw_in_bps: int
    avg_bitrate_bps: int
    width: int | None
    height: int | None
    fps: float | None
    video_codec: str | None
    audio_codec: str | None
    clients: int
    publishing: bool


def _text(node: ET.Element | None, path: str) -> str | None:
    found = node.find(path) if node is not None else None
    return found.text if found is not None and found.text is not None else None


def _int(node: ET.Element | None, path: str) -> int | None:
    value = _text(node, path)
    return int(float(value)) if value else None


def _stream(app: str, node: ET.Element) -> StreamStat:
    uptime_ms = _int(node, "time") or 0
    bytes_in = _int(node, "bytes_in") or 0
    fps = _text(node, "meta/video/frame_rate")
    return StreamStat(
        app=app,
        name=_text(node, "name") or "",
        uptime_s=uptime_ms / 1000,
        bytes_in=bytes_in,
        bw_in_bps=_int(node, "bw_in") or 0,
        avg_bitrate_bps=bytes_in * 8000 // uptime_ms if uptime_ms else 0,
        width=_int(node, "meta/video/width"),
        height=_int(node, "meta/video/height"),
        fps=float(fps) if fps else None,
        video_codec=_text(node, "meta/video/codec"),
        audio_codec=_text(node, "meta/audio/codec"),
        clients=_int(node, "nclients") or 0,
        publishing=node.find("publishing") is not None,
    )


def stat_parse(*, xml_text: str | bytes) -> list[StreamStat]:
    """Every stream of every application in a ``rtmp_stat all`` document."""
    try:
        # The document comes from our own nginx on loopback, not from a user.
        root = ET.fromstring(xml_text)  # noqa: S314
    except ET.ParseError as exc:
        raise MediaError(f"stat XML unreadable: {exc}") from exc
    streams: list[StreamStat] = []
    for app in root.iter("application"):
        app_name = _text(app, "name") or ""
        streams.extend(_stream(app_name, node) for node in app.iterfind("live/stream"))
    return streams


def stat_fetch(*, url: str, timeout_s: float = 3.0) -> list[StreamStat]:
    response = requests.get(url, timeout=timeout_s)
    response.raise_for_status()
    return stat_parse(xml_text=response.content)


def stream_find(*, streams: list[StreamStat], app: str, name: str) -> StreamStat | None:
    return next((s for s in streams if s.app == app and s.name == name), None)


class WarningCode(enum.StrEnum):
    PUBLISHER_GONE = "stream.publisher_gone"
    BITRATE_FALLING = "stream.bitrate_falling"
    KEYFRAME_INTERVAL = "stream.keyframe_interval"


@dataclass(frozen=True, kw_only=True)
class HealthWarning:
    code: WarningCode
    message: str


def recent_bitrate_bps(*, previous: StreamStat, current: StreamStat) -> int | None:
    """Bits per second received between two snapshots of the same stream."""
    elapsed = current.uptime_s - previous.uptime_s
    if elapsed <= 0:
        return None
    return int((current.bytes_in - previous.bytes_in) * 8 / elapsed)


def health_warnings(
    *,
    previous: StreamStat | None,
    current: StreamStat | None,
    keyframes: KeyframeReport | None = None,
    falling_ratio: float = 0.5,
) -> list[HealthWarning]:
    """Warnings for the console from two snapshots (and a keyframe report, if any)."""
    warnings: list[HealthWarning] = []
    if previous is not None and previous.publishing and (current is None or not current.publishing):
        warnings.append(
            HealthWarning(code=WarningCode.PUBLISHER_GONE, message="the encoder stopped sending")
        )
    if previous is not None and current is not None:
        recent = recent_bitrate_bps(previous=previous, current=current)
        floor = previous.avg_bitrate_bps * falling_ratio
        if recent is not None and previous.avg_bitrate_bps and recent < floor:
            message = (
                f"bitrate fell to {recent // 1000} kb/s"
                f" from {previous.avg_bitrate_bps // 1000} kb/s"
            )
            warnings.append(HealthWarning(code=WarningCode.BITRATE_FALLING, message=message))
    if keyframes is not None and not keyframes.ok:
        warnings.append(
            HealthWarning(code=WarningCode.KEYFRAME_INTERVAL, message=keyframes.message)
        )
    return warnings
