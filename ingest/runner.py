"""Running an ingest: fetch, read with the adapter, write in batches, close the run.

The Celery task, the admin's "run now" and ``manage.py ingest`` all come through here.
Each batch commits with the run's counts, so a run that dies leaves whole batches only,
and the next run finds them in the ledger and carries on with the rest. A paged adapter's
page ends its batch, so a page that cannot be fetched leaves the pages before it, and the
run records the page and URL it stopped at; a retry of the task resumes from there.
The news adapter's items are articles, which ``ArticleWriter`` stores for review instead.
"""

import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from django.conf import settings
from django.utils import timezone

from ingest.adapters import get_adapter
from ingest.adapters.base import Adapter, ContentRefused, Item, PageEnd, ReadContext
from ingest.database import connection_lost, drop_lost_connections
from ingest.fetch import FetchedDocument, Fetcher, FetchError, TransientFetchError
from ingest.models import AdapterName, IngestRun, IngestSource
from ingest.read_ahead import batches_inline, batches_read_ahead
from ingest.screening import screened
from ingest.services.batches import BatchWriter, dataset_source
from ingest.services.news import ArticleWriter
from ingest.services.runs import (
    acquire_lease,
    finish_run,
    finish_unchanged,
    landed_before,
    refuse_document,
    release_lease,
    renew_lease,
    run_to_resume,
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
    will_retry: bool = False,
) -> IngestRun:
    """Run ``source`` under its lease; raises ``SourceBusy`` while another run has it.

    A transient fetch error raises ``TransientFetchError`` after closing the run only if
    ``will_retry`` (the caller retries: the Celery task, while it has retries left);
    otherwise the run fails with it like with any fetch error. A retry (the same
    ``task_id``) continues a paging from the page its earlier attempt stopped at."""
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
            resumed_from=run_to_resume(source, task_id=task_id),
        )
        return execute(
            run,
            title=source.name,
            renew=lambda: renew_lease(source, holder=holder, seconds=seconds),
            full=full,
            progress=progress,
            will_retry=will_retry,
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


@dataclass
class _Paging:
    """The first page not landed yet (number, URL), and whether the adapter chose to end
    the paging before it."""

    page: int
    url: str
    unfollowed: bool = False

    def landed(self, end: PageEnd) -> None:
        self.page, self.url, self.unfollowed = end.number + 1, end.next_url, not end.followed

    def stop(self) -> tuple[int, str] | None:
        """Where an interrupted paging stopped."""
        return (self.page, self.url) if self.url else None

    def where(self, message: str) -> str:
        """``message``, saying where the paging stopped if pages before it landed."""
        if self.page == 1 or not self.url:
            return message
        stop = "" if message.endswith(".") else "."
        return (
            f"{message}{stop} Stopped at page {self.page} ({self.url}); the pages before it landed."
        )


def _first_page(run: IngestRun) -> _Paging:
    """Page 1 at the run's location, or where the run it resumes stopped."""
    earlier = run.resumed_from
    if earlier is not None and earlier.stopped_at_page is not None:
        return _Paging(page=earlier.stopped_at_page, url=earlier.stopped_at_url)
    return _Paging(page=1, url=run.location)


def execute(
    run: IngestRun,
    *,
    title: str,
    renew: Callable[[], None] | None = None,
    full: bool = False,
    progress: Progress | None = None,
    will_retry: bool = False,
) -> IngestRun:
    """Fetch and read the run's content and write it in batches (a paged adapter's pages
    each end a batch). Unless ``full``, content identical to what an earlier run landed
    whole (same adapter, location and options) is not read again: its records are all in
    the ledger, which forgets nothing; a conditional adapter's request carries the
    validators of that earlier run, and a 304 answer says the same."""
    adapter = get_adapter(run.adapter)
    paging = _first_page(run)
    first_page = paging.page
    try:
        with Fetcher() as fetcher:
            version = None if full or not adapter.conditional else landed_before(run)
            document = fetcher.fetch(
                paging.url, validators=version.validators if version is not None else None
            )
            unchanged = _unchanged(run, document, version, adapter, full)
            if unchanged is not None:
                if progress:
                    progress(unchanged, 1.0)
                return unchanged
            context = ReadContext(
                options=run.options,
                location=run.location,
                fetch=fetcher.fetch,
                first_page=first_page,
            )
            items = screened(adapter.read(document, context))
            writer, batches = _writing(run, adapter, context, items, title, renew)
            for batch in batches:
                writer.write([item for item in batch if not isinstance(item, PageEnd)])
                if batch and isinstance(batch[-1], PageEnd):
                    paging.landed(batch[-1])
                if progress:
                    run.refresh_from_db()
                    progress(run, document.share_read())
            # A paged read's hash covers every page; another's, its document alone (a
            # feed's articles are fetched only when new, so they are not its content).
            content_hash = fetcher.sha256 if adapter.paged else document.sha256
    except ContentRefused as refused:
        position = f"page {paging.page}" if paging.page > 1 else "document"
        refuse_document(run, position=position, raw="", reason=str(refused))
        return _failed(run, paging, f"The content was refused: {refused}", adapter.paged)
    except TransientFetchError as error:
        if not will_retry:
            return _failed(run, paging, f"Fetching failed: {error}", adapter.paged)
        _failed(run, paging, f"Fetching failed (will retry): {error}", adapter.paged)
        raise
    except FetchError as error:
        return _failed(run, paging, f"Fetching failed: {error}", adapter.paged)
    except BaseException as error:
        if connection_lost(error):
            # Recorded on a new connection; the task retries the run (ingest/tasks.py).
            drop_lost_connections()
            retry = " (will retry)" if will_retry else ""
            _failed(run, paging, f"Database connection lost{retry}: {error}", adapter.paged)
        else:
            _failed(run, paging, f"{error.__class__.__name__}: {error}", adapter.paged)
        raise
    stop = paging.stop() if paging.unfollowed else None
    run = finish_run(
        run, content_hash=content_hash, stopped_at=stop, validators=document.validators
    )
    if progress:
        progress(run, 1.0)
    return run


class _Writer(Protocol):
    def write(self, items: Sequence[Any]) -> None: ...


def _writing(
    run: IngestRun,
    adapter: Adapter,
    context: ReadContext,
    items: Iterable[Item],
    title: str,
    renew: Callable[[], None] | None,
) -> tuple[_Writer, Iterator[list[Item]]]:
    """What writes the run's items, and the items in the batches it writes."""
    if adapter.name == AdapterName.NEWS:
        # Articles, not ledger entries. Read in this thread: the adapter asks which links
        # are stored (``known``), and must see the batches written before.
        articles = ArticleWriter(run=run, renew_lease=renew)
        context.known = articles.stored
        return articles, batches_inline(items, size=settings.NEWS_BATCH_SIZE)
    writer = BatchWriter(
        run=run,
        dataset_source=dataset_source(
            title=f"{adapter.name.upper()} data: {title}",
            location=run.location,
            publisher=str(run.options.get("publisher", "")),
            retrieved_at=timezone.now(),
        ),
        renew_lease=renew,
    )
    return writer, batches_read_ahead(
        items, size=settings.INGEST_BATCH_SIZE, ends_batch=_is_page_end
    )


def _unchanged(
    run: IngestRun,
    document: FetchedDocument,
    version: IngestRun | None,
    adapter: Adapter,
    full: bool,
) -> IngestRun | None:
    """The run closed as unchanged if its content is what an earlier run landed whole:
    the server answered 304 to that run's validators, or the content has its hash."""
    if document.not_modified and version is not None:
        return finish_unchanged(
            run, version, content_hash=version.content_hash, validators=document.validators
        )
    earlier = None if full or adapter.paged else landed_before(run, document.sha256)
    if earlier is None:
        return None
    return finish_unchanged(
        run, earlier, content_hash=document.sha256, validators=document.validators
    )


def _is_page_end(item: Item) -> bool:
    return isinstance(item, PageEnd)


def _failed(run: IngestRun, paging: _Paging, error: str, paged: bool) -> IngestRun:
    if not paged:
        return finish_run(run, error=error)
    return finish_run(run, error=paging.where(error), stopped_at=paging.stop())
