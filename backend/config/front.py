"""The front server's nginx.conf: one port for pages, API, files and websockets.

    /ws/              → daphne (Channels), upgraded, long-lived
    /static/, /media/ → files from disk; a file not there falls through to the app
    everything else   → the HTTP workers (gunicorn), over kept-alive upstream connections

One renderer for every place the platform runs: `make run` (scripts/run.sh renders into
var/front/), the test harness and the benchmark (temporary folders, free ports), and
docker/nginx-front.conf (rendered with --compose; a test keeps the file equal to it). nginx
runs in the foreground under a supervisor: start it with `-g "daemon off;"`. Pure Python, no
Django: `python -m backend.config.front --help`.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

PROXY_HEADERS = [
    # $http_host keeps the port: Django's host and CSRF origin checks see what the browser sent.
    "proxy_set_header Host $http_host;",
    "proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;",
    "proxy_set_header X-Forwarded-Proto $scheme;",
]


@dataclass(frozen=True)
class Front:
    listen: str  # "127.0.0.1:8000" or "80"
    http: Sequence[str]  # the HTTP workers' addresses
    ws: Sequence[str]  # the daphne processes' addresses
    static_root: str
    media_root: str
    prefix: str | None = None  # pid and temp files go here (None: nginx's own defaults)
    worker_processes: str = "1"
    access_log: str = "off"
    extra_comment: list[str] = field(default_factory=list)


def _files(url: str, root: str) -> list[str]:
    return [
        f"location {url} {{",
        f"    alias {root.rstrip('/')}/;",
        # Not collected, or not readable by nginx's worker user (make run, tests): the app
        # serves it (SERVE_STATIC); production collects and lets nginx do it.
        "    error_page 403 404 = @app;",
        "}",
    ]


def _proxy_app() -> list[str]:
    return [
        "proxy_pass http://http_app;",
        "proxy_http_version 1.1;",
        'proxy_set_header Connection "";',
        *PROXY_HEADERS,
    ]


def _server(front: Front) -> list[str]:
    ws = [
        "location /ws/ {",
        "    proxy_pass http://ws_app;",
        "    proxy_http_version 1.1;",
        "    proxy_set_header Upgrade $http_upgrade;",
        "    proxy_set_header Connection $connection_upgrade;",
        *(f"    {h}" for h in PROXY_HEADERS),
        "    proxy_read_timeout 1h;",
        "    proxy_send_timeout 1h;",
        "    proxy_buffering off;",
        "}",
    ]
    body = [
        f"listen {front.listen};",
        "client_max_body_size 12m;",
        *_files("/static/", front.static_root),
        *_files("/media/", front.media_root),
        *ws,
        "location / {",
        *(f"    {line}" for line in _proxy_app()),
        "}",
        "location @app {",
        *(f"    {line}" for line in _proxy_app()),
        "}",
    ]
    return ["server {", *(f"    {line}" for line in body), "}"]


def _upstream(name: str, servers: Sequence[str], keepalive: int) -> list[str]:
    lines = [f"upstream {name} {{", *(f"    server {s};" for s in servers)]
    if keepalive:
        lines.append(f"    keepalive {keepalive};")
    return [*lines, "}"]


def front_conf_render(front: Front) -> str:
    """The whole nginx.conf for `front`."""
    main = [
        "# Rendered by backend.config.front; change the renderer, not this file.",
        *(f"# {line}" for line in front.extra_comment),
        f"worker_processes {front.worker_processes};",
        # A phone in a live room holds two connections here (to the phone, to daphne):
        # 16,384 a worker carries a room of thousands (bench_room.py).
        "worker_rlimit_nofile 40000;",
        "error_log stderr warn;",
    ]
    temps: list[str] = []
    if front.prefix:
        prefix = Path(front.prefix)
        main.append(f"pid {prefix / 'nginx.pid'};")
        temps = [
            f"{kind}_temp_path {prefix / 'temp' / kind};"
            for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
        ]
    http = [
        "include /etc/nginx/mime.types;",
        "default_type application/octet-stream;",
        f"access_log {front.access_log};",
        "sendfile on;",
        "tcp_nodelay on;",
        "keepalive_timeout 65;",
        *temps,
        "map $http_upgrade $connection_upgrade {",
        "    default upgrade;",
        "    '' close;",
        "}",
        *_upstream("http_app", front.http, keepalive=64),
        *_upstream("ws_app", front.ws, keepalive=0),
        *_server(front),
    ]
    lines = [*main, "events {", "    worker_connections 16384;", "}"]
    lines += ["http {", *(f"    {line}" for line in http), "}"]
    return "\n".join(lines) + "\n"


COMPOSE = Front(
    listen="80",
    http=["web:8000"],
    ws=["ws:8001"],
    static_root="/app/var/static",
    media_root="/app/var/media",
    worker_processes="auto",
    access_log="/dev/stdout",
    extra_comment=["docker/compose.yaml: nginx in front of web (gunicorn) and ws (daphne)."],
)


def front_write(front: Front, *, path: Path) -> Path:
    """Write the conf (and the prefix's temp folder) and return the conf's path."""
    if front.prefix:
        (Path(front.prefix) / "temp").mkdir(parents=True, exist_ok=True)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(front_conf_render(front))
    return path


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--compose", action="store_true", help="the docker compose front")
    parser.add_argument("--out", type=Path, help="write here (default: stdout)")
    parser.add_argument("--listen", default="127.0.0.1:8000")
    parser.add_argument("--http", action="append", default=[], help="an HTTP worker address")
    parser.add_argument("--ws", action="append", default=[], help="a daphne address")
    parser.add_argument("--static-root", default="var/static")
    parser.add_argument("--media-root", default="var/media")
    parser.add_argument("--prefix", help="folder for the pid and temp files")
    args = parser.parse_args(argv)
    front = COMPOSE
    if not args.compose:
        front = Front(
            listen=args.listen,
            http=args.http or ["127.0.0.1:8001"],
            ws=args.ws or ["127.0.0.1:8002"],
            static_root=str(Path(args.static_root).resolve()),
            media_root=str(Path(args.media_root).resolve()),
            prefix=str(Path(args.prefix).resolve()) if args.prefix else None,
        )
    if args.out:
        front_write(front, path=args.out)
    else:
        print(front_conf_render(front), end="")  # noqa: T201


if __name__ == "__main__":
    main()
