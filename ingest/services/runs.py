"""Runs and the lease that keeps one run per source at a time.

The lease is a row update, not a lock held by a connection or a Celery ``inspect()``: it
works on every database, survives the run's many transactions, and a worker killed in the
middle of a run simply stops renewing it, so it expires and the next run takes over.
"""

from collections.abc import Mapping, Sequence
from datetime import timedelta
from typing import Any

from django.db.models import F, Q
from django.utils import timezone

from ingest.adapters.base import Rejection
from ingest.fetch import Validators
from ingest.models import IngestRun, IngestSource, RejectedRecord, RunStatus
from ingest.screening import storable


class SourceBusy(Exception):
    """Another run holds the source's lease; ``retry_after`` is when it expires (seconds)."""

    def __init__(self, source: IngestSource, retry_after: float) -> None:
        super().__init__(f"{source} is being ingested by another run.")
        self.retry_after = retry_after


class LeaseLost(Exception):
    """The run's lease expired and another run took the source over."""


def acquire_lease(source: IngestSource, *, holder: str, seconds: int) -> None:
    """Take the source's lease for ``seconds``, or raise ``SourceBusy``."""
    now = timezone.now()
    taken = (
        IngestSource.objects.filter(pk=source.pk)
        .filter(Q(lease_holder="") | Q(lease_expires_at__lt=now) | Q(lease_holder=holder))
        .update(lease_holder=holder, lease_expires_at=now + timedelta(seconds=seconds))
    )
    if not taken:
        expires = (
            IngestSource.objects.filter(pk=source.pk)
            .values_list("lease_expires_at", flat=True)
            .first()
        )
        remaining = (expires - now).total_seconds() if expires else 0
        raise SourceBusy(source, max(remaining, 0))


def renew_lease(source: IngestSource, *, holder: str, seconds: int) -> None:
    renewed = IngestSource.objects.filter(pk=source.pk, lease_holder=holder).update(
        lease_expires_at=timezone.now() + timedelta(seconds=seconds)
    )
    if not renewed:
        raise LeaseLost(f"The lease on {source} was taken over by another run.")


def release_lease(source: IngestSource, *, holder: str) -> None:
    IngestSource.objects.filter(pk=source.pk, lease_holder=holder).update(
        lease_holder="", lease_expires_at=None
    )


def start_run(
    *,
    adapter: str,
    location: str,
    trigger: str,
    source: IngestSource | None = None,
    task_id: str = "",
    options: Mapping[str, Any] | None = None,
    resumed_from: IngestRun | None = None,
) -> IngestRun:
    """A new run; runs of the source that were left running (their worker died, as the
    lease we now hold proves) are marked failed, the next run finishing their work."""
    run = IngestRun.objects.create(
        source=source,
        adapter=adapter,
        location=location,
        trigger=trigger,
        task_id=task_id,
        options=dict(options or {}),
        resumed_from=resumed_from,
    )
    if source is not None:
        IngestRun.objects.filter(source=source, status=RunStatus.RUNNING).exclude(pk=run.pk).update(
            status=RunStatus.FAILED,
            finished_at=timezone.now(),
            error=f"Interrupted: its worker stopped before the end; run {run.pk} took over.",
        )
    return run


def run_to_resume(source: IngestSource, *, task_id: str) -> IngestRun | None:
    """The earlier attempt of this task (a Celery retry keeps its task id) if it failed in
    the middle of a paging: every page before the one it stopped at landed, so the retry
    continues from there."""
    if not task_id:
        return None
    return (
        IngestRun.objects.filter(
            source=source,
            task_id=task_id,
            status=RunStatus.FAILED,
            stopped_at_page__isnull=False,
        )
        .order_by("-id")
        .first()
    )


def refuse_document(run: IngestRun, *, position: str, raw: str, reason: str) -> None:
    """Record that the whole document was refused, as one rejection."""
    RejectedRecord.objects.create(
        run=run,
        position=storable(position)[:500],
        raw=storable(raw[:10_000]),
        reason=storable(reason),
    )
    IngestRun.objects.filter(pk=run.pk).update(rejected=F("rejected") + 1)


def count_batch(
    run: IngestRun,
    *,
    seen: int,
    created: int,
    unchanged: int,
    rejections: Sequence[Rejection],
    corrected: int = 0,
) -> None:
    """Keep a batch's rejections and add its counts to the run's, in the batch's
    transaction (so the counts always match what landed)."""
    RejectedRecord.objects.bulk_create(
        RejectedRecord(
            run=run,
            position=storable(r.position)[:500],
            raw=storable(r.raw),
            reason=storable(r.reason),
        )
        for r in rejections
    )
    IngestRun.objects.filter(pk=run.pk).update(
        seen=F("seen") + seen,
        created=F("created") + created,
        unchanged=F("unchanged") + unchanged,
        corrected=F("corrected") + corrected,
        rejected=F("rejected") + len(rejections),
    )


def finish_run(
    run: IngestRun,
    *,
    content_hash: str = "",
    error: str = "",
    stopped_at: tuple[int, str] | None = None,
    validators: Validators | None = None,
) -> IngestRun:
    """Close the run with its status: failed on an error or when every record was
    rejected, partially succeeded when some were, else succeeded. ``stopped_at`` is the
    page (number, URL) a paging ended at before its last page; ``validators`` are those
    the server sent with the content."""
    run.refresh_from_db()
    landed = run.created + run.unchanged + run.corrected
    if error:
        status = RunStatus.FAILED
    elif run.rejected and not landed:
        status, error = RunStatus.FAILED, "Every record was rejected."
    elif run.rejected:
        status = RunStatus.PARTIALLY_SUCCEEDED
    else:
        status = RunStatus.SUCCEEDED
    run.status = status
    run.error = storable(error)
    run.content_hash = content_hash or run.content_hash
    run.finished_at = timezone.now()
    if stopped_at is not None:
        run.stopped_at_page, run.stopped_at_url = stopped_at[0], stopped_at[1][:2000]
    if validators is not None:
        run.etag, run.last_modified = validators.etag[:500], validators.last_modified[:100]
    run.save(
        update_fields=[
            "etag",
            "last_modified",
            "status",
            "error",
            "content_hash",
            "finished_at",
            "stopped_at_page",
            "stopped_at_url",
        ]
    )
    return run


def landed_before(run: IngestRun, content_hash: str = "") -> IngestRun | None:
    """The latest earlier run that read the same content (any, without ``content_hash``)
    with the same adapter, location and options, and landed every record of it (it
    succeeded, rejecting none)."""
    runs = IngestRun.objects.filter(
        adapter=run.adapter,
        location=run.location,
        options=run.options,
        status=RunStatus.SUCCEEDED,
    )
    if content_hash:
        runs = runs.filter(content_hash=content_hash)
    return runs.exclude(pk=run.pk).order_by("-id").first()


def finish_unchanged(
    run: IngestRun, earlier: IngestRun, *, content_hash: str, validators: Validators
) -> IngestRun:
    """Close a run whose content is the same as ``earlier``'s: each of its records is in
    the ledger as it was then (entries are never updated or deleted), so unchanged."""
    IngestRun.objects.filter(pk=run.pk).update(
        seen=earlier.seen,
        unchanged=earlier.created + earlier.unchanged + earlier.corrected,
        same_as=earlier.same_as_id or earlier.pk,
    )
    return finish_run(run, content_hash=content_hash, validators=validators)
