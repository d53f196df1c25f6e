"""Sandboxes as real subprocesses on free loopback ports, killed at the end of the session."""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests

from shop_connectors.jd import JdClient, JdEndpoints, JdRequestor
from shop_connectors.models import AppCredentials
from shop_connectors.pinduoduo import PddClient, PddEndpoints, PddRequestor
from shop_connectors.taobao import TaobaoClient, TaobaoEndpoints, TaobaoRequestor
from shop_connectors.transport import RetryPolicy, Transport

ROOT = Path(__file__).resolve().parents[2]
SHOP = "shop-1"
APP_KEY = "app-key-1"
APP_SECRET = "app-secret-do-not-log"


@dataclass
class Sandbox:
    platform: str
    base: str
    process: subprocess.Popen[str]

    def control(self, action: str, body: dict | None = None) -> dict:
        response = requests.post(f"{self.base}/_sandbox/{action}", json=body or {}, timeout=30)
        response.raise_for_status()
        return response.json()

    def state(self) -> dict:
        return requests.get(f"{self.base}/_sandbox/state", timeout=30).json()


def start_sandbox(platform: str) -> Sandbox:
    process = subprocess.Popen(
        [sys.executable, "-m", "shop_connectors.sandbox", platform, "--port", "0"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    line = process.stdout.readline()
    if "listening on" not in line:
        process.kill()
        raise RuntimeError(f"{platform} sandbox did not start: {line!r}")
    base = line.rsplit(" ", 1)[-1].strip()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            requests.get(f"{base}/_sandbox/health", timeout=1).raise_for_status()
            return Sandbox(platform, base, process)
        except requests.RequestException:
            time.sleep(0.05)
    process.kill()
    raise RuntimeError(f"{platform} sandbox never answered")


def stop_sandbox(sandbox: Sandbox) -> None:
    sandbox.process.terminate()
    try:
        sandbox.process.wait(timeout=5)
    except subprocess.TimeoutExpired:
        sandbox.process.kill()
        sandbox.process.wait(timeout=5)


@pytest.fixture(scope="session")
def sandboxes() -> Iterator[dict[str, Sandbox]]:
    started: dict[str, Sandbox] = {}
    try:
        for platform in ("taobao", "pinduoduo", "jd"):
            started[platform] = start_sandbox(platform)
        yield started
    finally:
        for sandbox in started.values():
            stop_sandbox(sandbox)


def prepare(sandbox: Sandbox, *, expires_in: float | None = None) -> str:
    """A clean sandbox with one app and one shop; returns an access token."""
    sandbox.control("reset")
    sandbox.control("apps", {"app_key": APP_KEY, "app_secret": APP_SECRET})
    sandbox.control("shops", {"shop_id": SHOP, "name": "沁水特产馆"})
    body = {"app_key": APP_KEY, "shop_id": SHOP}
    if expires_in is not None:
        body["expires_in"] = expires_in
    return sandbox.control("tokens", body)["access_token"]


def fast_transport(**kwargs: object) -> Transport:
    retry = RetryPolicy(max_attempts=4, backoff_base=0.01, backoff_cap=0.05)
    return Transport(timeout=(2.0, 5.0), retry=retry, **kwargs)  # type: ignore[arg-type]


def make_client(
    platform: str, base: str, token: str | None, transport: Transport | None = None
) -> TaobaoClient | PddClient | JdClient:
    app = AppCredentials(APP_KEY, APP_SECRET, redirect_uri="http://127.0.0.1:9/callback")
    transport = transport or fast_transport()
    if platform == "taobao":
        return TaobaoClient(
            TaobaoRequestor(
                app=app,
                shop_id=SHOP,
                access_token=token,
                endpoints=TaobaoEndpoints.at(base),
                transport=transport,
            )
        )
    if platform == "pinduoduo":
        return PddClient(
            PddRequestor(
                app=app,
                shop_id=SHOP,
                access_token=token,
                endpoints=PddEndpoints.at(base),
                transport=transport,
            )
        )
    return JdClient(
        JdRequestor(
            app=app,
            shop_id=SHOP,
            access_token=token,
            endpoints=JdEndpoints.at(base),
            transport=transport,
        )
    )


@pytest.fixture(params=["taobao", "pinduoduo", "jd"])
def platform(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def sandbox(sandboxes: dict[str, Sandbox], platform: str) -> Sandbox:
    return sandboxes[platform]


@pytest.fixture
def client(sandbox: Sandbox, platform: str) -> TaobaoClient | PddClient | JdClient:
    return make_client(platform, sandbox.base, prepare(sandbox))
