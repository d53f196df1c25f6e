"""The media plane: nginx-rtmp ingest, HLS ladder, recordings, clips, restreams and health.

Django-free; the backend drives it through the functions re-exported here.
"""

from streaming.callbacks import (
    Accept,
    CallbackAnswer,
    CallbackEvent,
    PublishDecision,
    PublishDone,
    PublishRequest,
    RecordDone,
    Refuse,
    callback_handle,
    publish_answer,
)
from streaming.errors import (
    CallbackError,
    FfmpegError,
    FfmpegTimeout,
    MediaError,
    NginxError,
    RestreamError,
)
from streaming.health import HealthWarning, StreamStat, health_warnings, stat_fetch, stat_parse
from streaming.nginx_proc import NginxProcess, nginx_start
from streaming.probe import MediaInfo, keyframe_interval_check, keyframe_near, media_probe
from streaming.replay import (
    ClipSpan,
    JoinPiece,
    clip_cut,
    cover_pick,
    pieces_join,
    recording_remux,
    thumbnails_make,
)
from streaming.restream import Restreamer, RestreamTarget, TargetStatus
from streaming.settings import Ladder, MediaSettings

__all__ = [
    "Accept",
    "CallbackAnswer",
    "CallbackError",
    "CallbackEvent",
    "ClipSpan",
    "FfmpegError",
    "FfmpegTimeout",
    "HealthWarning",
    "JoinPiece",
    "Ladder",
    "MediaError",
    "MediaInfo",
    "MediaSettings",
    "NginxError",
    "NginxProcess",
    "PublishDecision",
    "PublishDone",
    "PublishRequest",
    "RecordDone",
    "Refuse",
    "RestreamError",
    "RestreamTarget",
    "Restreamer",
    "StreamStat",
    "TargetStatus",
    "callback_handle",
    "clip_cut",
    "cover_pick",
    "health_warnings",
    "keyframe_interval_check",
    "keyframe_near",
    "media_probe",
    "nginx_start",
    "pieces_join",
    "publish_answer",
    "recording_remux",
    "stat_fetch",
    "stat_parse",
    "thumbnails_make",
]
