"""The adapters, by name: each module turns one kind of published data into records."""

from ingest.adapters import csv, fts, iati, news
from ingest.adapters.base import Adapter

ADAPTERS: dict[str, Adapter] = {
    adapter.name: adapter for adapter in (iati.ADAPTER, fts.ADAPTER, csv.ADAPTER, news.ADAPTER)
}


def get_adapter(name: str) -> Adapter:
    try:
        return ADAPTERS[name]
    except KeyError:
        raise ValueError(f"No adapter {name!r}; use {', '.join(ADAPTERS)}.") from None
