"""Pages cached per ledger revision: an unchanged ledger answers from the cache.

The key holds the page's path, its parameters as given (normalised: sorted, trimmed, the
currency in capitals, unknown names dropped), today's date (a page without ``as_of``
judges pauses on today) and the ledger's revision. A new fact moves the revision, so a
page is never served stale; old keys simply expire. Django's cache is Redis when
REDIS_URL is set (shared by the web processes), memory otherwise.
"""

import logging
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from hashlib import blake2b
from typing import Any

from django.core.cache import cache

from api.throttling import CACHE_ERRORS

logger = logging.getLogger(__name__)

# Long enough to serve a quiet ledger all day; the revision, not the timeout, ends a page.
TIMEOUT_SECONDS = 24 * 3600
PREFIX = "pages:v1:"


def normalised_params(query: Mapping[str, str], names: Iterable[str]) -> list[tuple[str, str]]:
    """The parameters among ``names`` that were given, as a page sees them."""
    params = []
    for name in sorted(names):
        value = query.get(name, "").strip()
        if name == "currency":
            value = value.upper()
        if value:
            params.append((name, value))
    return params


def page_key(*, path: str, params: list[tuple[str, str]], revision: str) -> str:
    today = datetime.now(UTC).date().isoformat()
    text = "|".join([path, today, revision, *(f"{n}={v}" for n, v in params)])
    return PREFIX + blake2b(text.encode(), digest_size=16).hexdigest()


def cached(key: str) -> Any:
    """What the cache holds under ``key``; None when it holds nothing or does not answer:
    a page is then computed, as without a cache (Redis down costs speed, not pages)."""
    try:
        return cache.get(key)
    except CACHE_ERRORS as error:
        logger.warning("The pages' cache does not answer (%s: %s)", type(error).__name__, error)
        return None


def keep(key: str, value: object, timeout: int = TIMEOUT_SECONDS) -> None:
    try:
        cache.set(key, value, timeout)
    except CACHE_ERRORS as error:
        logger.warning("The pages' cache does not answer (%s: %s)", type(error).__name__, error)


def cached_page(key: str) -> bytes | None:
    value = cached(key)
    return value if isinstance(value, bytes) else None


def store_page(key: str, content: bytes) -> None:
    keep(key, content)
