"""Render a complete nginx.conf (RTMP ingest, relay target, HLS over HTTP, stat page).

Layout: the ingest application (``live``) has no HLS and no recording. Its ``on_publish``
answer redirects a valid key to ``rtmp://…/show/<public id>`` and ``notify_relay_redirect``
renames the local stream too, so the key never reaches a path, a recording or the stat page.
The ``show`` application accepts publishers from this host only and carries the ladder
(``exec_push``), the recording and ``on_record_done``. The RTMP access log is off and the
error log stays at ``notice``: nginx-rtmp names streams in both at lower levels.
"""

from __future__ import annotations

import grp
import pwd
import re
from collections.abc import Sequence
from pathlib import Path

from streaming.ladder import ladder_args
from streaming.settings import MediaSettings

_BARE_TOKEN = re.compile(r"^[A-Za-z0-9_./:%$=+,@-]+$")

MIME_TYPES = {
    "application/vnd.apple.mpegurl": "m3u8",
    "video/mp2t": "ts",
    "video/mp4": "mp4 m4s",
    "image/jpeg": "jpg",
    "text/xml": "xml",
}


def nginx_token(value: str) -> str:
    """Quote one argument for nginx's config parser when it is not a plain word."""
    if _BARE_TOKEN.match(value):
        return value
    escaped = value.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"'


def _directive(name: str, args: Sequence[str]) -> str:
    return " ".join([name, *(nginx_token(a) for a in args)]) + ";"


def _main_block(*, settings: MediaSettings, module_path: Path) -> list[str]:
    prefix = Path(settings.prefix)
    lines = [
        "# Rendered by streaming.nginx_conf; edit the settings, not this file.",
        _directive("load_module", [str(module_path)]),
        "daemon off;",
        "master_process on;",
        "worker_processes 1;",
        _directive("pid", [str(prefix / "nginx.pid")]),
        _directive("error_log", [str(prefix / "logs" / "error.log"), "notice"]),
        "env PATH;",
        "events { worker_connections 512; }",
    ]
    if settings.worker_user:
        # nginx defaults the group to the user's name; Debian's nobody is in nogroup.
        group = grp.getgrgid(pwd.getpwnam(settings.worker_user).pw_gid).gr_name
        lines.insert(2, _directive("user", [settings.worker_user, group]))
    return lines


def _ingest_app(settings: MediaSettings) -> list[str]:
    return [
        f"application {settings.ingest_app} {{",
        "    live on;",
        "    deny play all;",
        f"    drop_idle_publisher {settings.drop_idle_publisher_s}s;",
        "    notify_relay_redirect on;",
        "    " + _directive("on_publish", [settings.callback_url(event="on_publish")]),
        "    " + _directive("on_publish_done", [settings.callback_url(event="on_publish_done")]),
        "}",
    ]


def _show_media(settings: MediaSettings) -> list[str]:
    if settings.ladder.enabled:
        return [
            "exec_kill_signal term;",
            _directive("exec_push", ladder_args(settings=settings)),
        ]
    return [
        "hls on;",
        _directive("hls_path", [str(settings.hls_dir)]),
        "hls_nested on;",
        f"hls_fragment {settings.hls_fragment_s}s;",
        f"hls_playlist_length {settings.hls_playlist_s}s;",
    ]


def _show_record(settings: MediaSettings) -> list[str]:
    if not settings.record:
        return ["record off;"]
    return [
        "record all;",
        _directive("record_path", [str(settings.record_dir)]),
        "record_unique on;",
        _directive("on_record_done", [settings.callback_url(event="on_record_done")]),
    ]


def _show_app(settings: MediaSettings) -> list[str]:
    host = settings.internal_host
    body = [
        "live on;",
        # Subscribers (the ladder, restreams) start on a keyframe with audio after video,
        # so the passed-through and the scaled renditions begin at the same instant.
        "wait_key on;",
        "wait_video on;",
        f"allow publish {host};",
        "deny publish all;",
        f"allow play {host};",
        "deny play all;",
        *_show_media(settings),
        *_show_record(settings),
    ]
    return [f"application {settings.show_app} {{", *("    " + b for b in body), "}"]


def _rtmp_block(settings: MediaSettings) -> list[str]:
    apps = [*_ingest_app(settings), *_show_app(settings)]
    return [
        "rtmp {",
        "    access_log off;",
        "    server {",
        f"        listen {settings.host}:{settings.rtmp_port};",
        "        chunk_size 4096;",
        "        notify_method post;",
        *("        " + a for a in apps),
        "    }",
        "}",
    ]


def _hls_open(hls_alias: str) -> list[str]:
    return [
        "location /hls/ {",
        "    " + _directive("alias", [hls_alias]),
        "    add_header Access-Control-Allow-Origin * always;",
        "    location ~ \\.m3u8$ {",
        '        add_header Cache-Control "no-cache, no-store" always;',
        "        add_header Access-Control-Allow-Origin * always;",
        "    }",
        "}",
    ]


def _hls_signed(secret: str, hls_alias: str) -> list[str]:
    """``/hls/<sig>/<expires>/<public id>/<file>``; everything else under /hls/ is refused."""
    pattern = (
        "^/hls/(?<hls_sig>[A-Za-z0-9_-]+)/(?<hls_exp>[0-9]+)"
        "/(?<hls_id>[A-Za-z0-9][A-Za-z0-9_-]*)/(?<hls_file>[A-Za-z0-9_./-]+)$"
    )
    return [
        "location /hls/ { return 403; }",
        f'location ~ "{pattern}" {{',
        "    secure_link $hls_sig,$hls_exp;",
        "    " + _directive("secure_link_md5", [f"$hls_exp/$hls_id {secret}"]),
        '    if ($secure_link = "") { return 403; }',
        '    if ($secure_link = "0") { return 410; }',
        "    " + _directive("alias", [hls_alias + "$hls_id/$hls_file"]),
        "    add_header Access-Control-Allow-Origin * always;",
        "    add_header Cache-Control $hls_cache always;",
        "}",
    ]


def _hls_locations(settings: MediaSettings, hls_alias: str) -> list[str]:
    if settings.hls_secret is None:
        return _hls_open(hls_alias)
    return _hls_signed(settings.hls_secret, hls_alias)


def _http_block(settings: MediaSettings) -> list[str]:
    temp = Path(settings.prefix) / "temp"
    temps = [
        _directive(f"{kind}_temp_path", [str(temp / kind)])
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    ]
    types = [f"        {mime} {exts};" for mime, exts in MIME_TYPES.items()]
    # Playlists change every segment; segments never do.
    cache_map = [
        "    map $uri $hls_cache {",
        '        ~\\.m3u8$ "no-cache, no-store";',
        '        default "";',
        "    }",
    ]
    hls_alias = str(settings.hls_dir).rstrip("/") + "/"
    return [
        "http {",
        "    access_log off;",
        *("    " + t for t in temps),
        "    types {",
        *types,
        "    }",
        "    default_type application/octet-stream;",
        *cache_map,
        "    server {",
        f"        listen {settings.host}:{settings.http_port};",
        *("        " + h for h in _hls_locations(settings, hls_alias)),
        "        location = /stat {",
        "            rtmp_stat all;",
        f"            allow {settings.internal_host};",
        "            deny all;",
        "        }",
        "        location /control/ {",
        "            rtmp_control all;",
        f"            allow {settings.internal_host};",
        "            deny all;",
        "        }",
        "    }",
        "}",
    ]


def nginx_conf_render(*, settings: MediaSettings, module_path: Path) -> str:
    """The full nginx.conf text for ``settings`` loading the RTMP module at ``module_path``."""
    lines = [
        *_main_block(settings=settings, module_path=module_path),
        *_rtmp_block(settings),
        *_http_block(settings),
    ]
    return "\n".join(lines) + "\n"
