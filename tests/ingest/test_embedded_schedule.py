"""Without Redis, scheduled ingest still runs: the worker with beat inside that `make run`
starts serves a queue kept in files. Run as `make run` runs it, in its own SQLite file,
whatever database and broker the suite itself uses."""

import os
import signal
import sqlite3
import subprocess
import time
from pathlib import Path

import pytest

from tests.served import BIN, PROJECT, embedded_env, manage

ROWS = 5
DEADLINE_SECONDS = 60

SCHEDULE = """
from django_celery_beat.models import IntervalSchedule
from ingest.models import IngestSource
from ingest.services.sources import save_source
every_second = IntervalSchedule.objects.create(every=1, period=IntervalSchedule.SECONDS)
save_source(IngestSource(name="Pledges", adapter="csv", location={path!r}, interval=every_second))
"""


def runs(database: Path) -> list[tuple[str, str, int]]:
    with sqlite3.connect(database) as connection:
        return connection.execute(
            "SELECT trigger, status, created FROM ingest_ingestrun ORDER BY id"
        ).fetchall()


def test_the_embedded_worker_runs_scheduled_ingest_from_its_file_queue(tmp_path: Path):
    env = embedded_env(tmp_path)
    database = tmp_path / "served.sqlite3"
    pledges = tmp_path / "pledges.csv"
    pledges.write_text(
        "donor,date,category,measure,amount,currency\n"
        + "".join(f"Germany,2025-07-{day:02d},military,pledge,{day},EUR\n" for day in range(1, 6))
    )
    manage(env, "migrate", "--noinput", "--verbosity", "0")
    manage(env, "load_scenario")
    manage(env, "shell", "-c", SCHEDULE.format(path=str(pledges)))

    log = tmp_path / "worker.log"
    with log.open("wb") as output:
        worker = subprocess.Popen(
            [str(BIN / "celery"), "-A", "config", "worker", "--beat", "--pool", "solo"],
            cwd=PROJECT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        deadline = time.monotonic() + DEADLINE_SECONDS
        while not any(status == "succeeded" for _, status, _ in runs(database)):
            if worker.poll() is not None or time.monotonic() > deadline:
                pytest.fail("no scheduled run succeeded:\n" + log.read_text()[-4000:])
            time.sleep(0.5)
    finally:
        os.killpg(worker.pid, signal.SIGTERM)
        worker.wait(timeout=30)

    finished = [run for run in runs(database) if run[1] == "succeeded"]
    assert finished[0] == ("schedule", "succeeded", ROWS)
    # Later runs of the schedule find everything in the ledger already.
    assert all(created == 0 for _, _, created in finished[1:])
    with sqlite3.connect(database) as connection:
        (entries,) = connection.execute(
            "SELECT count(*) FROM ledger_ledgerentry WHERE idempotency_key LIKE 'csv:%'"
        ).fetchone()
    assert entries == ROWS
    assert (tmp_path / "celery" / "queue").is_dir()  # the file queue, not a server
