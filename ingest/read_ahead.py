"""Reading the next batch while the current one is written.

The adapter's parsing is Python work and the batch's writing is mostly waiting for the
database, which runs on another core: a thread that reads ahead overlaps the two. At most
``depth`` batches wait in the queue, so memory stays bounded however large the content.
"""

import threading
from collections.abc import Callable, Iterable, Iterator
from queue import Empty, Full, Queue
from typing import TypeVar

T = TypeVar("T")

_END = object()
_POLL_SECONDS = 0.1


def batches_read_ahead(
    items: Iterable[T],
    *,
    size: int,
    depth: int = 2,
    ends_batch: Callable[[T], bool] = lambda item: False,
) -> Iterator[list[T]]:
    """``items`` in lists of ``size`` (the last may be shorter or empty), produced by a
    thread of their own; an item for which ``ends_batch`` is true ends its list early (a
    page's end). An exception raised while reading is raised here, in order, after the
    lists read before it; if the caller stops early, the reader stops at its next batch."""
    queue: Queue[object] = Queue(maxsize=depth)
    stopped = threading.Event()

    def put(item: object) -> bool:
        while not stopped.is_set():
            try:
                queue.put(item, timeout=_POLL_SECONDS)
                return True
            except Full:
                continue
        return False

    def read() -> None:
        try:
            batch: list[T] = []
            for item in items:
                batch.append(item)
                if len(batch) >= size or ends_batch(item):
                    if not put(batch):
                        return
                    batch = []
            if put(batch):
                put(_END)
        except BaseException as error:  # handed to the caller, who raises it
            put(error)

    reader = threading.Thread(target=read, name="ingest-read-ahead", daemon=True)
    reader.start()
    try:
        while True:
            try:
                item = queue.get(timeout=_POLL_SECONDS)
            except Empty:
                if not reader.is_alive() and queue.empty():
                    raise RuntimeError("The reader stopped without finishing.") from None
                continue
            if item is _END:
                return
            if isinstance(item, BaseException):
                raise item
            yield item  # type: ignore[misc]
    finally:
        stopped.set()
        reader.join()


def batches_inline(
    items: Iterable[T], *, size: int, ends_batch: Callable[[T], bool] = lambda item: False
) -> Iterator[list[T]]:
    """The same lists as ``batches_read_ahead``, read in the caller's thread: for an
    adapter that asks the database while it reads, whose answers must see the batches
    the caller wrote (another thread has a connection, and a transaction, of its own)."""
    batch: list[T] = []
    for item in items:
        batch.append(item)
        if len(batch) >= size or ends_batch(item):
            yield batch
            batch = []
    yield batch
