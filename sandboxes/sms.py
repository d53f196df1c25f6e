"""SMS gateway sandbox: accepts messages over HTTP, keeps an outbox, prints each one.

Protocol (also in docs/sandboxes.md):
  POST   /v1/messages   Authorization: Bearer KEY, JSON {"to", "sign", "text"}
                        -> 201 {"id", "to", "sign", "text", "created_at", "status"}
                        -> 400 bad body, 401 bad key, 503 when a failure was injected
  GET    /v1/outbox?to=PHONE&limit=N   -> 200 {"messages": [...newest first]}
  DELETE /v1/outbox                    -> 204 (clears it)
  POST   /v1/control    JSON {"fail_next": N}: the next N sends answer 503
  GET    /healthz                      -> 200 {"ok": true}

Run: python -m sandboxes.sms --port 8025 --api-key sandbox-sms-key
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import threading
import uuid
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

PHONE = re.compile(r"^1[3-9]\d{9}$")
MAX_BODY = 64 * 1024


class Outbox:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._messages: list[dict[str, Any]] = []
        self._fail_next = 0

    def add(self, to: str, sign: str, text: str) -> dict[str, Any] | None:
        with self._lock:
            if self._fail_next > 0:
                self._fail_next -= 1
                return None
            message = {
                "id": uuid.uuid4().hex,
                "to": to,
                "sign": sign,
                "text": text,
                "created_at": datetime.now(UTC).isoformat(),
                "status": "delivered",
            }
            self._messages.append(message)
            return message

    def list(self, to: str | None, limit: int) -> list[dict[str, Any]]:
        with self._lock:
            rows = [m for m in reversed(self._messages) if to is None or m["to"] == to]
        return rows[:limit]

    def clear(self) -> None:
        with self._lock:
            self._messages.clear()

    def fail(self, count: int) -> None:
        with self._lock:
            self._fail_next = count


def make_handler(outbox: Outbox, api_key: str) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        server_version = "sms-sandbox/1"

        def log_message(self, format: str, *args: Any) -> None:
            return  # one line per message is printed by _announce instead

        def _send(self, status: int, body: dict[str, Any] | None = None) -> None:
            data = b"" if body is None else json.dumps(body, ensure_ascii=False).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def _json(self) -> Any:
            length = int(self.headers.get("Content-Length") or 0)
            if length > MAX_BODY:
                raise ValueError("body too large")
            return json.loads(self.rfile.read(length) or b"null")

        def do_GET(self) -> None:
            url = urlsplit(self.path)
            if url.path == "/healthz":
                self._send(200, {"ok": True})
            elif url.path == "/v1/outbox":
                query = parse_qs(url.query)
                to = query.get("to", [None])[0]
                limit = int(query.get("limit", ["50"])[0])
                self._send(200, {"messages": outbox.list(to, limit)})
            else:
                self._send(404, {"error": "not_found"})

        def do_DELETE(self) -> None:
            if urlsplit(self.path).path == "/v1/outbox":
                outbox.clear()
                self._send(204)
            else:
                self._send(404, {"error": "not_found"})

        def do_POST(self) -> None:
            path = urlsplit(self.path).path
            try:
                body = self._json()
            except (ValueError, json.JSONDecodeError):
                self._send(400, {"error": "bad_json"})
                return
            if path == "/v1/control":
                outbox.fail(int(body.get("fail_next", 0)))
                self._send(200, {"ok": True})
            elif path == "/v1/messages":
                self._message(body)
            else:
                self._send(404, {"error": "not_found"})

        def _message(self, body: Any) -> None:
            if self.headers.get("Authorization") != f"Bearer {api_key}":
                self._send(401, {"error": "bad_api_key"})
                return
            if not isinstance(body, dict) or not PHONE.match(str(body.get("to", ""))):
                self._send(400, {"error": "bad_phone"})
                return
            text = str(body.get("text", ""))
            if not text or len(text) > 500:
                self._send(400, {"error": "bad_text"})
                return
            message = outbox.add(body["to"], str(body.get("sign", "")), text)
            if message is None:
                self._send(503, {"error": "injected_failure"})
                return
            _announce(message)
            self._send(201, message)

    return Handler


def _announce(message: dict[str, Any]) -> None:
    sys.stdout.write(f"[SMS to {message['to']}] 【{message['sign']}】{message['text']}\n")
    sys.stdout.flush()


class _Server(ThreadingHTTPServer):
    # A real gateway accepts a crowd's connections at once; the stdlib's backlog of 5 would
    # drop SYNs under 100 concurrent checkouts and turn them into 3 s connect timeouts.
    request_queue_size = 256
    daemon_threads = True


def serve(host: str, port: int, api_key: str) -> ThreadingHTTPServer:
    server = _Server((host, port), make_handler(Outbox(), api_key))
    server.daemon_threads = True
    return server


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="SMS gateway sandbox")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8025)
    parser.add_argument("--api-key", default="sandbox-sms-key")
    args = parser.parse_args(argv)
    server = serve(args.host, args.port, args.api_key)
    sys.stdout.write(f"SMS sandbox listening on http://{args.host}:{server.server_port}\n")
    sys.stdout.flush()
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


if __name__ == "__main__":
    main()
