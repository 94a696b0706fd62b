"""Rate limits: anonymous requests and failed authentications by client address, API keys
per key; logged-in users are not limited.

The counts live in the default cache: Redis when ``REDIS_URL`` is set, else each
process's own memory, so without Redis every gunicorn worker counts for itself and a
client gets the rate once per worker. When the cache does not answer, requests pass
uncounted (and the outage is logged once, as is the recovery): reads must not depend on
Redis. The client's address is the connection's unless ``TRUSTED_PROXY_COUNT`` proxies
stand in front, which DRF reads from ``X-Forwarded-For`` (its ``NUM_PROXIES``).
"""

import logging
from typing import Any

from redis.exceptions import RedisError
from rest_framework.exceptions import Throttled
from rest_framework.request import Request
from rest_framework.throttling import AnonRateThrottle, SimpleRateThrottle

from api.models import ApiKey

logger = logging.getLogger(__name__)

# What a cache that does not answer raises: redis-py's errors, and the socket's own.
CACHE_ERRORS = (RedisError, OSError)


class CacheOutage:
    """Whether this process last found the throttle's cache unreachable, so that an
    outage is logged when it begins and when it ends, not once per request."""

    down = False

    @classmethod
    def began(cls, error: Exception) -> None:
        if not cls.down:
            logger.warning(
                "The throttle's cache does not answer (%s: %s); requests pass unthrottled "
                "until it does.",
                type(error).__name__,
                error,
            )
        cls.down = True

    @classmethod
    def ended(cls) -> None:
        if cls.down:
            logger.warning("The throttle's cache answers again; throttling resumes.")
        cls.down = False


class FailOpenThrottle(SimpleRateThrottle):
    """DRF's sliding-window count, with the window's bookkeeping split so that a key can be
    checked without being counted, and letting requests through when the cache fails."""

    # Set by DRF from the rate when there is one (rate None: no limit).
    num_requests: int
    duration: int

    def allow_request(self, request: Request, view: Any) -> bool:
        key = self.get_cache_key(request, view)
        return key is None or self.count(key)

    def count(self, key: str) -> bool:
        """Counts one request under ``key``; False (and not counted) when the rate is spent."""
        return self.within_rate(key, record=True)

    def has_room(self, key: str) -> bool:
        """Whether one more request under ``key`` would be allowed, counting nothing."""
        return self.within_rate(key, record=False)

    def within_rate(self, key: str, *, record: bool) -> bool:
        if self.rate is None:
            return True
        try:
            allowed = self.read_window(key) < self.num_requests
            if allowed and record:
                self.throttle_success()  # adds this request and writes the window back
        except CACHE_ERRORS as error:
            CacheOutage.began(error)
            return True
        CacheOutage.ended()
        return allowed

    def read_window(self, key: str) -> int:
        """Loads ``key``'s requests still inside the window (DRF's ``wait()`` reads them)."""
        self.key = key
        self.history = self.cache.get(key, [])
        self.now = self.timer()
        while self.history and self.history[-1] <= self.now - self.duration:
            self.history.pop()
        return len(self.history)


class AnonymousThrottle(FailOpenThrottle, AnonRateThrottle):
    """Requests with neither a logged-in user nor an API key, by client address."""

    def get_cache_key(self, request: Request, view: Any) -> str | None:
        if isinstance(request.auth, ApiKey):
            return None
        return super().get_cache_key(request, view)

    def address_key(self, request: Request) -> str:
        """The address's count, read without touching ``request.user`` (which would
        authenticate again while authentication is running)."""
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class ApiKeyThrottle(FailOpenThrottle):
    """Requests authenticated by an API key, per key, at the key rate."""

    scope = "api_key"

    def get_cache_key(self, request: Request, view: Any) -> str | None:
        if not isinstance(request.auth, ApiKey):
            return None
        return self.cache_format % {"scope": self.scope, "ident": request.auth.prefix}


def refuse_spent_address(request: Request) -> None:
    """Answers 429 before a key is looked up when its address has spent the anonymous
    rate: guessing keys costs as much as reading anonymously, and no database work."""
    throttle = AnonymousThrottle()
    if not throttle.has_room(throttle.address_key(request)):
        raise Throttled(throttle.wait())


def count_failed_authentication(request: Request) -> None:
    """A refused key counts against its address like an anonymous request."""
    throttle = AnonymousThrottle()
    throttle.count(throttle.address_key(request))
