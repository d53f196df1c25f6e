"""Stand-alone media plane for trying it by hand: nginx plus a callback server reading keys.

The keys file holds one ``<public id> <stream key>`` pair a line (``#`` starts a comment).
It is re-read on every publish, so keys can be added while the plane runs.
"""

from __future__ import annotations

import logging
import secrets
import signal
import threading
from dataclasses import dataclass
from pathlib import Path
from types import FrameType

from streaming.callback_server import CallbackServer
from streaming.callbacks import Accept, CallbackEvent, PublishDecision, PublishRequest, Refuse
from streaming.errors import MediaError
from streaming.nginx_proc import nginx_start
from streaming.settings import MediaSettings

log = logging.getLogger(__name__)


def keys_load(*, path: Path) -> dict[str, str]:
    """Stream key → public id, from the keys file."""
    keys: dict[str, str] = {}
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        parts = line.split()
        if len(parts) != 2:
            raise MediaError(f"{path}:{number}: expected '<public id> <stream key>'")
        public_id, key = parts
        Accept(public_id=public_id)  # validates the id
        if key in keys:
            raise MediaError(f"{path}:{number}: a stream key is listed twice")
        keys[key] = public_id
    return keys


@dataclass(frozen=True, kw_only=True)
class KeysFileDecider:
    path: Path

    def __call__(self, request: PublishRequest) -> PublishDecision:
        public_id = keys_load(path=self.path).get(request.stream_key)
        return Accept(public_id=public_id) if public_id else Refuse(reason="unknown stream key")


def _log_event(event: CallbackEvent) -> None:
    log.info("callback: %r", event)  # reprs leave stream keys out


@dataclass(frozen=True, kw_only=True)
class ServeOptions:
    keys_file: Path
    root: Path
    host: str = "127.0.0.1"
    rtmp_port: int = 1935
    http_port: int = 8088


def serve_settings(
    *, options: ServeOptions, callback_base_url: str, secret: str | None = None
) -> MediaSettings:
    root = options.root.resolve()
    return MediaSettings(
        prefix=root / "nginx",
        hls_dir=root / "hls",
        record_dir=root / "record",
        rtmp_port=options.rtmp_port,
        http_port=options.http_port,
        host=options.host,
        callback_base_url=callback_base_url,
        callback_secret=secret or secrets.token_urlsafe(24),
    )


def serve(*, options: ServeOptions, stop: threading.Event | None = None) -> int:
    """Run until SIGINT/SIGTERM (or ``stop`` is set); return nginx's exit status."""
    keys_load(path=options.keys_file)  # fail early on a malformed file
    stop = stop or threading.Event()

    def on_signal(signum: int, frame: FrameType | None) -> None:
        stop.set()

    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, on_signal)
    server = CallbackServer(decide=KeysFileDecider(path=options.keys_file), notify=_log_event)
    settings = serve_settings(options=options, callback_base_url=server.base_url)
    server.start(settings=settings)
    try:
        nginx = nginx_start(settings=settings)
    except MediaError:
        server.stop()
        raise
    log.info("publish to %s with a stream key from %s", settings.ingest_url, options.keys_file)
    log.info("watch at %s", settings.hls_url(public_id="<public id>"))
    try:
        while not stop.wait(0.5) and nginx.running:
            pass
    finally:
        nginx.stop()
        server.stop()
    return 0 if nginx.popen.returncode in (0, -signal.SIGTERM, -signal.SIGKILL) else 1
