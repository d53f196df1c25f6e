"""The rendered nginx.conf: what it must say, and that real nginx accepts it."""

from __future__ import annotations

import stat
import subprocess
from dataclasses import replace
from pathlib import Path

import pytest

from streaming.nginx_conf import nginx_conf_render, nginx_token
from streaming.nginx_proc import (
    nginx_binary,
    nginx_config_write,
    processes_kill_using,
    rtmp_module_path,
)
from streaming.settings import Ladder, MediaSettings
from tests.streaming.plane import running_plane

SETTINGS = MediaSettings(
    prefix=Path("/srv/media/nginx"),
    hls_dir=Path("/srv/media/hls"),
    record_dir=Path("/srv/media/record"),
    rtmp_port=1935,
    http_port=8088,
    callback_base_url="http://127.0.0.1:8000/api/live/rtmp",
    callback_secret="s3cret",
    worker_user=None,
)
MODULE = Path("/usr/lib/nginx/modules/ngx_rtmp_module.so")


def _lines(settings: MediaSettings = SETTINGS) -> list[str]:
    return [
        line.strip()
        for line in nginx_conf_render(settings=settings, module_path=MODULE).splitlines()
    ]


def test_the_ingest_relays_and_the_logs_name_no_stream() -> None:
    lines = _lines()
    assert lines[1] == f"load_module {MODULE};"
    assert "notify_relay_redirect on;" in lines
    assert "access_log off;" in lines
    assert "error_log /srv/media/nginx/logs/error.log notice;" in lines
    assert 'on_publish "http://127.0.0.1:8000/api/live/rtmp/on_publish?token=s3cret";' in lines
    assert (
        'on_record_done "http://127.0.0.1:8000/api/live/rtmp/on_record_done?token=s3cret";' in lines
    )
    assert ["allow publish 127.0.0.1;", "deny publish all;"] == [
        line for line in lines if line.endswith("publish 127.0.0.1;") or line == "deny publish all;"
    ]


def test_the_show_app_runs_the_ladder_and_records() -> None:
    lines = _lines()
    exec_push = next(line for line in lines if line.startswith("exec_push "))
    assert "-i rtmp://127.0.0.1:1935/show/$name" in exec_push
    assert "-force_key_frames:v:1 source" in exec_push
    assert '-var_stream_map "v:0,a:0,name:source v:1,a:1,name:480p"' in exec_push
    assert exec_push.endswith("/srv/media/hls/$name/%v/index.m3u8;")
    assert ["record all;", "record_path /srv/media/record;", "record_unique on;"] == [
        line for line in lines if line.startswith("record")
    ]
    assert "hls on;" not in lines


def test_without_ladder_nor_recording_nginx_writes_hls_itself() -> None:
    lines = _lines(replace(SETTINGS, ladder=Ladder(enabled=False), record=False))
    assert not any(line.startswith("exec_push") for line in lines)
    assert ["hls on;", "hls_path /srv/media/hls;", "hls_nested on;", "hls_fragment 2s;"] == [
        line
        for line in lines
        if line.startswith(("hls on", "hls_path", "hls_nested", "hls_fragment "))
    ]
    assert "record off;" in lines


def test_playlists_are_served_uncached_with_their_content_types() -> None:
    lines = _lines()
    assert "application/vnd.apple.mpegurl m3u8;" in lines
    assert "video/mp2t ts;" in lines
    assert 'add_header Cache-Control "no-cache, no-store" always;' in lines


def test_tokens_with_spaces_or_quotes_are_quoted() -> None:
    assert nginx_token("plain/path-1.ts") == "plain/path-1.ts"
    assert nginx_token('a "b" c') == '"a \\"b\\" c"'


def test_the_written_config_holding_the_callback_secret_is_for_its_owner_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("STREAMING_RTMP_MODULE", str(MODULE))
    settings = replace(
        SETTINGS, prefix=tmp_path / "nginx", hls_dir=tmp_path / "hls", record_dir=tmp_path / "rec"
    )
    earlier = tmp_path / "nginx" / "conf" / "nginx.conf"
    earlier.parent.mkdir(parents=True)
    earlier.write_text("# an older render, world-readable\n")
    earlier.chmod(0o644)
    conf = nginx_config_write(settings=settings)
    assert conf == earlier
    assert stat.S_IMODE(conf.stat().st_mode) == 0o600
    assert "/on_publish?token=s3cret" in conf.read_text()


@pytest.mark.media
def test_real_nginx_accepts_the_rendered_config(tmp_path: Path) -> None:
    settings = replace(
        SETTINGS,
        prefix=tmp_path / "nginx",
        hls_dir=tmp_path / "hls",
        record_dir=tmp_path / "rec",
        worker_user=None,
    )
    conf = nginx_config_write(settings=settings)
    prefix = f"{settings.prefix}/"
    check = subprocess.run(
        [nginx_binary(), "-t", "-p", prefix, "-c", str(conf), "-e", str(tmp_path / "e.log")],
        capture_output=True,
        text=True,
        timeout=15,
    )
    assert check.returncode == 0, check.stderr
    assert rtmp_module_path().name == "ngx_rtmp_module.so"


@pytest.mark.media
def test_stopping_leaves_no_process_behind() -> None:
    with running_plane(keys={}) as plane:
        pid = plane.nginx.popen.pid
    assert plane.nginx.running is False
    assert not Path(f"/proc/{pid}").exists()
    assert processes_kill_using(path=plane.root) == []
