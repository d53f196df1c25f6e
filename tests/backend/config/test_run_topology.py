"""`make run`'s web tier, started by scripts/run.sh itself: one port serves pages, the API,
static files and websockets (nginx in front of gunicorn and daphne); the compose front is
the same renderer's output."""

from __future__ import annotations

import base64
import json
import os
import socket
from pathlib import Path

import pytest
import requests

from backend.config.front import COMPOSE, front_conf_render
from tests import harness
from tests.factories.accounts import PASSWORD, UserFactory

ROOT = Path(__file__).resolve().parents[3]


def _recv_exactly(sock: socket.socket, size: int) -> bytes:
    data = b""
    while len(data) < size:
        chunk = sock.recv(size - len(data))
        assert chunk, "connection closed"
        data += chunk
    return data


def _websocket_ping(base: str, cookie: str) -> tuple[str, dict]:
    """A websocket handshake and one ping through `base`, by hand (RFC 6455, no library)."""
    host, port = base.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as sock:
        key = base64.b64encode(os.urandom(16)).decode()
        sock.sendall(
            (
                f"GET /ws/me/ HTTP/1.1\r\nHost: {host}:{port}\r\nUpgrade: websocket\r\n"
                f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\n"
                f"Sec-WebSocket-Version: 13\r\nOrigin: {base}\r\nCookie: {cookie}\r\n\r\n"
            ).encode()
        )
        head = b""
        while not head.endswith(b"\r\n\r\n"):
            head += _recv_exactly(sock, 1)
        status = head.split(b"\r\n")[0].decode()
        payload = json.dumps({"type": "ping", "payload": "上链接"}).encode()
        mask = os.urandom(4)
        masked = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
        sock.sendall(bytes([0x81, 0x80 | len(payload)]) + mask + masked)
        first, length = _recv_exactly(sock, 2)
        assert first == 0x81  # one text frame
        if length == 126:
            length = int.from_bytes(_recv_exactly(sock, 2), "big")
        return status, json.loads(_recv_exactly(sock, length))


@pytest.mark.processes
@pytest.mark.django_db(transaction=True)
def test_make_run_serves_pages_api_files_and_websockets_on_one_port(
    process_env: dict[str, str], tmp_path: Path
) -> None:
    user = UserFactory(username="one-port")
    port = harness.free_port()
    env = {
        **process_env,
        "FRONT_PORT": str(port),
        "HTTP_PORT": str(harness.free_port()),
        "WS_PORT": str(harness.free_port()),
        "VAR_DIR": str(tmp_path),
    }
    base = f"http://127.0.0.1:{port}"
    run = harness.Process("make-run", ["scripts/run.sh", "front", "web", "ws"], env)
    run.start(harness.http_ready(f"{base}/healthz"), timeout=90)
    try:
        page = requests.get(f"{base}/login/", timeout=10)
        assert (page.status_code, page.headers["Content-Type"]) == (
            200,
            "text/html; charset=utf-8",
        )
        assert page.headers["Server"].startswith("nginx")
        style = requests.get(f"{base}/static/css/app.css", timeout=10)
        assert (style.status_code, style.headers["Content-Type"]) == (200, "text/css")
        session = requests.Session()
        config = session.get(f"{base}/api/v1/config", timeout=10).json()
        assert config["platform_name"] == "沁水县电商直播与网店运营平台"
        login = session.post(
            f"{base}/api/v1/auth/login",
            json={"username": user.username, "password": PASSWORD},
            headers={"X-CSRFToken": config["csrf_token"]},
            timeout=10,
        )
        assert login.status_code == 200, login.text
        cookie = "; ".join(f"{k}={v}" for k, v in session.cookies.items())
        status, answer = _websocket_ping(base, cookie)
        assert status == "HTTP/1.1 101 Switching Protocols"
        assert answer == {"type": "pong", "payload": "上链接"}
        conf = (tmp_path / "front" / "nginx.conf").read_text()
        assert f"listen 127.0.0.1:{port};" in conf
    finally:
        run.stop()


def test_the_compose_front_is_the_rendered_one() -> None:
    """docker/nginx-front.conf is `python -m backend.config.front --compose`, never edited."""
    assert (ROOT / "docker" / "nginx-front.conf").read_text() == front_conf_render(COMPOSE)
