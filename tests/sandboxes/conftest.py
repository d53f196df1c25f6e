"""The payment sandbox as a real subprocess (one per module), and a notify receiver per test."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from tests import harness
from tests.sandboxes.merchant import (
    BACKOFF_MS,
    OTHER_MCH_ID,
    OTHER_SECRET,
    RETRIES,
    Gateway,
    Receiver,
)


@pytest.fixture(autouse=True)
def _clean_cache_keys() -> Iterator[None]:
    """The project-wide fixture of this name clears Django's Redis cache; the sandbox has
    neither Django nor Redis."""
    yield


@pytest.fixture(scope="module")
def sandbox_url() -> Iterator[str]:
    args = [
        f"--merchant={OTHER_MCH_ID}:{OTHER_SECRET}",
        f"--notify-retries={RETRIES}",
        f"--notify-backoff-ms={BACKOFF_MS}",
    ]
    proc, url = harness.start_payment_sandbox(harness.base_env(), *args)
    try:
        yield url
    finally:
        proc.stop()


@pytest.fixture
def gateway(sandbox_url: str) -> Iterator[Gateway]:
    gateway = Gateway(sandbox_url)
    yield gateway
    gateway.control(notify_fail_next=0, notify_delay_ms=0)


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    state = Receiver()

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            return

        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"]))
            state.arrived.append(time.monotonic())
            status, text = state.answers.pop(0) if state.answers else (200, "success")
            state.content_types.append(self.headers["Content-Type"])
            state.bodies.append(body)
            data = text.encode()
            self.send_response(status)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state.url = f"http://127.0.0.1:{server.server_port}/api/v1/payments/notify"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
