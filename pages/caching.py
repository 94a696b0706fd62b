"""Pages cached per ledger revision: an unchanged ledger answers from the cache.

The key holds the page's path, its parameters as given (normalised: sorted, trimmed, the
currency in capitals, unknown names dropped), today's date (a page without ``as_of``
judges pauses on today) and the ledger's revision. A new fact moves the revision, so a
page is never served stale; old keys simply expire. Django's cache is Redis when
REDIS_URL is set (shared by the web processes), memory otherwise.
"""

from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from hashlib import blake2b

from django.core.cache import cache

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


def cached_page(key: str) -> bytes | None:
    value = cache.get(key)
    return value if isinstance(value, bytes) else None


def store_page(key: str, content: bytes) -> None:
    cache.set(key, content, TIMEOUT_SECONDS)
