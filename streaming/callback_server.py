"""A small threaded HTTP server answering nginx's callbacks with ``callback_handle``.

Used by ``python -m streaming serve`` and by the tests; the backend answers the same
callbacks from its own views with the same function.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from urllib.parse import parse_qsl, urlsplit

from streaming.callbacks import CallbackEvent, PublishDecision, PublishRequest, callback_handle
from streaming.settings import MediaSettings

log = logging.getLogger(__name__)

MAX_BODY = 64 * 1024


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def do_POST(self) -> None:
        url = urlsplit(self.path)
        length = min(int(self.headers.get("Content-Length") or 0), MAX_BODY)
        body = self.rfile.read(length).decode("utf-8", "replace")
        owner = self.server.owner
        if owner.settings is None:
            self.send_error(503)
            return
        answer = callback_handle(
            event=url.path.rstrip("/").rsplit("/", 1)[-1],
            query=dict(parse_qsl(url.query)),
            form=dict(parse_qsl(body, keep_blank_values=True)),
            settings=owner.settings,
            decide=owner.decide,
            notify=owner.notify,
        )
        self.send_response(answer.status)
        for name, value in answer.headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(answer.body)))
        self.end_headers()
        self.wfile.write(answer.body)

    def log_message(self, format: str, *args: object) -> None:
        # The default logs the request line, which carries the callback token.
        log.debug("callback answered: %s", urlsplit(self.path).path)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    owner: CallbackServer


class CallbackServer:
    """Serve nginx's callbacks on ``host:port`` (port 0 picks a free one) in a thread.

    The socket is bound at construction so ``base_url`` can go into the settings that
    ``start(settings=…)`` then serves with.
    """

    def __init__(
        self,
        *,
        decide: Callable[[PublishRequest], PublishDecision],
        notify: Callable[[CallbackEvent], None] | None = None,
        host: str = "127.0.0.1",
        port: int = 0,
    ) -> None:
        self.settings: MediaSettings | None = None
        self.decide = decide
        self.notify = notify
        self._httpd = _Server((host, port), _Handler)
        self._httpd.owner = self
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)

    @property
    def port(self) -> int:
        return int(self._httpd.server_address[1])

    @property
    def base_url(self) -> str:
        host = self._httpd.server_address[0]
        return f"http://{host!s}:{self.port}/rtmp"

    def start(self, *, settings: MediaSettings) -> CallbackServer:
        self.settings = settings
        self._thread.start()
        return self

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()

    def __enter__(self) -> CallbackServer:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()
