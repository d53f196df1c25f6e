"""Real processes for tests: start on a free port, wait until ready, always stop.

Each process runs in its own process group so that stopping it also stops its
children (Celery's pool, for instance), and nothing is left behind when a test fails.

Several pytest processes (xdist workers, or two people's runs) share this machine, so a port
is never picked here and bound later by the child, when another process may have taken it in
between: servers that can bind port 0 do so and announce their URL; daphne is handed a socket
already listening.
"""

from __future__ import annotations

import contextlib
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
BIN = Path(PYTHON).parent


def free_port() -> int:
    """A port free right now. Another process may take it before the caller binds it: only
    for servers that cannot bind port 0 themselves nor take a listening socket (nginx)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextlib.contextmanager
def refused_port() -> Iterator[int]:
    """A loopback port that refuses connections while this lasts: bound but never listening,
    so no other process can start a server on it meanwhile."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        yield int(sock.getsockname()[1])


def listening_socket() -> socket.socket:
    """A loopback socket bound and listening, to hand to a server process: the port is ours
    from now on, also while that server restarts."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(128)
    return sock


def children(pid: int) -> list[int]:
    """The pids of the processes whose parent is `pid`."""
    parent = str(pid)
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            if stat.read_text().rsplit(")", 1)[1].split()[1] == parent:
                found.append(int(stat.parent.name))
        except (OSError, IndexError):
            continue
    return found


def http_ready(url: str) -> Callable[[], bool]:
    def check() -> bool:
        try:
            return requests.get(url, timeout=1).status_code < 500
        except requests.RequestException:
            return False

    return check


class Process:
    """One child process with its output in a log file (shown when it fails to start)."""

    def __init__(
        self,
        name: str,
        cmd: list[str],
        env: dict[str, str],
        sockets: tuple[socket.socket, ...] = (),
    ) -> None:
        self.name = name
        self.cmd = cmd
        self.env = env
        self.sockets = sockets  # inherited by every start; kept open here across restarts
        self.log_path = Path(tempfile.mkstemp(prefix=f"{name}-", suffix=".log")[1])
        self.proc: subprocess.Popen[bytes] | None = None
        self.ready: Callable[[], bool] = lambda: True

    def start(self, ready: Callable[[], bool], timeout: float = 60) -> Process:
        self.ready = ready
        log = self.log_path.open("ab")
        self.proc = subprocess.Popen(
            self.cmd,
            cwd=ROOT,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            pass_fds=[sock.fileno() for sock in self.sockets],
        )
        try:
            self._wait_ready(timeout)
        except BaseException:
            self.stop()  # not ready, or Ctrl-C while waiting: nothing may be left running
            raise
        return self

    def _wait_ready(self, timeout: float) -> None:
        assert self.proc is not None
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"{self.name} exited early:\n{self.log()}")
            if self.ready():
                return
            time.sleep(0.2)
        raise RuntimeError(f"{self.name} not ready after {timeout}s:\n{self.log()}")

    def kill(self) -> None:
        """SIGKILL the whole group at once, as a crash or OOM would."""
        assert self.proc is not None
        os.killpg(os.getpgid(self.proc.pid), signal.SIGKILL)
        self.proc.wait(timeout=10)

    def restart(self, timeout: float = 60) -> Process:
        self.stop()
        return self.start(self.ready, timeout=timeout)

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")[-4000:]

    def announced_url(self) -> str | None:
        """The URL from the process's `… listening on http://host:port` line, once printed."""
        match = re.search(r"listening on (http://\S+)", self.log_path.read_text(errors="replace"))
        return match.group(1) if match else None

    def stop(self, timeout: float = 15) -> None:
        if self.proc is None or self.proc.poll() is not None:
            return
        pgid = os.getpgid(self.proc.pid)
        os.killpg(pgid, signal.SIGTERM)
        try:
            self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(pgid, signal.SIGKILL)
            self.proc.wait(timeout=5)
        # Children that outlived the parent (a pool process) go with the group.
        try:
            os.killpg(pgid, signal.SIGKILL)
        except ProcessLookupError:
            pass


def base_env(**overrides: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST_")}
    env.update({"DJANGO_SETTINGS_MODULE": "backend.config.settings", "PYTHONUNBUFFERED": "1"})
    env.update(overrides)
    return env


def _start_announcing(proc: Process, timeout: float) -> tuple[Process, str]:
    """Start a server that binds port 0 and prints its URL; ready when that URL answers."""

    def ready() -> bool:
        url = proc.announced_url()
        return url is not None and http_ready(f"{url}/healthz")()

    proc.start(ready, timeout=timeout)
    url = proc.announced_url()
    assert url is not None
    return proc, url


def start_sms_sandbox(env: dict[str, str]) -> tuple[Process, str]:
    cmd = [PYTHON, "-m", "sandboxes.sms", "--port", "0"]
    return _start_announcing(Process("sms-sandbox", cmd, env), timeout=20)


def start_celery_worker(env: dict[str, str], ping: Callable[[], bool]) -> Process:
    cmd = [
        str(BIN / "celery"),
        "-A",
        "worker",
        "worker",
        "-Q",
        "default,sync,media",
        "-P",
        "threads",
        "-c",
        "4",
        "--without-gossip",
        "--without-mingle",
        "--without-heartbeat",
        "-n",
        f"test-{os.getpid()}@%h",
        "-l",
        "INFO",
    ]
    return Process("celery-worker", cmd, env).start(ping, timeout=60)


def start_daphne(env: dict[str, str], listener: socket.socket | None = None) -> tuple[Process, str]:
    """daphne serving on `listener` (a new one unless given); a restart serves the same port."""
    listener = listener or listening_socket()
    fd = listener.fileno()
    cmd = [str(BIN / "daphne"), "--fd", str(fd), "backend.config.asgi:application"]
    url = f"http://127.0.0.1:{listener.getsockname()[1]}"
    proc = Process("daphne", cmd, env, sockets=(listener,))
    proc.start(http_ready(f"{url}/healthz"), timeout=60)
    return proc, url


def start_payment_sandbox(env: dict[str, str], *args: str) -> tuple[Process, str]:
    """The payment sandbox; merchant `qinshui-demo` / `qinshui-demo-secret` unless args add
    others (`--merchant ID:SECRET`) or change the notify schedule (`--notify-backoff-ms`)."""
    cmd = [PYTHON, "-m", "sandboxes.payment", "--port", "0", *args]
    return _start_announcing(Process("payment-sandbox", cmd, env), timeout=20)


# The production topology at test size: nginx in front of gunicorn (pages, API) and daphne
# (/ws/), as `make run`, compose and the benchmark run it (backend/config/front.py).


def start_gunicorn(
    env: dict[str, str],
    port: int | None = None,
    *,
    workers: int = 2,
    worker_class: str = "gthread",
    threads: int = 8,
    app: str = "backend.config.wsgi:application",
) -> tuple[Process, str]:
    """gunicorn with the platform's settings (backend/config/gunicorn.py); workers 0 is its
    default for this machine."""
    port = port or free_port()
    env = {
        **env,
        "HTTP_BIND": f"127.0.0.1:{port}",
        "WEB_WORKERS": str(workers),
        "WEB_WORKER_CLASS": worker_class,
        "WEB_THREADS": str(threads),
    }
    cmd = [
        str(BIN / "gunicorn"),
        "-c",
        "python:backend.config.gunicorn",
        app,
    ]
    url = f"http://127.0.0.1:{port}"
    proc = Process("gunicorn", cmd, env).start(http_ready(f"{url}/healthz"), timeout=60)
    return proc, url


def start_front(
    env: dict[str, str], *, http: list[str], ws: list[str], port: int | None = None
) -> tuple[Process, str]:
    """nginx on a free port in front of the given HTTP and websocket servers."""
    from backend.config.front import Front, front_write

    port = port or free_port()
    prefix = Path(tempfile.mkdtemp(prefix="front-"))
    prefix.chmod(0o755)  # nginx's workers (nobody, when started as root) use temp/ in it
    settings_env = {**os.environ, **env}
    front = Front(
        listen=f"127.0.0.1:{port}",
        http=http,
        ws=ws,
        static_root=settings_env.get("STATIC_ROOT", str(ROOT / "var" / "static")),
        media_root=settings_env.get("MEDIA_ROOT", str(ROOT / "var" / "media")),
        prefix=str(prefix),
    )
    conf = front_write(front, path=prefix / "nginx.conf")
    cmd = ["nginx", "-p", str(prefix), "-c", str(conf), "-g", "daemon off;"]
    url = f"http://127.0.0.1:{port}"
    proc = Process("front", cmd, env).start(http_ready(f"{url}/healthz"), timeout=30)
    return proc, url


class Web:
    """The web tier: front (nginx) → http (gunicorn) and ws (daphne), one URL."""

    def __init__(self, env: dict[str, str], *, port: int | None = None, workers: int = 2) -> None:
        self.http, http_url = start_gunicorn(env, workers=workers)
        self.ws, ws_url = start_daphne(env)
        self.front, self.url = start_front(
            env,
            http=[http_url.removeprefix("http://")],
            ws=[ws_url.removeprefix("http://")],
            port=port,
        )

    def stop(self) -> None:
        for proc in (self.front, self.http, self.ws):
            proc.stop()
