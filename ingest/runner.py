"""Running an ingest: fetch, read with the adapter, write in batches, close the run.

The Celery task, the admin's "run now" and ``manage.py ingest`` all come through here.
Each batch commits with the run's counts, so a run that dies leaves whole batches only,
and the next run finds them in the ledger and carries on with the rest.
"""

import uuid
from collections.abc import Callable, Mapping
from typing import Any

from django.conf import settings
from django.utils import timezone

from ingest.adapters import get_adapter
from ingest.adapters.base import ContentRefused, ReadContext, Record
from ingest.fetch import Fetcher, FetchError, TransientFetchError
from ingest.models import IngestRun, IngestSource
from ingest.services.batches import BatchWriter, dataset_source
from ingest.services.runs import (
    acquire_lease,
    finish_run,
    refuse_document,
    release_lease,
    renew_lease,
    start_run,
)

# Called after each batch with the run (its counts) and the share of the document read.
Progress = Callable[[IngestRun, float | None], None]


def ingest_source(
    source: IngestSource, *, trigger: str, task_id: str = "", progress: Progress | None = None
) -> IngestRun:
    """Run ``source`` under its lease; raises ``SourceBusy`` while another run has it."""
    holder = task_id or uuid.uuid4().hex
    seconds = settings.INGEST_LEASE_SECONDS
    acquire_lease(source, holder=holder, seconds=seconds)
    try:
        run = start_run(
            source=source,
            adapter=source.adapter,
            location=source.location,
            trigger=trigger,
            task_id=task_id,
        )
        return execute(
            run,
            options=source.options,
            title=source.name,
            renew=lambda: renew_lease(source, holder=holder, seconds=seconds),
            progress=progress,
        )
    finally:
        release_lease(source, holder=holder)


def ingest_location(
    adapter: str,
    location: str,
    *,
    options: Mapping[str, Any] | None = None,
    trigger: str = "command",
    progress: Progress | None = None,
) -> IngestRun:
    """Run ``adapter`` over a location that is no configured source (a file at hand)."""
    get_adapter(adapter)  # refuse an unknown adapter before a run is recorded
    run = start_run(adapter=adapter, location=location, trigger=trigger)
    return execute(run, options=options or {}, title=location, progress=progress)


def execute(
    run: IngestRun,
    *,
    options: Mapping[str, Any],
    title: str,
    renew: Callable[[], None] | None = None,
    progress: Progress | None = None,
) -> IngestRun:
    adapter = get_adapter(run.adapter)
    try:
        with Fetcher() as fetcher:
            document = fetcher.fetch(run.location)
            writer = BatchWriter(
                run=run,
                dataset_source=dataset_source(
                    title=f"{adapter.name.upper()} data: {title}",
                    location=run.location,
                    publisher=str(options.get("publisher", "")),
                    retrieved_at=timezone.now(),
                ),
                renew_lease=renew,
            )
            context = ReadContext(options=options, location=run.location, fetch=fetcher.fetch)
            batch: list[Record] = []
            for record in adapter.read(document, context):
                batch.append(record)
                if len(batch) >= settings.INGEST_BATCH_SIZE:
                    writer.write(batch)
                    batch = []
                    if progress:
                        run.refresh_from_db()
                        progress(run, document.share_read())
            writer.write(batch)
            content_hash = fetcher.sha256
    except ContentRefused as refused:
        refuse_document(run, position="document", raw="", reason=str(refused))
        return finish_run(run, error=f"The content was refused: {refused}")
    except TransientFetchError as error:
        finish_run(run, error=f"Fetching failed (will retry): {error}")
        raise
    except FetchError as error:
        return finish_run(run, error=f"Fetching failed: {error}")
    except BaseException as error:
        finish_run(run, error=f"{error.__class__.__name__}: {error}")
        raise
    run = finish_run(run, content_hash=content_hash)
    if progress:
        progress(run, 1.0)
    return run
