"""Start and stop an nginx with the RTMP module, from a rendered config in its own prefix.

The RTMP module is looked up in this order: ``$STREAMING_RTMP_MODULE``; the
``--modules-path`` nginx was built with (``nginx -V``); ``/usr/lib/nginx/modules``;
``/usr/share/nginx/modules`` (where Debian's ``modules-available/mod-rtmp.conf`` points).
"""

from __future__ import annotations

import logging
import os
import pwd
import re
import shutil
import signal
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path
from typing import NoReturn

from streaming.errors import NginxError
from streaming.nginx_conf import nginx_conf_render
from streaming.settings import MediaSettings

log = logging.getLogger(__name__)

MODULE_FILE = "ngx_rtmp_module.so"
MODULE_DIRS = (Path("/usr/lib/nginx/modules"), Path("/usr/share/nginx/modules"))


def nginx_binary() -> str:
    found = os.environ.get("STREAMING_NGINX") or shutil.which("nginx") or "/usr/sbin/nginx"
    if not Path(found).exists():
        raise NginxError("nginx not found: install nginx-light (or set STREAMING_NGINX)")
    return found


def rtmp_module_path() -> Path:
    """Where ``ngx_rtmp_module.so`` lives on this machine."""
    override = os.environ.get("STREAMING_RTMP_MODULE")
    if override:
        return Path(override)
    built = subprocess.run(
        [nginx_binary(), "-V"], capture_output=True, text=True, timeout=10, check=False
    ).stderr
    match = re.search(r"--modules-path=(\S+)", built)
    dirs = ([Path(match.group(1))] if match else []) + list(MODULE_DIRS)
    for folder in dirs:
        if (folder / MODULE_FILE).exists():
            return folder / MODULE_FILE
    raise NginxError(f"{MODULE_FILE} not found in {dirs}: install libnginx-mod-rtmp")


def _check_traversable(path: Path) -> None:
    """Workers running as another user must be able to walk down to every media folder."""
    for parent in path.resolve().parents:
        if not parent.stat().st_mode & 0o001:
            raise NginxError(f"{parent} is not traversable by nginx's worker user (chmod o+x)")


def folders_prepare(*, settings: MediaSettings) -> None:
    """Create the prefix, temp, HLS and record folders, owned by the worker user."""
    prefix = Path(settings.prefix)
    for sub in ("logs", "temp", "conf"):
        (prefix / sub).mkdir(parents=True, exist_ok=True)
    media = [Path(settings.hls_dir), Path(settings.record_dir)]
    for folder in media:
        folder.mkdir(parents=True, exist_ok=True)
    if settings.worker_user is None:
        return
    account = pwd.getpwnam(settings.worker_user)
    for folder in [*media, prefix / "temp"]:
        _check_traversable(folder)
        os.chown(folder, account.pw_uid, account.pw_gid)


def _port_open(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=0.2):
            return True
    except OSError:
        return False


def _log_tail(settings: MediaSettings) -> str:
    path = Path(settings.prefix) / "logs" / "error.log"
    return path.read_text(errors="replace")[-2000:] if path.exists() else ""


@dataclass
class NginxProcess:
    """A running nginx; ``stop()`` is safe to call twice."""

    settings: MediaSettings
    conf_path: Path
    popen: subprocess.Popen[bytes]

    @property
    def running(self) -> bool:
        return self.popen.poll() is None

    def stop(self, *, timeout_s: float = 5.0) -> None:
        if self.running:
            self.popen.send_signal(signal.SIGTERM)
            try:
                self.popen.wait(timeout=timeout_s)
            except subprocess.TimeoutExpired:
                log.warning("nginx did not stop in %.1f s; killing it", timeout_s)
        _kill_group(self.popen.pid)
        self.popen.wait(timeout=timeout_s)
        processes_kill_using(path=Path(self.settings.hls_dir))

    def error_log(self) -> str:
        return _log_tail(self.settings)


def _kill_group(pgid: int) -> None:
    try:
        os.killpg(pgid, signal.SIGKILL)
    except ProcessLookupError:
        pass


def processes_kill_using(*, path: Path) -> list[int]:
    """Kill leftover processes whose command line names ``path`` (a ladder nginx exec'd).

    nginx execs the ladder per stream; if nginx dies hard, its children may outlive it.
    The media folder is unique to one nginx, so this only reaches our own children.
    """
    needle = str(path).encode()
    killed: list[int] = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes()
        except OSError:
            continue
        if needle in cmdline:
            try:
                os.kill(int(entry.name), signal.SIGKILL)
                killed.append(int(entry.name))
            except ProcessLookupError:
                pass
    return killed


def _wait_ready(*, proc: NginxProcess, timeout_s: float) -> None:
    settings = proc.settings
    deadline = time.monotonic() + timeout_s
    host = settings.internal_host
    while time.monotonic() < deadline:
        if not proc.running:
            raise NginxError(f"nginx exited with {proc.popen.returncode}: {proc.error_log()}")
        if _port_open(host, settings.rtmp_port) and _port_open(host, settings.http_port):
            return
        time.sleep(0.05)
    proc.stop()
    raise NginxError(f"nginx not listening after {timeout_s:g} s: {proc.error_log()}")


def nginx_config_write(*, settings: MediaSettings) -> Path:
    """Write nginx.conf readable by its owner only: it holds the callback secret. nginx's
    master reads it as that owner; the workers (another user) never open it."""
    folders_prepare(settings=settings)
    conf_path = Path(settings.prefix) / "conf" / "nginx.conf"
    text = nginx_conf_render(settings=settings, module_path=rtmp_module_path())
    fd = os.open(conf_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as conf:
        os.fchmod(conf.fileno(), 0o600)  # an earlier render may have been world-readable
        conf.write(text)
    return conf_path


def _nginx_cmd(settings: MediaSettings, conf_path: Path, *extra: str) -> list[str]:
    prefix = str(settings.prefix).rstrip("/") + "/"
    error_log = str(Path(settings.prefix) / "logs" / "error.log")
    return [nginx_binary(), "-p", prefix, "-c", str(conf_path), "-e", error_log, *extra]


def _config_checked(*, settings: MediaSettings) -> Path:
    """Render the config, prepare the folders, and have nginx test it."""
    conf_path = nginx_config_write(settings=settings)
    check = subprocess.run(
        _nginx_cmd(settings, conf_path, "-t", "-q"),
        capture_output=True,
        text=True,
        timeout=15,
        check=False,
    )
    if check.returncode != 0:
        raise NginxError(f"nginx -t failed: {check.stderr.strip()[-2000:]}")
    return conf_path


def nginx_start(*, settings: MediaSettings, ready_timeout_s: float = 10.0) -> NginxProcess:
    """Render the config, test it, start nginx in its own process group, wait for the ports."""
    conf_path = _config_checked(settings=settings)
    popen = subprocess.Popen(
        _nginx_cmd(settings, conf_path),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    proc = NginxProcess(settings=settings, conf_path=conf_path, popen=popen)
    _wait_ready(proc=proc, timeout_s=ready_timeout_s)
    return proc


def nginx_exec(*, settings: MediaSettings) -> NoReturn:
    """Render and test the config, then become nginx (foreground: the config has daemon off)."""
    conf_path = _config_checked(settings=settings)
    command = _nginx_cmd(settings, conf_path)
    os.execv(command[0], command)  # noqa: S606 - an argument list, no shell
