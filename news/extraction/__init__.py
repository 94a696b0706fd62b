"""Finding candidate ledger updates in news text (see ``base`` for the interface)."""

from news.extraction.base import Extractor
from news.extraction.language import not_english_reason

__all__ = ["Extractor", "default_extractor", "not_english_reason"]


def default_extractor() -> Extractor:
    """The extractor the ingest runs: the rules (``news.extraction.rules``)."""
    from news.extraction.rules import RulesExtractor  # spaCy loads only when one is made

    return RulesExtractor()
