"""``python -m streaming serve --keys FILE``: the stand-alone plane, run as a real process."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
import requests

from streaming.errors import MediaError
from streaming.serve import keys_load
from streaming.testpattern import pattern_push_start
from tests.harness import ROOT, free_port
from tests.streaming.plane import key_leaks, stream_key, wait_for


def test_the_keys_file_maps_keys_to_public_ids(tmp_path: Path) -> None:
    path = tmp_path / "keys.txt"
    path.write_text("# public id, key\ns-1 sk-one\n\ns-2   sk-two  # trailing comment\n")
    assert keys_load(path=path) == {"sk-one": "s-1", "sk-two": "s-2"}
    path.write_text("s-1 sk-one\ns-2 sk-one\n")
    with pytest.raises(MediaError, match="listed twice"):
        keys_load(path=path)
    path.write_text("../x sk-one\n")
    with pytest.raises(ValueError):
        keys_load(path=path)


@pytest.mark.media
def test_serve_takes_a_push_live_and_stops_cleanly() -> None:
    root = Path(tempfile.mkdtemp(prefix="streaming-serve-"))
    os.chmod(root, 0o755)
    key = stream_key()
    (root / "keys.txt").write_text(f"demo-1 {key}\n")
    rtmp, http = free_port(), free_port()
    cmd = [sys.executable, "-m", "streaming", "serve", "--keys", str(root / "keys.txt")]
    cmd += ["--dir", str(root / "plane"), "--rtmp-port", str(rtmp), "--http-port", str(http)]
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    pusher = None
    try:
        wait_for(lambda: _answers(f"http://127.0.0.1:{http}/stat"), timeout_s=15, what="serve")
        pusher = pattern_push_start(url=f"rtmp://127.0.0.1:{rtmp}/live/{key}", seconds=6)
        master = root / "plane" / "hls" / "demo-1" / "master.m3u8"
        wait_for(master.exists, timeout_s=15, what="master playlist")
        assert pusher.wait(timeout=20) == 0
        proc.send_signal(signal.SIGTERM)
        output, _ = proc.communicate(timeout=20)
        assert proc.returncode == 0
        assert b"callback: PublishRequest(app='live', addr='127.0.0.1'" in output
        assert key.encode() not in output
        assert key_leaks(root=root / "plane", key=key) == []
    finally:
        for popen in (proc, pusher):
            if popen is not None and popen.poll() is None:
                popen.kill()
                popen.wait(timeout=10)
        shutil.rmtree(root, ignore_errors=True)


def _answers(url: str) -> bool:
    try:
        return requests.get(url, timeout=1).status_code == 200
    except requests.RequestException:
        return False


@pytest.mark.media
def test_nginx_command_becomes_nginx_in_the_foreground() -> None:
    """`python -m streaming nginx` (the container command): the process *is* nginx, serving
    the stat page and HLS; SIGQUIT stops it and its workers."""
    root = Path(tempfile.mkdtemp(prefix="streaming-nginx-"))
    os.chmod(root, 0o755)
    rtmp, http = free_port(), free_port()
    cmd = [sys.executable, "-m", "streaming", "nginx", "--dir", str(root / "plane")]
    cmd += ["--rtmp-port", str(rtmp), "--http-port", str(http), "--secret", "s3cret"]
    cmd += ["--callback-url", "http://127.0.0.1:9/api/live/rtmp"]
    proc = subprocess.Popen(cmd, cwd=ROOT, start_new_session=True)
    try:
        wait_for(lambda: _answers(f"http://127.0.0.1:{http}/stat"), timeout_s=15, what="nginx")
        assert Path(f"/proc/{proc.pid}/exe").resolve().name == "nginx"
        conf = (root / "plane" / "nginx" / "conf" / "nginx.conf").read_text()
        assert f"listen 0.0.0.0:{rtmp}" in conf or f"listen 127.0.0.1:{rtmp}" in conf
        proc.send_signal(signal.SIGQUIT)
        assert proc.wait(timeout=20) == 0
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=10)
        shutil.rmtree(root, ignore_errors=True)
