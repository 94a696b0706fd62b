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
from ingest.adapters.base import ContentRefused, ReadContext
from ingest.fetch import Fetcher, FetchError, TransientFetchError
from ingest.models import IngestRun, IngestSource
from ingest.read_ahead import batches_read_ahead
from ingest.screening import screened
from ingest.services.batches import BatchWriter, dataset_source
from ingest.services.runs import (
    acquire_lease,
    finish_run,
    finish_unchanged,
    landed_before,
    refuse_document,
    release_lease,
    renew_lease,
    start_run,
)

# Called after each batch with the run (its counts) and the share of the document read.
Progress = Callable[[IngestRun, float | None], None]


def ingest_source(
    source: IngestSource,
    *,
    trigger: str,
    task_id: str = "",
    full: bool = False,
    progress: Progress | None = None,
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
            options=source.options,
        )
        return execute(
            run,
            title=source.name,
            renew=lambda: renew_lease(source, holder=holder, seconds=seconds),
            full=full,
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
    full: bool = False,
    progress: Progress | None = None,
) -> IngestRun:
    """Run ``adapter`` over a location that is no configured source (a file at hand)."""
    get_adapter(adapter)  # refuse an unknown adapter before a run is recorded
    run = start_run(adapter=adapter, location=location, trigger=trigger, options=options or {})
    return execute(run, title=location, full=full, progress=progress)


def execute(
    run: IngestRun,
    *,
    title: str,
    renew: Callable[[], None] | None = None,
    full: bool = False,
    progress: Progress | None = None,
) -> IngestRun:
    """Fetch and read the run's content and write it in batches. Unless ``full``, content
    identical to what an earlier run landed whole (same adapter, location and options) is
    not read again: its records are all in the ledger, which forgets nothing."""
    adapter = get_adapter(run.adapter)
    options = run.options
    try:
        with Fetcher() as fetcher:
            document = fetcher.fetch(run.location)
            earlier = None if full or adapter.paged else landed_before(run, document.sha256)
            if earlier is not None:
                run = finish_unchanged(run, earlier, content_hash=document.sha256)
                if progress:
                    progress(run, 1.0)
                return run
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
            records = screened(adapter.read(document, context))
            for batch in batches_read_ahead(records, size=settings.INGEST_BATCH_SIZE):
                writer.write(batch)
                if progress:
                    run.refresh_from_db()
                    progress(run, document.share_read())
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
