"""Typed errors of the media plane. Every failure a caller can act on has its own class."""

from __future__ import annotations


class MediaError(Exception):
    """Base class of every error raised by ``streaming``."""


class FfmpegError(MediaError):
    """An ffmpeg or ffprobe run failed; carries the exit code and the tail of stderr."""

    def __init__(self, *, tool: str, returncode: int, stderr_tail: str, what: str) -> None:
        self.tool = tool
        self.returncode = returncode
        self.stderr_tail = stderr_tail
        self.what = what
        super().__init__(f"{tool} failed ({what}) with exit code {returncode}: {stderr_tail}")


class FfmpegTimeout(FfmpegError):
    """An ffmpeg or ffprobe run passed its timeout and was killed."""

    def __init__(self, *, tool: str, timeout_s: float, stderr_tail: str, what: str) -> None:
        self.timeout_s = timeout_s
        super().__init__(tool=tool, returncode=-9, stderr_tail=stderr_tail, what=what)
        self.args = (f"{tool} timed out after {timeout_s:g} s ({what}): {stderr_tail}",)


class NginxError(MediaError):
    """nginx could not be found, configured, started or stopped."""


class CallbackError(MediaError):
    """A callback from nginx was malformed or failed the shared-secret check."""


class RestreamError(MediaError):
    """A restream target could not be started (bad URL, duplicate name)."""
