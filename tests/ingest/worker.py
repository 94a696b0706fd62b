"""Real Celery processes for the ingest tests: a worker or beat started as `make worker` and
`make beat` start them, against the test database and the suite's Redis.

``CeleryProcess`` starts ``celery -A config <command>`` in its own process group (so the
whole worker, pool and all, can be killed at once with SIGKILL), writes its log to a file,
and stops it on exit. ``celery_env`` points it at the test database and a Redis queue of
its own, so the parallel test processes of pytest-xdist never take each other's tasks.
"""

import base64
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlsplit, urlunsplit

import redis

PROJECT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
STARTUP_SECONDS = 30
STOP_SECONDS = 20
# kombu's Redis transport keeps a queue's messages of priority 0 in a list named after
# the queue, and those of other priorities in lists with these suffixes.
PRIORITY_SUFFIXES = ("", "\x06\x163", "\x06\x166", "\x06\x169")

T = TypeVar("T")


def database_url(name: str) -> str:
    """This environment's DATABASE_URL, naming the database ``name`` (the test database)."""
    parts = urlsplit(os.environ["DATABASE_URL"])
    return urlunsplit(parts._replace(path=f"/{name}"))


def celery_env(*, database: str, redis_url: str, **settings: str | int) -> dict[str, str]:
    """The environment of a Celery process on the test database: ``settings`` are
    environment variables the project's settings read (INGEST_BATCH_SIZE=...)."""
    env = dict(os.environ)
    env |= {
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DATABASE_URL": database_url(database),
        "REDIS_URL": redis_url,
        "CELERY_TASK_ALWAYS_EAGER": "false",
        # No connection outlives its task: the test tears the database down after.
        "DATABASE_CONN_MAX_AGE": "0",
        "PYTHONUNBUFFERED": "1",
        # The tests' HTTP server is on loopback.
        "INGEST_ALLOW_PRIVATE_ADDRESSES": "true",
    }
    env |= {name: str(value) for name, value in settings.items()}
    return env


def wait_for(
    check: Callable[[], T | None], *, timeout: float, what: str, interval: float = 0.05
) -> T:
    """Poll ``check`` until it returns something true, and return that."""
    deadline = time.monotonic() + timeout
    while True:
        result = check()
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"Waited {timeout:g} s for {what}; it did not happen.")
        time.sleep(interval)


@dataclass
class CeleryProcess:
    """``celery -A config <args>`` running in its own session; ``log`` is its output."""

    args: list[str]
    env: dict[str, str]
    log: Path
    ready_line: str
    process: subprocess.Popen[bytes] | None = field(default=None, init=False)
    _log_offset: int = field(default=0, init=False)

    def start(self) -> "CeleryProcess":
        return self.launch().wait_ready()

    def launch(self) -> "CeleryProcess":
        """Start the process without waiting for it (to start several at once)."""
        # Each start appends to the log; ``output`` reads what this start wrote.
        self._log_offset = self.log.stat().st_size if self.log.exists() else 0
        with self.log.open("ab") as log_file:
            self.process = subprocess.Popen(
                [str(BIN / "celery"), "-A", "config", *self.args],
                cwd=PROJECT,
                env=self.env,
                stdout=log_file,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        return self

    def wait_ready(self) -> "CeleryProcess":
        wait_for(self._ready, timeout=STARTUP_SECONDS, what=f"celery {self.args[0]} to start")
        return self

    @property
    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def _ready(self) -> bool:
        assert self.process is not None
        if self.process.poll() is not None:
            raise RuntimeError(
                f"celery {' '.join(self.args)} exited with {self.process.returncode}:\n"
                + self.output()[-4000:]
            )
        return self.ready_line in self.output()

    def output(self) -> str:
        """What the process logged since it was last started."""
        with self.log.open("rb") as log_file:
            log_file.seek(self._log_offset)
            return log_file.read().decode(errors="replace")

    def kill(self) -> None:
        """SIGKILL the whole process group (the main process and its pool) at once."""
        assert self.process is not None
        with suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=STOP_SECONDS)

    def terminate(self) -> None:
        """Ask for a warm shutdown (SIGTERM: finish the running tasks, hand back the
        others), without waiting for it."""
        if self.alive:
            assert self.process is not None
            with suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGTERM)

    def stop(self) -> None:
        """A warm shutdown, then SIGKILL if it takes too long."""
        if self.process is None:
            return
        self.terminate()
        try:
            self.process.wait(timeout=STOP_SECONDS)
        except subprocess.TimeoutExpired:
            self.kill()
        # The pool's children, should any have outlived the main process.
        with suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)


def worker(
    queue: str,
    env: dict[str, str],
    log: Path,
    *,
    pool: str = "prefork",
    concurrency: int = 2,
    hostname: str = "",
) -> CeleryProcess:
    processes = ["--concurrency", str(concurrency)] if pool == "prefork" else []
    return CeleryProcess(
        args=[
            "worker",
            "--pool",
            pool,
            *processes,
            "-Q",
            queue,
            "--hostname",
            hostname or f"{queue}@%h",
            "--loglevel",
            "INFO",
            # Alone on its queue: nothing to synchronise with other workers.
            "--without-mingle",
            "--without-gossip",
            "--without-heartbeat",
        ],
        env=env,
        log=log,
        ready_line=" ready.",
    )


def beat(env: dict[str, str], log: Path, folder: Path) -> CeleryProcess:
    return CeleryProcess(
        args=[
            "beat",
            "--loglevel",
            "INFO",
            "--pidfile",
            str(folder / "beat.pid"),
            "--max-interval",
            "1",
        ],
        env=env,
        log=log,
        ready_line="beat: Starting",
    )


@contextmanager
def running(*processes: CeleryProcess) -> Iterator[None]:
    """Start ``processes`` together, and stop them all on exit."""
    try:
        for process in processes:
            process.launch()
        for process in processes:
            process.wait_ready()
        yield
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.stop()


# Ports for the Redis servers the tests start (and kill) themselves, beside the suite's.
OWN_REDIS_PORTS = range(6390, 6395)


def free_port(ports: range) -> int:
    """One of ``ports`` that nothing on loopback listens on, looked for from a place of
    this test process's own (pytest-xdist's gwN starts at the Nth), so that parallel test
    processes do not pick the same one at once."""
    worker_number = int(os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw") or 0)
    start = worker_number % len(ports)
    for port in [*ports[start:], *ports[:start]]:
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) != 0:
                return port
    raise RuntimeError(f"No free port in {ports.start}-{ports.stop - 1} for a test Redis.")


@dataclass
class RedisServer:
    """A redis-server of the test's own on loopback, which the test may kill. It keeps its
    data in an append-only file (fsync'd at every write) in ``folder``, as the deployment's
    Redis does, so what it held before SIGKILL is there again when it starts anew."""

    folder: Path
    port: int
    process: subprocess.Popen[bytes] | None = field(default=None, init=False)

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> "RedisServer":
        executable = shutil.which("redis-server")
        assert executable, "redis-server is not installed"
        with (self.folder / "redis.log").open("ab") as log_file:
            self.process = subprocess.Popen(
                [
                    executable,
                    *("--bind", "127.0.0.1", "--port", str(self.port)),
                    *("--dir", str(self.folder), "--save", ""),
                    *("--appendonly", "yes", "--appendfsync", "always"),
                ],
                stdout=log_file,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        wait_for(self._answers, timeout=STARTUP_SECONDS, what="the test's Redis to start")
        return self

    def _answers(self) -> bool:
        assert self.process is not None
        if self.process.poll() is not None:
            raise RuntimeError(f"redis-server exited with {self.process.returncode}")
        client = redis.Redis.from_url(self.url, socket_connect_timeout=1)
        try:
            return bool(client.ping())
        except redis.ConnectionError:
            return False
        finally:
            client.close()

    def kill(self) -> None:
        """SIGKILL: the server goes without a word to its clients."""
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=STOP_SECONDS)


def purge(client: redis.Redis, queue: str) -> None:
    client.delete(*(queue + suffix for suffix in PRIORITY_SUFFIXES))


@dataclass(frozen=True)
class TaskMessage:
    """A task message as kombu left it in a Redis list (Celery's protocol 2)."""

    task: str
    id: str
    args: list[Any]
    kwargs: dict[str, Any]
    headers: dict[str, Any]


def queued_messages(client: redis.Redis, queue: str) -> list[TaskMessage]:
    messages = []
    for suffix in PRIORITY_SUFFIXES:
        for raw in client.lrange(queue + suffix, 0, -1):
            messages.append(decode(raw))
    return messages


def decode(raw: bytes | str) -> TaskMessage:
    envelope = json.loads(raw)
    body = envelope["body"]
    if envelope["properties"].get("body_encoding") == "base64":
        body = base64.b64decode(body)
    args, kwargs, _embed = json.loads(body)
    headers = envelope["headers"]
    return TaskMessage(
        task=headers["task"], id=headers["id"], args=args, kwargs=kwargs, headers=headers
    )
