"""A real Celery worker through outages: its Redis killed and restarted while a run is in
the middle of a batch, its PostgreSQL connections terminated there, and a page of a paged
source that fails once.

The worker runs on a Redis of this module's own (``RedisServer``, on a port of its own),
which the tests kill; its tasks are sent there. To make "in the middle of a run" exact,
the test locks the run's row: the worker's next batch then waits on that lock, inside its
transaction, until the test lets it go (or its connection is terminated).
"""

import os
import re
import shutil
import signal
import subprocess
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg
import pytest
import redis
from django.db import connection

from config.celery import app
from ingest.models import IngestRun, IngestSource, RunStatus
from ingest.services.sources import INGEST_TASK, save_source
from ledger.models import LedgerEntry, Organization
from tests.ingest.conftest import OPT_PAGES, LoopbackServer
from tests.ingest.test_worker import (
    csv_source,
    duplicate_keys,
    finished_runs,
    runs_of,
    write_csv,
)
from tests.ingest.worker import (
    BIN,
    OWN_REDIS_PORTS,
    PROJECT,
    CeleryProcess,
    RedisServer,
    beat,
    celery_env,
    database_url,
    free_port,
    running,
    wait_for,
    worker,
)
from tests.test_deployment_files import compose

BATCH = 100
ROWS = 5000
RUN_SECONDS = 60
# The worker's name as docker-compose.yml's health check addresses it (celery@$HOSTNAME).
HOSTNAME = f"outage-{os.environ.get('PYTEST_XDIST_WORKER', 'main')}-{os.getpid()}"
QUEUE = f"ingest-{HOSTNAME}"

pytestmark = [
    pytest.mark.postgresql,
    pytest.mark.skipif(not shutil.which("redis-server"), reason="needs redis-server"),
]


# --- plumbing ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def broker(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RedisServer]:
    server = RedisServer(
        folder=tmp_path_factory.mktemp("redis"), port=free_port(OWN_REDIS_PORTS)
    ).start()
    yield server
    server.kill()


@pytest.fixture(scope="module")
def worker_env(test_database: str, broker: RedisServer) -> dict[str, str]:
    # The visibility timeout stays the production one (hours): a message is delivered
    # again only if its worker never acknowledged it, not because the run took a while.
    return celery_env(database=test_database, redis_url=broker.url, INGEST_BATCH_SIZE=BATCH)


@pytest.fixture(scope="module")
def module_worker(
    worker_env: dict[str, str], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[CeleryProcess]:
    log = tmp_path_factory.mktemp("worker") / "worker.log"
    process = worker(QUEUE, worker_env, log, hostname=f"celery@{HOSTNAME}")
    with running(process):
        yield process


@pytest.fixture
def live_worker(
    module_worker: CeleryProcess, broker: RedisServer, live_db: None
) -> Iterator[CeleryProcess]:
    """The module's worker and Redis, running (a test that failed may have left them
    stopped), with committed data."""
    if broker.process is None or broker.process.poll() is not None:
        broker.start()
    if not module_worker.alive:
        module_worker.start()
    yield module_worker
    # A test that failed may have left a run going, or tasks queued: stop the worker before
    # the flush empties the tables under it, and forget what its Redis holds.
    if IngestRun.objects.filter(status=RunStatus.RUNNING).exists():
        module_worker.kill()
        client = redis.Redis.from_url(broker.url)
        client.flushdb()
        client.close()


def queue_run(source: IngestSource, *, broker: RedisServer) -> str:
    """Send the source's ingest task to the worker's Redis and queue; its id."""
    with app.connection_for_write(broker.url) as broker_connection:
        result = app.send_task(
            INGEST_TASK,
            args=(source.pk,),
            kwargs={"trigger": "admin"},
            queue=QUEUE,
            connection=broker_connection,
        )
    return str(result.id)


def run_under_way(source: IngestSource) -> IngestRun | None:
    run = IngestRun.objects.filter(source=source).first()
    return run if run is not None and 0 < run.created < ROWS else None


@contextmanager
def run_row_locked(database: str, run: IngestRun) -> Iterator[int]:
    """Hold a lock on the run's row (its batches update their counts there) from a
    connection of the test's own, whose backend pid this yields."""
    with psycopg.connect(database_url(database)) as locker:
        locker.execute("SELECT 1 FROM ingest_ingestrun WHERE id = %s FOR UPDATE", [run.pk])
        yield locker.info.backend_pid
        locker.rollback()


def waiting_on_a_lock(database: str) -> bool:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = %s AND wait_event_type = 'Lock'",
            [database],
        )
        [(waiting,)] = cursor.fetchall()
    return bool(waiting)


@contextmanager
def stopped_mid_batch(source: IngestSource, database: str) -> Iterator[tuple[IngestRun, int]]:
    """Once some batches of the source's run have landed, lock the run's row and wait
    until the worker's next batch waits on it; yields the run and the locker's pid."""
    run = wait_for(lambda: run_under_way(source), timeout=RUN_SECONDS, what="some batches")
    with run_row_locked(database, run) as locker:
        wait_for(
            lambda: waiting_on_a_lock(database),
            timeout=RUN_SECONDS,
            what="the worker's next batch to wait on the run's row",
        )
        yield run, locker


def reconnected(worker_process: CeleryProcess) -> bool:
    """The worker connected to Redis again, or (so the test says why) it gave up."""
    log = worker_process.output()
    return (
        log.count("Connected to redis://") >= 2
        or "Unrecoverable error" in log
        or not worker_process.alive
    )


# --- point 1: Redis killed while a task runs ---------------------------------------------


def test_the_worker_outlives_its_redis_killed_mid_run_and_consumes_after_it_is_back(
    live_worker: CeleryProcess,
    broker: RedisServer,
    test_database: str,
    ukraine: Organization,
    tmp_path: Path,
) -> None:
    source = csv_source("Kiel", write_csv(tmp_path / "kiel.csv", ROWS))
    task_id = queue_run(source, broker=broker)

    with stopped_mid_batch(source, test_database):
        broker.kill()
        time.sleep(3)  # Redis is down while the task runs
        broker.start()
        wait_for(
            lambda: reconnected(live_worker), timeout=RUN_SECONDS, what="the worker to reconnect"
        )
        assert "Unrecoverable error" not in live_worker.output(), live_worker.output()[-3000:]
        assert live_worker.alive

    [finished] = wait_for(lambda: finished_runs(source, 1), timeout=RUN_SECONDS, what="the run")
    assert finished.status == RunStatus.SUCCEEDED, finished.error
    assert finished.task_id == task_id
    assert (finished.seen, finished.created, finished.unchanged) == (ROWS, ROWS, 0)
    assert LedgerEntry.objects.count() == ROWS
    assert duplicate_keys() == []
    # Exactly once: the message was acknowledged, so Redis holds nothing to deliver again.
    client = redis.Redis.from_url(broker.url)
    wait_for(lambda: client.hlen("unacked") == 0, timeout=10, what="the acknowledgement")
    client.close()

    # ... and the worker still consumes: a task sent after the restart runs.
    later = csv_source("Later", write_csv(tmp_path / "later.csv", 3))
    queue_run(later, broker=broker)
    [after] = wait_for(lambda: finished_runs(later, 1), timeout=RUN_SECONDS, what="a later run")
    assert after.status == RunStatus.SUCCEEDED, after.error
    assert len(runs_of(source)) == 1
    assert live_worker.alive


# --- point 3: PostgreSQL connections terminated mid-run ----------------------------------


def terminate_backends(database: str, *, sparing: set[int]) -> int:
    """pg_terminate_backend() every client connection to ``database`` but ``sparing``."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        [(own,)] = cursor.fetchall()
        cursor.execute(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
            "WHERE datname = %s AND backend_type = 'client backend' AND NOT pid = ANY(%s)",
            [database, [own, *sparing]],
        )
        [(terminated,)] = cursor.fetchall()
    return int(terminated)


def test_a_run_whose_database_connection_is_terminated_is_retried_and_resumes(
    live_worker: CeleryProcess,
    broker: RedisServer,
    test_database: str,
    ukraine: Organization,
    tmp_path: Path,
) -> None:
    source = csv_source("Kiel", write_csv(tmp_path / "kiel.csv", ROWS))
    task_id = queue_run(source, broker=broker)

    with stopped_mid_batch(source, test_database) as (run, locker):
        assert terminate_backends(test_database, sparing={locker}) >= 1

    lost, resumed = wait_for(
        lambda: finished_runs(source, 2), timeout=RUN_SECONDS, what="the run to be retried"
    )
    assert lost.pk == run.pk
    assert lost.status == RunStatus.FAILED
    assert lost.error.startswith("Database connection lost (will retry):"), lost.error
    assert "terminating connection due to administrator command" in lost.error
    # The batch that waited was rolled back with its connection: whole batches only.
    assert 0 < lost.created < ROWS
    assert lost.created % BATCH == 0
    # The task was retried (the same message, with a backoff), and the retry resumed
    # after the last committed batch: what had landed is found unchanged.
    assert re.search(rf"\[{task_id}\] retry: Retry in [\d.]+s", live_worker.output())
    assert resumed.task_id == task_id
    assert resumed.status == RunStatus.SUCCEEDED, resumed.error
    assert (resumed.seen, resumed.created, resumed.unchanged) == (
        ROWS,
        ROWS - lost.created,
        lost.created,
    )
    assert LedgerEntry.objects.count() == ROWS
    assert duplicate_keys() == []
    assert live_worker.alive


def test_a_connection_terminated_while_idle_is_dropped_and_the_run_retried(
    live_worker: CeleryProcess,
    broker: RedisServer,
    test_database: str,
    ukraine: Organization,
    loopback_server: LoopbackServer,
) -> None:
    """Terminated while the run fetches (outside any transaction), the connection is left
    broken, not closed: the run is recorded on a new one, and the task retried."""
    rows = 300
    write_csv(loopback_server.root / "kiel.csv", rows)
    fetching, go_on = threading.Event(), threading.Event()

    def hold_the_first_fetch(name: str) -> None:
        loopback_server.on_request = None
        fetching.set()
        go_on.wait(RUN_SECONDS)

    loopback_server.on_request = hold_the_first_fetch
    source = csv_source("Kiel", loopback_server.url("kiel.csv"))
    task_id = queue_run(source, broker=broker)
    assert fetching.wait(RUN_SECONDS)
    assert terminate_backends(test_database, sparing=set()) >= 1
    go_on.set()

    lost, retried = wait_for(
        lambda: finished_runs(source, 2), timeout=RUN_SECONDS, what="the run to be retried"
    )
    assert lost.status == RunStatus.FAILED
    assert lost.error.startswith("Database connection lost (will retry):"), lost.error
    assert (lost.task_id, retried.task_id) == (task_id, task_id)
    assert retried.status == RunStatus.SUCCEEDED, retried.error
    assert (retried.seen, retried.created) == (rows, rows)
    assert LedgerEntry.objects.count() == rows
    source.refresh_from_db()
    assert source.lease_holder == ""


# --- docker-compose.yml's health checks, run against real processes ----------------------


def health_check(service: str, env: dict[str, str], **replace: str) -> int:
    """Run ``service``'s health check command from docker-compose.yml here; its status."""
    kind, command = compose()["services"][service]["healthcheck"]["test"]
    assert kind == "CMD-SHELL"
    command = command.replace("$$", "$")  # compose's escape for a literal $
    for old, new in replace.items():
        command = command.replace(old, new)
    env = env | {"PATH": f"{BIN}:{env['PATH']}", "HOSTNAME": HOSTNAME}
    return subprocess.run(["sh", "-c", command], cwd=PROJECT, env=env, timeout=60).returncode


def test_the_worker_health_check_fails_once_the_worker_stops_consuming(
    live_worker: CeleryProcess, worker_env: dict[str, str]
) -> None:
    assert health_check("worker", worker_env) == 0
    assert live_worker.process is not None
    # The main process consumes (the pool only runs tasks): stopped, it answers nothing.
    os.kill(live_worker.process.pid, signal.SIGSTOP)
    try:
        assert health_check("worker", worker_env) != 0
    finally:
        os.kill(live_worker.process.pid, signal.SIGCONT)


def test_the_beat_health_check_fails_once_beat_is_gone(
    worker_env: dict[str, str], tmp_path: Path
) -> None:
    beat_process = beat(worker_env, tmp_path / "beat.log", tmp_path)
    pidfile = {"/run/celery/beat.pid": str(tmp_path / "beat.pid")}
    with running(beat_process):
        assert health_check("beat", worker_env, **pidfile) == 0
        beat_process.kill()  # SIGKILL: its pid file stays behind
    assert health_check("beat", worker_env, **pidfile) != 0


# --- a page of a paged source that fails once --------------------------------------------


def test_the_retry_of_a_paging_continues_from_the_page_that_failed(
    live_worker: CeleryProcess, broker: RedisServer, served_pages: LoopbackServer
) -> None:
    """The retry waits a backoff of up to 30 s, held unacknowledged by the worker: this
    module's worker keeps the production visibility timeout (hours), so the message is not
    delivered a second time meanwhile."""
    served_pages.status[OPT_PAGES[1]] = 503

    def fail_once(name: str) -> None:
        """Page 2 answers 503 to its first request only."""
        if served_pages.requests.count(name) > 1:
            served_pages.status.pop(name, None)

    served_pages.on_request = fail_once
    source = save_source(
        IngestSource(name="OPT flows", adapter="fts", location=served_pages.url(OPT_PAGES[0]))
    )

    task_id = queue_run(source, broker=broker)

    first, retry = wait_for(
        lambda: finished_runs(source, 2), timeout=RUN_SECONDS, what="the run to be retried"
    )
    assert (first.status, first.stopped_at_page) == (RunStatus.FAILED, 2)
    assert first.error.startswith("Fetching failed (will retry): ")
    assert retry.status == RunStatus.PARTIALLY_SUCCEEDED, retry.error
    assert (first.seen, retry.resumed_from, retry.seen) == (200, first, 224)
    assert first.task_id == retry.task_id == task_id
    assert served_pages.requests == [OPT_PAGES[0], OPT_PAGES[1], OPT_PAGES[1], OPT_PAGES[2]]
    assert LedgerEntry.objects.count() == first.created + retry.created
    assert first.created + retry.created + first.rejected + retry.rejected == 424
    assert len(runs_of(source)) == 2
