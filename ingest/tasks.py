"""The Celery task that runs an ingest source (beat's schedule and "run now" queue it)."""

from typing import Any

from celery import Task, shared_task
from celery.utils.time import get_exponential_backoff_interval
from django.conf import settings

from ingest.database import connection_lost, drop_lost_connections
from ingest.fetch import TransientFetchError
from ingest.models import IngestSource
from ingest.runner import ingest_source as run_source
from ingest.services.runs import SourceBusy

# A lost database connection is retried sooner than a fetch (a restarted PostgreSQL is
# back in seconds): after up to 5 s, then 10, 20 ... (full jitter), at most 5 minutes.
DATABASE_RETRY_BACKOFF = 5
DATABASE_RETRY_BACKOFF_MAX = 300


@shared_task(
    bind=True,
    name="ingest.tasks.ingest_source",
    # Only a fetch that may succeed later is retried; a bad file would fail again.
    autoretry_for=(TransientFetchError,),
    retry_backoff=30,
    retry_backoff_max=1800,
    retry_jitter=True,
    max_retries=5,
)
def ingest_source(self: Task, source_id: int, trigger: str = "schedule") -> dict[str, Any] | None:
    try:
        source = IngestSource.objects.filter(pk=source_id).first()
        if source is None or (trigger == "schedule" and not source.enabled):
            return None
        run = run_source(
            source,
            trigger=trigger,
            task_id=self.request.id or "",
            # Only while retries are left does a transient fetch error raise (and say so).
            will_retry=self.max_retries is None or self.request.retries < self.max_retries,
        )
    except SourceBusy as busy:
        # One run per source: wait for the lease to end (a killed worker's expires).
        try:
            raise self.retry(
                countdown=busy.retry_after + 1, max_retries=settings.INGEST_BUSY_RETRIES
            ) from busy
        finally:
            # Celery keeps that limit on the task object, which every task of this worker
            # process shares, and autoretry would apply it to the next transient fetch
            # error's retries (INGEST_BUSY_RETRIES of them instead of max_retries).
            vars(self).pop("override_max_retries", None)
    except Exception as error:
        if not connection_lost(error):
            raise
        # Transient: on a new connection the task runs again, and its run carries on after
        # the last batch committed (the records before it are in the ledger already).
        drop_lost_connections()
        raise self.retry(exc=error, countdown=database_retry_countdown(self)) from error
    return {"run": run.pk, "status": run.status, **run.counts}


def database_retry_countdown(task: Task) -> int:
    return get_exponential_backoff_interval(
        factor=DATABASE_RETRY_BACKOFF,
        retries=task.request.retries,
        maximum=DATABASE_RETRY_BACKOFF_MAX,
        full_jitter=True,
    )
