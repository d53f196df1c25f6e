"""The live ladder that nginx runs with ``exec_push`` for every relayed stream.

The source is passed through untouched and one scaled rendition is encoded whose keyframes
follow the source's (``-force_key_frames source``), so both renditions cut their HLS segments
at the same instants; ffmpeg's HLS muxer writes ``<hls_dir>/<public id>/master.m3u8`` and one
folder per rendition.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import ffmpeg

from streaming.ffrun import compile_args
from streaming.settings import MediaSettings

SOURCE_RENDITION = "source"


def ladder_spec(*, source_url: str, out_dir: str, settings: MediaSettings) -> Any:
    """The ffmpeg-python node reading ``source_url`` and writing the HLS ladder to ``out_dir``."""
    lad = settings.ladder
    src = ffmpeg.input(source_url)
    scaled = src["v"].filter("scale", -2, lad.rendition_height)
    var_map = f"v:0,a:0,name:{SOURCE_RENDITION} v:1,a:1,name:{lad.rendition_name}"
    options: dict[str, str | int] = {
        "c:v:0": "copy",
        "c:v:1": "libx264",
        "preset:v:1": lad.preset,
        "b:v:1": f"{lad.video_bitrate_k}k",
        "maxrate:v:1": f"{lad.video_bitrate_k * 11 // 10}k",
        "bufsize:v:1": f"{lad.video_bitrate_k * 2}k",
        "force_key_frames:v:1": "source",
        "c:a": "copy",
        "f": "hls",
        "hls_time": lad.hls_time_s,
        "hls_list_size": lad.hls_list_size,
        "hls_flags": "independent_segments+delete_segments",
        "master_pl_name": "master.m3u8",
        "var_stream_map": var_map,
        "hls_segment_filename": f"{out_dir}/%v/seg-%05d.ts",
    }
    return ffmpeg.output(
        src["v"], src["a"], scaled, src["a"], f"{out_dir}/%v/index.m3u8", **options
    )


def ladder_args(*, settings: MediaSettings, name: str = "$name") -> list[str]:
    """The ladder's argument list; ``$name`` is left for nginx's ``exec_push`` to fill in."""
    spec = ladder_spec(
        source_url=settings.show_url(public_id=name),
        out_dir=f"{Path(settings.hls_dir)}/{name}",
        settings=settings,
    )
    # nginx clears the environment of what it execs: give it an absolute path.
    ffmpeg_bin = shutil.which(settings.ffmpeg_bin) or settings.ffmpeg_bin
    args = compile_args(spec=spec, ffmpeg_bin=ffmpeg_bin)
    args[1:1] = ["-hide_banner", "-nostdin", "-loglevel", "error"]
    return args
