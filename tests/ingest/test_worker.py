"""The ingest task under a real Celery worker, real Redis and real beat.

The worker and beat are subprocesses (``tests.ingest.worker``) on the test database, so
these tests commit their data (transactional tests) and run on PostgreSQL with Redis only.
Each test process has its own Redis queues, so pytest-xdist's processes never take each
other's tasks. The last tests call the task in-process with ``apply()`` to see how it
retries, which needs neither.
"""

import hashlib
import os
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import redis
from celery.exceptions import Retry
from celery.result import EagerResult
from django.conf import settings
from django.db import connection
from django_celery_beat.models import IntervalSchedule, PeriodicTask, PeriodicTasks

from config.celery import app
from ingest.fetch import TransientFetchError
from ingest.models import IngestRun, IngestSource, RunStatus
from ingest.services.runs import acquire_lease
from ingest.services.sources import INGEST_TASK, request_run, save_source
from ingest.tasks import ingest_source
from ledger.models import LedgerEntry, Organization
from tests.ingest.conftest import LoopbackServer
from tests.ingest.worker import (
    CeleryProcess,
    TaskMessage,
    beat,
    celery_env,
    purge,
    queued_messages,
    running,
    wait_for,
    worker,
)

# The module's worker: a short lease (a busy source is retried within seconds) and small
# batches (a run has many). Redis hands a message its consumer never acknowledged to
# another only once the visibility timeout has passed since delivery (a worker looks when
# it starts, and every 100 s), so after SIGKILL the restarted worker redelivers the run
# only if that timeout is short: 5 s here, hours in production (longer than any run).
# Every run of these tests is shorter than 5 s, and none is running when a worker starts.
BATCH = 100
LEASE_SECONDS = 3
VISIBILITY_TIMEOUT = 5
WORKER_SETTINGS = {
    "CELERY_VISIBILITY_TIMEOUT": VISIBILITY_TIMEOUT,
    "INGEST_LEASE_SECONDS": LEASE_SECONDS,
    "INGEST_BATCH_SIZE": BATCH,
}
RUN_SECONDS = 60

needs_redis = pytest.mark.skipif(
    not settings.REDIS_URL, reason="needs Redis (set REDIS_URL; `make test` does)"
)


# --- plumbing ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def redis_client() -> Iterator[redis.Redis]:
    client = redis.Redis.from_url(settings.REDIS_URL)
    yield client
    client.close()


@pytest.fixture(scope="module")
def queue_name() -> str:
    """Unique to this test process (xdist's gwN, and the pid for concurrent sessions)."""
    return f"ingest-test-{os.environ.get('PYTEST_XDIST_WORKER', 'main')}-{os.getpid()}"


@pytest.fixture
def routed_to(queue_name: str) -> Iterator[str]:
    """Tasks this process queues go to its own queue (Celery's router reads the default
    queue at every send)."""
    default = app.conf.task_default_queue
    app.conf.task_default_queue = queue_name
    yield queue_name
    app.conf.task_default_queue = default


@dataclass
class Celery:
    worker: CeleryProcess
    beat: CeleryProcess
    queue: str

    @property
    def beat_queue(self) -> str:
        """Where the beat test's periodic task sends its messages: no worker takes them."""
        return f"{self.queue}-beat"


@pytest.fixture(scope="module")
def celery(
    test_database: str,
    queue_name: str,
    redis_client: redis.Redis,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[Celery]:
    """A worker (prefork, two processes, on this process's queue) and beat, started
    together once for the module (a start takes seconds)."""
    queues = [queue_name, f"{queue_name}-beat"]
    for queue in queues:
        purge(redis_client, queue)
    env = celery_env(database=test_database, redis_url=settings.REDIS_URL, **WORKER_SETTINGS)
    folder = tmp_path_factory.mktemp("celery")
    processes = Celery(
        worker=worker(queue_name, env, folder / "worker.log"),
        beat=beat(env, folder / "beat.log", folder),
        queue=queue_name,
    )
    with running(processes.worker, processes.beat):
        yield processes
    for queue in queues:
        purge(redis_client, queue)


@pytest.fixture
def live_worker(celery: Celery, live_db: None, routed_to: str) -> CeleryProcess:
    """The module's worker, with committed data and this process's queue."""
    if not celery.worker.alive:  # a test that killed it failed before restarting it
        celery.worker.start()
    return celery.worker


def write_csv(path: Path, rows: int) -> Path:
    """A valid Kiel-style CSV: every row lands, each a different record (its amount), in
    twenty commitments of Germany's."""
    lines = ["donor,announcement date,aid category,measure,amount,currency,explanation"]
    lines += [
        f"Germany,2024-01-15,military,commitment,{1000 + i},EUR,Package {i % 20}"
        for i in range(rows)
    ]
    path.write_text("\n".join(lines) + "\n")
    return path


def csv_source(name: str, location: str | Path, **fields: object) -> IngestSource:
    return save_source(IngestSource(name=name, adapter="csv", location=str(location), **fields))


def runs_of(source: IngestSource) -> list[IngestRun]:
    return list(IngestRun.objects.filter(source=source).order_by("started_at", "id"))


def duplicate_keys() -> list[tuple[str, int]]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT idempotency_key, count(*) FROM ledger_ledgerentry "
            "GROUP BY idempotency_key HAVING count(*) > 1"
        )
        return list(cursor.fetchall())


def finished_runs(source: IngestSource, count: int) -> list[IngestRun] | None:
    runs = runs_of(source)
    done = [run for run in runs if run.status != RunStatus.RUNNING]
    return runs if len(runs) >= count and len(done) == len(runs) else None


# --- a run through the worker ------------------------------------------------------------


@pytest.mark.postgresql
@needs_redis
def test_a_run_requested_from_the_admin_lands_every_row_through_the_worker(
    live_worker: CeleryProcess, ukraine: Organization, tmp_path: Path
) -> None:
    rows = 260
    path = write_csv(tmp_path / "kiel.csv", rows)
    source = csv_source("Kiel", path, options={"currency": "EUR"})

    request_run(source, trigger="admin")

    [run] = wait_for(lambda: finished_runs(source, 1), timeout=RUN_SECONDS, what="the run")
    assert run.status == RunStatus.SUCCEEDED, run.error
    assert run.counts == {
        "seen": rows,
        "created": rows,
        "unchanged": 0,
        "corrected": 0,
        "rejected": 0,
    }
    assert (run.trigger, run.adapter, run.location) == ("admin", "csv", str(path))
    assert run.task_id
    wait_for(
        lambda: f"[{run.task_id}] succeeded" in live_worker.output(),
        timeout=RUN_SECONDS,
        what="the worker to log the task's success",
    )
    assert run.content_hash == hashlib.sha256(path.read_bytes()).hexdigest()
    assert LedgerEntry.objects.count() == rows
    assert set(LedgerEntry.objects.values_list("recorded_by", flat=True)) == {
        f"ingest run {run.pk}"
    }
    assert duplicate_keys() == []
    source.refresh_from_db()
    assert (source.lease_holder, source.lease_expires_at) == ("", None)


# --- one run per source at a time ----------------------------------------------------------


@pytest.mark.postgresql
@needs_redis
def test_two_runs_of_one_source_at_once_create_each_entry_once(
    live_worker: CeleryProcess, ukraine: Organization, tmp_path: Path
) -> None:
    """Both tasks reach the worker's two processes together: one takes the lease, the
    other finds the source busy and retries once the lease is free, then finds every
    record in the ledger already."""
    rows = 1000
    source = csv_source("Kiel", write_csv(tmp_path / "kiel.csv", rows))

    request_run(source, trigger="admin")
    request_run(source, trigger="admin")

    first, second = wait_for(
        lambda: finished_runs(source, 2), timeout=RUN_SECONDS, what="both runs"
    )
    assert (first.status, second.status) == (RunStatus.SUCCEEDED, RunStatus.SUCCEEDED)
    assert (first.created, first.unchanged) == (rows, 0)
    assert (second.seen, second.created, second.unchanged) == (rows, 0, rows)
    assert first.task_id != second.task_id
    # One lease at a time: the second run began after the first had ended.
    assert first.finished_at is not None
    assert first.finished_at <= second.started_at
    # ... because its task found the source busy and waited for the lease.
    assert re.search(rf"\[{second.task_id}\] retry: Retry in [\d.]+s", live_worker.output())
    assert LedgerEntry.objects.count() == rows
    assert duplicate_keys() == []


# --- a worker killed in the middle of a run ----------------------------------------------


def killed_mid_run(source: IngestSource, total: int) -> IngestRun | None:
    run = IngestRun.objects.filter(source=source).first()
    return run if run is not None and 0 < run.created < total else None


@pytest.mark.postgresql
@needs_redis
def test_a_worker_killed_mid_run_and_restarted_finishes_with_every_entry_once(
    live_worker: CeleryProcess, ukraine: Organization, tmp_path: Path
) -> None:
    rows = 4000
    source = csv_source("Kiel", write_csv(tmp_path / "kiel.csv", rows))
    request_run(source, trigger="admin")

    wait_for(lambda: killed_mid_run(source, rows), timeout=RUN_SECONDS, what="some batches")
    live_worker.kill()  # SIGKILL to the whole process group: main process and pool
    killed_at = time.monotonic()

    [killed] = runs_of(source)
    assert killed.status == RunStatus.RUNNING
    # Whole batches only: each committed with the run's counts, or not at all.
    assert 0 < killed.created < rows
    assert killed.created % BATCH == 0
    assert killed.counts == {
        "seen": killed.created,
        "created": killed.created,
        "unchanged": 0,
        "corrected": 0,
        "rejected": 0,
    }
    assert LedgerEntry.objects.count() == killed.created

    # The message was never acknowledged (acks_late): once the visibility timeout has
    # passed, the restarted worker takes it back from Redis and runs it again.
    time.sleep(max(0.0, killed_at + VISIBILITY_TIMEOUT + 0.5 - time.monotonic()))
    live_worker.start()

    interrupted, finished = wait_for(
        lambda: finished_runs(source, 2), timeout=RUN_SECONDS, what="the run to be redone"
    )
    assert interrupted.pk == killed.pk
    assert interrupted.status == RunStatus.FAILED
    assert interrupted.error.startswith("Interrupted")
    assert f"run {finished.pk} took over" in interrupted.error
    assert finished.status == RunStatus.SUCCEEDED, finished.error
    assert finished.task_id == killed.task_id  # the same message, delivered again
    assert finished.counts == {
        "seen": rows,
        "created": rows - killed.created,
        "unchanged": killed.created,
        "corrected": 0,
        "rejected": 0,
    }
    assert LedgerEntry.objects.count() == rows
    assert duplicate_keys() == []
    source.refresh_from_db()
    assert source.lease_holder == ""


# --- beat ------------------------------------------------------------------------------------


@pytest.mark.postgresql
@needs_redis
def test_beat_queues_the_ingest_of_a_scheduled_source_until_it_is_disabled(
    celery: Celery,
    live_db: None,
    redis_client: redis.Redis,
    tmp_path: Path,
) -> None:
    every_second, _ = IntervalSchedule.objects.get_or_create(
        every=1, period=IntervalSchedule.SECONDS
    )
    source = csv_source("Kiel", write_csv(tmp_path / "kiel.csv", 1), interval=every_second)
    task = PeriodicTask.objects.get(pk=source.periodic_task_id)
    assert (task.task, task.enabled, task.interval_id) == (INGEST_TASK, True, every_second.pk)
    # Routing, as an operator may set it in the admin: to a queue no worker takes.
    PeriodicTask.objects.filter(pk=task.pk).update(queue=celery.beat_queue)

    def queued() -> list[TaskMessage]:
        # Beat rereads the schedule when its last change is later than the last it saw;
        # the previous test's flush emptied that record, so the first change after it
        # goes unnoticed (django-celery-beat compares with None). Keep changing it.
        PeriodicTasks.update_changed()
        return queued_messages(redis_client, celery.beat_queue)

    [message, *_] = wait_for(
        queued, timeout=RUN_SECONDS, what="beat to queue the task", interval=0.3
    )
    assert (message.task, message.args, message.kwargs) == (
        INGEST_TASK,
        [source.pk],
        {"trigger": "schedule"},
    )

    changes = celery.beat.output().count("Schedule changed.")
    source.enabled = False
    save_source(source)
    assert PeriodicTask.objects.get(pk=task.pk).enabled is False
    wait_for(
        lambda: celery.beat.output().count("Schedule changed.") > changes,
        timeout=RUN_SECONDS,
        what="beat to notice the change",
    )

    # "Schedule changed." also follows the earlier update_changed() calls, so beat may
    # still send a tick or two after it: it must go quiet for more than two of the
    # schedule's seconds soon after, and stay so (a beat that kept queuing never does).
    def quiet() -> bool:
        purge(redis_client, celery.beat_queue)
        time.sleep(2.5)
        return queued_messages(redis_client, celery.beat_queue) == []

    wait_for(quiet, timeout=RUN_SECONDS, what="beat to stop queuing the disabled source")


# --- retries ---------------------------------------------------------------------------------


@pytest.mark.postgresql
@needs_redis
def test_a_transient_fetch_error_is_retried_later_and_a_permanent_one_is_not(
    live_worker: CeleryProcess, loopback_server: LoopbackServer
) -> None:
    loopback_server.status |= {"busy.csv": 503, "gone.csv": 404}
    busy = csv_source("Busy", loopback_server.url("busy.csv"))
    gone = csv_source("Gone", loopback_server.url("gone.csv"))

    retried = ingest_source.delay(busy.pk, trigger="admin")
    failed = ingest_source.delay(gone.pk, trigger="admin")

    assert failed.get(timeout=RUN_SECONDS)["status"] == RunStatus.FAILED
    [run] = runs_of(gone)
    assert run.status == RunStatus.FAILED
    assert run.error == f"Fetching failed: {loopback_server.url('gone.csv')} answered 404."

    wait_for(lambda: retried.state == "RETRY", timeout=RUN_SECONDS, what="a retry")
    first = runs_of(busy)[0]
    assert first.status == RunStatus.FAILED
    assert first.error.startswith("Fetching failed (will retry):")
    assert "answered 503" in first.error
    # Retried after a backoff of up to 30 s (full jitter), not at once and not forever.
    [countdown] = re.findall(rf"\[{retried.id}\] retry: Retry in ([\d.]+)s", live_worker.output())
    assert 0 <= float(countdown) <= 30
    assert loopback_server.requests.count("gone.csv") == 1
    retried.revoke()  # the worker holds the retry until its time: drop it


# --- how the task retries (in-process, through Celery's apply()) --------------------------


@pytest.fixture
def task_state() -> Iterator[None]:
    """What ``Task.retry(max_retries=...)`` leaves on the (process-wide) task object."""
    task = app.tasks[INGEST_TASK]
    vars(task).pop("override_max_retries", None)
    yield
    vars(task).pop("override_max_retries", None)


def apply_task(source: IngestSource, *, retries: int = 0) -> EagerResult:
    """Run the task here, as a worker would on its ``retries``-th retry."""
    return ingest_source.apply(args=(source.pk,), kwargs={"trigger": "admin"}, retries=retries)


def retry_countdown(retry: Retry) -> float:
    assert isinstance(retry.when, int | float), retry.when
    return float(retry.when)


@pytest.mark.django_db
def test_a_transient_fetch_error_retries_with_backoff_up_to_five_times(
    task_state: None, loopback_server: LoopbackServer
) -> None:
    loopback_server.status["busy.csv"] = 503
    source = csv_source("Busy", loopback_server.url("busy.csv"))

    with pytest.raises(Retry) as first:
        apply_task(source)
    assert isinstance(first.value.exc, TransientFetchError)
    assert 0 <= retry_countdown(first.value) <= 30  # 30 s, less a random jitter

    with pytest.raises(Retry) as fifth:
        apply_task(source, retries=4)
    assert 0 <= retry_countdown(fifth.value) <= 30 * 2**4

    last = apply_task(source, retries=5)  # no sixth: the run fails, promising none
    assert last.state == "SUCCESS"
    assert [run.status for run in runs_of(source)] == [RunStatus.FAILED] * 3
    assert runs_of(source)[-1].error.startswith("Fetching failed: ")


@pytest.mark.django_db
def test_a_permanent_fetch_error_is_not_retried(
    task_state: None, loopback_server: LoopbackServer
) -> None:
    loopback_server.status["gone.csv"] = 404
    source = csv_source("Gone", loopback_server.url("gone.csv"))

    result = apply_task(source)

    assert result.state == "SUCCESS"
    assert isinstance(result.result, dict)
    assert result.result["status"] == RunStatus.FAILED
    assert [run.error for run in runs_of(source)] == [
        f"Fetching failed: {loopback_server.url('gone.csv')} answered 404."
    ]


@pytest.mark.django_db
def test_waiting_for_a_busy_source_leaves_the_fetch_retries_as_they_were(
    task_state: None, loopback_server: LoopbackServer, tmp_path: Path
) -> None:
    """A busy source is retried up to INGEST_BUSY_RETRIES times; a transient fetch error
    in the same worker process afterwards still up to the task's five."""
    busy = csv_source("Taken", write_csv(tmp_path / "kiel.csv", 1))
    acquire_lease(busy, holder="another run", seconds=60)
    loopback_server.status["flaky.csv"] = 503
    flaky = csv_source("Flaky", loopback_server.url("flaky.csv"))

    with pytest.raises(Retry) as waited:
        apply_task(busy)
    assert 55 <= retry_countdown(waited.value) <= 61  # once the lease has expired
    assert runs_of(busy) == []

    with pytest.raises(Retry):
        apply_task(flaky, retries=settings.INGEST_BUSY_RETRIES)


# --- settings ----------------------------------------------------------------------------------


def test_the_worker_settings_make_a_killed_run_be_redone_once_and_only_fetches_retried() -> None:
    assert app.conf.task_acks_late
    assert app.conf.task_reject_on_worker_lost
    assert app.conf.worker_prefetch_multiplier == 1
    if settings.REDIS_URL:
        assert app.conf.broker_url == settings.REDIS_URL
        assert app.conf.broker_url.startswith(("redis://", "rediss://"))
    visibility_timeout = app.conf.broker_transport_options["visibility_timeout"]
    assert visibility_timeout > settings.INGEST_LEASE_SECONDS
    if not os.environ.get("CELERY_VISIBILITY_TIMEOUT"):
        assert visibility_timeout >= 3600
    task = app.tasks[INGEST_TASK]
    assert getattr(task, "autoretry_for", None) == (TransientFetchError,)
    assert getattr(task, "retry_backoff", 0) > 0
    assert task.max_retries == 5
