"""The Celery task that runs an ingest source (beat's schedule and "run now" queue it)."""

from typing import Any

from celery import Task, shared_task
from django.conf import settings

from ingest.fetch import TransientFetchError
from ingest.models import IngestSource
from ingest.runner import ingest_source as run_source
from ingest.services.runs import SourceBusy


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
    source = IngestSource.objects.filter(pk=source_id).first()
    if source is None or (trigger == "schedule" and not source.enabled):
        return None
    try:
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
    return {"run": run.pk, "status": run.status, **run.counts}
