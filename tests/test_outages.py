"""The service, served by gunicorn as `make run` serves it, when what it stands on fails:
a Redis of the test's own is killed under it (reads still answer, the throttle lets them
through and logs it, health names Redis as down, and all is well again once Redis is
back), and a database that does not answer makes health a 503 naming it."""

import json
import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
import redis

from tests.served import embedded_env, free_port, gunicorn, manage

# The ports this project's tests may give a Redis of their own.
REDIS_PORTS = range(6380, 6390)
STARTUP_SECONDS = 10
# Low enough that reads beyond it during the outage prove the throttle let them through.
ANONYMOUS_RATE = 6


@dataclass(frozen=True)
class Answer:
    status: int
    content_type: str
    content: bytes

    @property
    def body(self) -> dict:
        """Every answer of this API, errors included, is JSON."""
        assert self.content_type == "application/json", (self.status, self.content[:300])
        return json.loads(self.content)


def fetch(url: str) -> Answer:
    """GET ``url``, whatever the status."""
    request = urllib.request.Request(url, headers={"Accept": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return Answer(response.status, response.headers["Content-Type"], response.read())
    except urllib.error.HTTPError as error:
        return Answer(error.code, error.headers["Content-Type"], error.read())


def unused_redis_port() -> int:
    for port in REDIS_PORTS:
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) != 0:
                return port
    raise RuntimeError(f"every port of {REDIS_PORTS} is taken")


class OwnRedis:
    """A redis-server on loopback that the test stops and starts again (empty, like a
    Redis restarted without persistence)."""

    def __init__(self, port: int, folder: Path) -> None:
        self.port, self.folder = port, folder
        self.url = f"redis://127.0.0.1:{port}/0"
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        command = ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1"]
        command += ["--save", "", "--appendonly", "no", "--dir", str(self.folder)]
        self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL)
        client = redis.Redis.from_url(self.url, socket_connect_timeout=1)
        deadline = time.monotonic() + STARTUP_SECONDS
        while True:
            try:
                client.ping()
                return
            except redis.ConnectionError:
                if time.monotonic() > deadline or self.process.poll() is not None:
                    raise
                time.sleep(0.1)

    def kill(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)


@contextmanager
def own_redis(folder: Path) -> Iterator[OwnRedis]:
    if shutil.which("redis-server") is None:
        pytest.skip("redis-server is not installed")
    server = OwnRedis(unused_redis_port(), folder)
    server.start()
    try:
        yield server
    finally:
        server.kill()


def test_reads_do_not_depend_on_redis(tmp_path: Path) -> None:
    with own_redis(tmp_path) as server:
        env = embedded_env(tmp_path)
        env |= {"REDIS_URL": server.url, "API_ANON_THROTTLE_RATE": f"{ANONYMOUS_RATE}/minute"}
        manage(env, "migrate", "--noinput", "--verbosity", "0")
        with gunicorn(env, tmp_path) as app:
            health_url = f"{app.base_url}/api/v1/health/"
            read_url = f"{app.base_url}/api/v1/organizations/"
            health = fetch(health_url)
            assert health.status == 200
            assert health.body["components"] == {"database": "up", "redis": "up"}
            assert health.body["tasks"] == "redis"

            server.kill()
            reads = [fetch(read_url) for _ in range(ANONYMOUS_RATE + 4)]
            assert {read.status for read in reads} == {200}
            assert all("results" in read.body for read in reads)
            health = fetch(health_url)
            assert health.status == 503
            assert health.body == {
                "status": "unavailable",
                "database": "sqlite",
                "tasks": "redis",
                "components": {"database": "up", "redis": "down"},
            }
            log = app.log.read_text()
            assert "The throttle's cache does not answer (ConnectionError" in log
            # Logged when the outage began, not for every request during it.
            assert log.count("The throttle's cache does not answer") == 1

            server.start()
            assert fetch(health_url).body["components"] == {"database": "up", "redis": "up"}
            # The throttle counts again (in the new, empty Redis).
            statuses = [fetch(read_url).status for _ in range(ANONYMOUS_RATE + 1)]
            assert statuses[0] == 200
            assert 429 in statuses
            assert "The throttle's cache answers again" in app.log.read_text()


def test_health_names_a_database_that_does_not_answer(tmp_path: Path) -> None:
    """gunicorn on a PostgreSQL address where nothing listens: the service still answers,
    and health says the database is down."""
    env = embedded_env(tmp_path)
    env["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:{free_port()}/aidledger"
    with gunicorn(env, tmp_path) as app:
        health = fetch(f"{app.base_url}/api/v1/health/")
    assert health.status == 503
    assert health.body["status"] == "unavailable"
    assert health.body["database"] == "postgresql"
    assert health.body["components"] == {"database": "down"}
