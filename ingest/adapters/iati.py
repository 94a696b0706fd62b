"""Placeholder until the adapter lands."""

from collections.abc import Iterator

from ingest.adapters.base import Document, ReadContext, Record


class _Adapter:
    name = "iati"

    def read(self, document: Document, context: ReadContext) -> Iterator[Record]:
        raise NotImplementedError


ADAPTER = _Adapter()
