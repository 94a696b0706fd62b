"""Finding candidate ledger updates in news text (see ``base`` for the interface)."""

from news.extraction.base import Extractor


def default_extractor() -> Extractor:
    """The extractor the ingest runs: the rules (``news.extraction.rules``)."""
    raise NotImplementedError
