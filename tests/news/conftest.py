"""Fixtures for the news tests: the loopback HTTP server and committed-data fixtures of
the ingest tests, and the stand-in extractor (``tests.news.feeds``)."""

from typing import Any

import pytest

from tests.ingest.conftest import (  # noqa: F401 (fixtures)
    _reset_maintenance,
    live_db,
    loopback_server,
    test_database,
)
from tests.news.feeds import EXTRACTOR


@pytest.fixture
def pledge_extractor(settings: Any) -> None:
    """Runs extract with the stand-in extractor."""
    settings.NEWS_EXTRACTOR = EXTRACTOR
