"""Real processes for tests: start on a free port, wait until ready, always stop.

Each process runs in its own process group so that stopping it also stops its
children (Celery's pool, for instance), and nothing is left behind when a test fails.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
BIN = Path(PYTHON).parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def http_ready(url: str) -> Callable[[], bool]:
    def check() -> bool:
        try:
            return requests.get(url, timeout=1).status_code < 500
        except requests.RequestException:
            return False

    return check


class Process:
    """One child process with its output in a log file (shown when it fails to start)."""

    def __init__(self, name: str, cmd: list[str], env: dict[str, str]) -> None:
        self.name = name
        self.cmd = cmd
        self.env = env
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
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"{self.name} exited early:\n{self.log()}")
            if ready():
                return self
            time.sleep(0.2)
        self.stop()
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


def start_sms_sandbox(env: dict[str, str]) -> tuple[Process, str]:
    port = free_port()
    proc = Process("sms-sandbox", [PYTHON, "-m", "sandboxes.sms", "--port", str(port)], env)
    url = f"http://127.0.0.1:{port}"
    proc.start(http_ready(f"{url}/healthz"), timeout=20)
    return proc, url


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


def start_daphne(env: dict[str, str], port: int | None = None) -> tuple[Process, str]:
    port = port or free_port()
    cmd = [
        str(BIN / "daphne"),
        "-b",
        "127.0.0.1",
        "-p",
        str(port),
        "backend.config.asgi:application",
    ]
    url = f"http://127.0.0.1:{port}"
    proc = Process("daphne", cmd, env).start(http_ready(f"{url}/healthz"), timeout=60)
    return proc, url


def start_payment_sandbox(env: dict[str, str], *args: str) -> tuple[Process, str]:
    """The payment sandbox; merchant `qinshui-demo` / `qinshui-demo-secret` unless args add
    others (`--merchant ID:SECRET`) or change the notify schedule (`--notify-backoff-ms`)."""
    port = free_port()
    cmd = [PYTHON, "-m", "sandboxes.payment", "--port", str(port), *args]
    url = f"http://127.0.0.1:{port}"
    proc = Process("payment-sandbox", cmd, env).start(http_ready(f"{url}/healthz"), timeout=20)
    return proc, url
