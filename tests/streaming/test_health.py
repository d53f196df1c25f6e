"""Health figures from nginx-rtmp's stat XML and the warnings derived from them."""

from __future__ import annotations

from dataclasses import replace

import pytest

from streaming.errors import MediaError
from streaming.health import (
    StreamStat,
    WarningCode,
    health_warnings,
    recent_bitrate_bps,
    stat_parse,
)

STAT = b"""<?xml version="1.0" encoding="utf-8" ?>
<rtmp><server>
<application><name>live</name><live>
<stream><name>5f0e</name><time>10000</time><bw_in>0</bw_in><bytes_in>1250000</bytes_in>
<nclients>2</nclients><publishing/><active/></stream>
</live></application>
<application><name>show</name><live>
<stream><name>s-7</name><time>8000</time><bw_in>1000000</bw_in><bytes_in>1000000</bytes_in>
<meta><video><width>1280</width><height>720</height><frame_rate>29.97</frame_rate><codec>H264</codec></video>
<audio><codec>AAC</codec></audio></meta><nclients>3</nclients><publishing/><active/></stream>
<stream><name>s-8</name><time>500</time><bytes_in>0</bytes_in><nclients>0</nclients></stream>
</live></application>
</server></rtmp>"""


def test_every_stream_of_every_application_is_read() -> None:
    streams = stat_parse(xml_text=STAT)
    assert [(s.app, s.name) for s in streams] == [
        ("live", "5f0e"),
        ("show", "s-7"),
        ("show", "s-8"),
    ]
    assert streams[1] == StreamStat(
        app="show",
        name="s-7",
        uptime_s=8.0,
        bytes_in=1_000_000,
        bw_in_bps=1_000_000,
        avg_bitrate_bps=1_000_000,
        width=1280,
        height=720,
        fps=29.97,
        video_codec="H264",
        audio_codec="AAC",
        clients=3,
        publishing=True,
    )
    assert (streams[2].publishing, streams[2].width, streams[2].avg_bitrate_bps) == (False, None, 0)


def test_a_falling_bitrate_is_warned_about() -> None:
    before = stat_parse(xml_text=STAT)[1]
    steady = replace(before, uptime_s=10.0, bytes_in=1_250_000)
    starved = replace(before, uptime_s=10.0, bytes_in=1_050_000)
    assert recent_bitrate_bps(previous=before, current=steady) == 1_000_000
    assert health_warnings(previous=before, current=steady) == []
    warnings = health_warnings(previous=before, current=starved)
    assert [w.code for w in warnings] == [WarningCode.BITRATE_FALLING]
    assert warnings[0].message == "bitrate fell to 200 kb/s from 1000 kb/s"


def test_a_publisher_that_leaves_is_warned_about() -> None:
    before = stat_parse(xml_text=STAT)[1]
    idle = replace(before, uptime_s=9.0, bytes_in=1_125_000, publishing=False)
    assert [w.code for w in health_warnings(previous=before, current=None)] == [
        WarningCode.PUBLISHER_GONE
    ]
    assert [w.code for w in health_warnings(previous=before, current=idle)] == [
        WarningCode.PUBLISHER_GONE
    ]


def test_unreadable_xml_raises_a_media_error() -> None:
    with pytest.raises(MediaError):
        stat_parse(xml_text=b"<rtmp><server>")
