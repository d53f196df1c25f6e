"""Shared fixtures: the real processes of the platform, started once per session."""

from __future__ import annotations

import os
import signal
import socket
import time
from collections.abc import Iterator
from urllib.parse import quote

import pytest
import redis
import requests
from django.conf import settings
from django.test import Client

from backend.accounts.models import User
from backend.accounts.roles import Role
from tests import harness
from tests.factories.accounts import PASSWORD, UserFactory

_XDIST_CONTROLLER: list[bool] = []  # [True] in a process that hands tests to xdist workers


def _flush_retrying_deadlocks() -> None:
    """A transactional test ends with TRUNCATE of every table. This worker's Celery worker
    (session-wide) may still be running an event handler the test's commits queued, reading
    some of those tables: PostgreSQL then picks one side of the deadlock. When the flush is
    the one refused, wait for the handler's transaction to end and flush again."""
    from django.core.management.base import CommandError
    from django.db import OperationalError
    from django.test import TransactionTestCase

    original = TransactionTestCase._fixture_teardown

    def teardown(self: TransactionTestCase) -> None:
        for attempt in range(5):
            try:
                return original(self)
            except (CommandError, OperationalError) as error:
                cause = error.__cause__ or error
                if "deadlock detected" not in str(cause) or attempt == 4:
                    raise
                time.sleep(0.5 * (attempt + 1))

    TransactionTestCase._fixture_teardown = teardown  # type: ignore[method-assign]


_flush_retrying_deadlocks()


def pytest_configure(config: pytest.Config) -> None:
    if hasattr(config, "workerinput"):
        # Each xdist worker leads a session of its own: Linux shares the CPU between sessions
        # first (autogroup), and in one shared session the busy workers starved the real-time
        # encoders of another worker's media tests, which then fell behind their stream.
        os.setsid()
    elif config.getoption("numprocesses", None):
        _XDIST_CONTROLLER.append(True)
        if os.environ.get("REDIS_PREFIX"):
            raise pytest.UsageError(
                "REDIS_PREFIX is set, so every xdist worker would share one Redis namespace "
                "(and take each other's Celery tasks): unset it, each test process then gets "
                "its own"
            )


def pytest_keyboard_interrupt() -> None:
    """Ctrl-C reaches the terminal's session only, not the workers' own (see above): the
    controller passes it on, then gives them a minute to stop the processes they started
    (xdist kills its workers 10 s after an interrupt, which left some of them behind)."""
    if not _XDIST_CONTROLLER:
        return
    workers = harness.children(os.getpid())
    for pid in workers:
        os.kill(pid, signal.SIGINT)
    deadline = time.monotonic() + 60
    while any(harness.children(pid) for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.2)


@pytest.fixture(scope="session", autouse=True)
def _redis_namespace() -> Iterator[None]:
    """This process's Redis namespace (`qstest<pid>`, shared with the processes it starts):
    removed when the session ends, after those processes stopped (Celery leaves bindings and
    results behind). A prefix from the environment may be someone else's: left alone."""
    yield
    if settings.REDIS_PREFIX != f"qstest{os.getpid()}":
        return
    client = redis.Redis.from_url(settings.REDIS_URL)
    keys = list(client.scan_iter(f"{settings.REDIS_PREFIX}:*", count=500))
    if keys:
        client.delete(*keys)
    client.close()


@pytest.fixture(scope="session", autouse=True)
def _media_root(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Uploads of this run go to a temporary folder shared with the processes it starts."""
    settings.MEDIA_ROOT = tmp_path_factory.mktemp("media")


@pytest.fixture(autouse=True)
def _clean_cache_keys() -> Iterator[None]:
    """Throttles and lock-outs live in Redis: give each test a clean slate.
    Only this run's cache keys go (never FLUSHDB: others share this Redis)."""
    yield
    client = redis.Redis.from_url(settings.REDIS_URL)
    keys = list(client.scan_iter(f"{settings.REDIS_PREFIX}:1:*", count=500))
    if keys:
        client.delete(*keys)
    client.close()


def _database_url(settings_dict: dict[str, object]) -> str:
    if "postgresql" not in str(settings_dict["ENGINE"]):
        pytest.fail("process tests need PostgreSQL: run them through `make test`")
    user = quote(str(settings_dict.get("USER") or ""))
    password = quote(str(settings_dict.get("PASSWORD") or ""))
    auth = f"{user}:{password}@" if password else (f"{user}@" if user else "")
    host = settings_dict.get("HOST") or "127.0.0.1"
    port = settings_dict.get("PORT") or "5432"
    return f"postgresql://{auth}{host}:{port}/{settings_dict['NAME']}"


@pytest.fixture(scope="session")
def daphne_listener() -> Iterator[socket.socket]:
    """daphne's listening socket, held by this process for the session: the port is known
    before daphne starts (SITE_URL) and stays ours while a test restarts daphne."""
    listener = harness.listening_socket()
    yield listener
    listener.close()


@pytest.fixture(scope="session")
def process_env(
    django_db_setup: None,
    sms_sandbox: str,
    payment_sandbox: str,
    daphne_listener: socket.socket,
) -> dict[str, str]:
    """The environment for platform processes: this run's test database and Redis namespace
    (under xdist: this worker's, e.g. test_<name>_gw1 and qstest<worker pid>)."""
    from django.db import connection

    return harness.base_env(
        PAYMENT_SANDBOX_URL=payment_sandbox,
        SITE_URL=f"http://127.0.0.1:{daphne_listener.getsockname()[1]}",
        DATABASE_URL=_database_url(connection.settings_dict),
        REDIS_URL=settings.REDIS_URL,
        REDIS_PREFIX=settings.REDIS_PREFIX,
        SMS_SANDBOX_URL=sms_sandbox,
        MEDIA_ROOT=str(settings.MEDIA_ROOT),
        DEBUG="1",
        # Probe handlers that let event tests block or fail a delivery inside a worker.
        EVENT_HANDLER_MODULES_EXTRA="tests.backend.common.event_probe",
    )


@pytest.fixture(scope="session")
def sms_sandbox() -> Iterator[str]:
    proc, url = harness.start_sms_sandbox(harness.base_env())
    try:
        yield url
    finally:
        proc.stop()


@pytest.fixture(scope="session")
def payment_sandbox() -> Iterator[str]:
    proc, url = harness.start_payment_sandbox(harness.base_env(), "--notify-backoff-ms", "200")
    try:
        yield url
    finally:
        proc.stop()


class PaymentDesk:
    """The sandbox's own controls: pay without a browser, read the notices it sent."""

    def __init__(self, url: str) -> None:
        self.url = url

    def pay(self, payment_id: str) -> dict[str, object]:
        response = requests.post(f"{self.url}/v1/_sandbox/payments/{payment_id}/pay", timeout=10)
        response.raise_for_status()
        return dict(response.json())

    def notices(self, payment_id: str) -> list[dict[str, object]]:
        rows = requests.get(f"{self.url}/v1/_sandbox/notifications", timeout=10).json()
        return [n for n in rows["notifications"] if n["payment_id"] == payment_id]

    def payment(self, payment_id: str) -> dict[str, object]:
        rows = requests.get(f"{self.url}/v1/_sandbox/payments", timeout=10).json()["payments"]
        return next(p for p in rows if p["payment_id"] == payment_id)


@pytest.fixture
def payments(payment_sandbox: str, settings: pytest.FixtureRequest) -> PaymentDesk:
    """The payment sandbox with this process's provider pointed at it."""
    settings.PAYMENT_SANDBOX_URL = payment_sandbox  # type: ignore[attr-defined]
    # In-process tests have no server for the notify: point it at a closed port and let the
    # test hand the recorded notice to the test client.
    settings.SITE_URL = "http://127.0.0.1:9"  # type: ignore[attr-defined]
    return PaymentDesk(payment_sandbox)


class SmsOutbox:
    def __init__(self, url: str) -> None:
        self.url = url

    def messages(self, phone: str) -> list[dict[str, str]]:
        response = requests.get(f"{self.url}/v1/outbox", params={"to": phone}, timeout=5)
        response.raise_for_status()
        return list(response.json()["messages"])

    def last_code(self, phone: str) -> str:
        import re

        text = self.messages(phone)[0]["text"]
        match = re.search(r"\b(\d{6})\b", text)
        assert match, text
        return match.group(1)

    def fail_next(self, count: int) -> None:
        requests.post(f"{self.url}/v1/control", json={"fail_next": count}, timeout=5)


@pytest.fixture
def sms(sms_sandbox: str, settings: pytest.FixtureRequest) -> Iterator[SmsOutbox]:
    """The SMS sandbox, empty, with this process's provider pointed at it."""
    settings.SMS_SANDBOX_URL = sms_sandbox  # type: ignore[attr-defined]
    requests.delete(f"{sms_sandbox}/v1/outbox", timeout=5)
    outbox = SmsOutbox(sms_sandbox)
    yield outbox
    outbox.fail_next(0)


@pytest.fixture
def eager_task_retries() -> Iterator[None]:
    """Task.apply() runs a task in this process and, with errors not propagated, runs its
    retries too, at once (the countdown is not waited for): bounded retries in a test."""
    from worker.celery import app

    app.conf.task_eager_propagates = False
    yield
    app.conf.task_eager_propagates = True


@pytest.fixture(scope="session")
def celery_worker(process_env: dict[str, str]) -> Iterator[harness.Process]:
    from backend.common.tasks import ping

    def answers() -> bool:
        try:
            return bool(ping.delay("ready").get(timeout=1))
        except Exception:
            return False

    proc = harness.start_celery_worker(process_env, answers)
    try:
        yield proc
    finally:
        proc.stop()


@pytest.fixture(scope="session")
def daphne_process(
    process_env: dict[str, str], daphne_listener: socket.socket
) -> Iterator[harness.Process]:
    """daphne on one port for the session (tests may restart it: the port stays)."""
    proc, _url = harness.start_daphne(process_env, daphne_listener)
    try:
        yield proc
    finally:
        proc.stop()


@pytest.fixture(scope="session")
def daphne_server(daphne_process: harness.Process, daphne_listener: socket.socket) -> str:
    return f"http://127.0.0.1:{daphne_listener.getsockname()[1]}"


@pytest.fixture(scope="session")
def web_tier(process_env: dict[str, str]) -> Iterator[harness.Web]:
    """The production topology: nginx in front of gunicorn (pages, API) and daphne (/ws/);
    tests may kill and restart `web_tier.ws` (its port stays)."""
    web = harness.Web(process_env)
    try:
        yield web
    finally:
        web.stop()


@pytest.fixture(scope="session")
def front_server(web_tier: harness.Web) -> str:
    return web_tier.url


@pytest.fixture
def make_user(db: None):
    def make(*roles: Role, **kwargs: object) -> User:
        return UserFactory(roles=list(roles), **kwargs)

    return make


@pytest.fixture
def login_as(db: None):
    def login(user: User) -> Client:
        client = Client()
        response = client.post(
            "/api/v1/auth/login",
            {"username": user.username, "password": PASSWORD},
            content_type="application/json",
        )
        assert response.status_code == 200, response.content
        return client

    return login


_SKIPPED: list[str] = []


def _skip_record(report: pytest.TestReport | pytest.CollectReport) -> None:
    if report.skipped and report.nodeid not in _SKIPPED:
        _SKIPPED.append(report.nodeid)


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    _skip_record(report)


def pytest_collectreport(report: pytest.CollectReport) -> None:
    """A module skipped while collected (`importorskip`) counts: its tests are absent too."""
    _skip_record(report)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """With QS_NO_SKIPS=1 (CI), a skipped test fails the run: nothing may pass by absence.

    Under xdist the workers' reports reach the hooks above in the controller, which decides
    the exit status here; a worker's own exit status is not the run's."""
    if hasattr(session.config, "workerinput"):
        return
    if os.environ.get("QS_NO_SKIPS") == "1" and _SKIPPED:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
        print(f"\n{len(_SKIPPED)} test(s) skipped, which CI forbids:", *_SKIPPED, sep="\n  ")
