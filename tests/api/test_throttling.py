"""Rate limits, through the test client with the client address it would see: anonymous
callers by address (X-Forwarded-For only believed from TRUSTED_PROXY_COUNT proxies),
refused keys like anonymous callers and before their lookup, and valid keys per key at a
rate of their own. Each test counts in a cache of its own (see conftest)."""

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from api.models import ApiKey
from api.throttling import AnonymousThrottle, ApiKeyThrottle, FailOpenThrottle
from tests.api.base import assert_error
from tests.api.conftest import with_key
from tests.api.world import World

ORGANIZATIONS = "/api/v1/organizations/"
BAD_KEY = "NotAKey.abcdefghijklmnopqrstuvwxyz123456"
# Loopback addresses for the callers: the test client sends nothing anywhere.
PROXY, ALICE, BOB = "127.0.0.1", "127.0.0.2", "127.0.0.3"


@pytest.fixture
def small_rates(monkeypatch: pytest.MonkeyPatch) -> None:
    """3 anonymous requests a minute, 5 per key (DRF reads the rates into the classes)."""
    monkeypatch.setattr(AnonymousThrottle, "rate", "3/minute", raising=False)
    monkeypatch.setattr(ApiKeyThrottle, "rate", "5/minute", raising=False)


@pytest.fixture
def expired_key(db: None) -> str:
    _, key = ApiKey.objects.create_key(
        name="temporary", role="viewer", expiry_date=timezone.now() - timedelta(days=1)
    )
    return key


def read(client: APIClient, address: str, forwarded_for: str | None = None) -> Any:
    headers: dict[str, Any] = {"REMOTE_ADDR": address}
    if forwarded_for is not None:
        headers["HTTP_X_FORWARDED_FOR"] = forwarded_for
    return client.get(ORGANIZATIONS, **headers)


def statuses(client: APIClient, count: int, address: str, **kwargs: Any) -> list[int]:
    return [read(client, address, **kwargs).status_code for _ in range(count)]


# --- client addresses -------------------------------------------------------------------


def test_a_forged_x_forwarded_for_does_not_reset_the_count(
    api: APIClient, world: World, small_rates: None
) -> None:
    """Without trusted proxies (the default) the header is anyone's to send."""
    codes = [read(api, ALICE, forwarded_for=f"127.0.1.{n}").status_code for n in range(5)]
    assert codes == [200, 200, 200, 429, 429]
    assert read(api, BOB).status_code == 200


def test_behind_a_trusted_proxy_the_forwarded_address_is_the_client(
    api: APIClient, world: World, small_rates: None, settings: Any
) -> None:
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}
    assert statuses(api, 4, PROXY, forwarded_for=ALICE) == [200, 200, 200, 429]
    # Bob comes through the same proxy and has his own count; the proxy appends what it
    # saw to whatever the client sent, and only that last address is believed.
    assert read(api, PROXY, forwarded_for=f"{ALICE}, {BOB}").status_code == 200


def test_trusted_proxies_come_from_settings(settings: Any) -> None:
    assert settings.REST_FRAMEWORK["NUM_PROXIES"] == settings.TRUSTED_PROXY_COUNT == 0


# --- refused credentials ----------------------------------------------------------------


def test_refused_keys_are_throttled_like_anonymous_requests(
    world: World, small_rates: None
) -> None:
    guesser = with_key(BAD_KEY)
    for _ in range(3):
        assert_error(read(guesser, ALICE), 401, "authentication_failed")
    response = read(guesser, ALICE)
    assert_error(response, 429, "throttled")
    assert int(response["Retry-After"]) > 0
    # The address has spent its anonymous rate, whoever asks from it next...
    assert read(APIClient(), ALICE).status_code == 429
    # ...and another address has not.
    assert_error(read(guesser, BOB), 401, "authentication_failed")


def test_an_expired_key_counts_as_refused(
    world: World, small_rates: None, expired_key: str
) -> None:
    client = with_key(expired_key)
    assert statuses(client, 4, ALICE) == [401, 401, 401, 429]


def test_anonymous_requests_and_refused_keys_share_the_address_count(
    api: APIClient, world: World, small_rates: None
) -> None:
    assert statuses(api, 2, ALICE) == [200, 200]
    assert read(with_key(BAD_KEY), ALICE).status_code == 401
    assert read(with_key(BAD_KEY), ALICE).status_code == 429


def test_the_429_comes_before_the_key_is_looked_up(
    world: World, small_rates: None, django_assert_num_queries: Any
) -> None:
    guesser = with_key(BAD_KEY)
    statuses(guesser, 3, ALICE)
    with django_assert_num_queries(0):
        assert read(guesser, ALICE).status_code == 429


# --- valid keys -------------------------------------------------------------------------


def test_a_key_has_its_own_rate_per_key(
    viewer_by_key: APIClient, editor_by_key: APIClient, world: World, small_rates: None
) -> None:
    # More than the anonymous rate, up to the key rate, from one address.
    assert statuses(viewer_by_key, 6, ALICE) == [200] * 5 + [429]
    # Another key from the same address counts for itself...
    assert statuses(editor_by_key, 5, ALICE) == [200] * 5
    # ...and a key's requests do not spend its address's anonymous rate.
    assert statuses(APIClient(), 3, ALICE) == [200] * 3


def requests_per_second(throttle: FailOpenThrottle) -> float:
    count, seconds = throttle.parse_rate(throttle.rate)
    assert count is not None
    assert seconds is not None
    return count / seconds


def test_the_key_rate_comes_from_settings_and_exceeds_the_anonymous_one(settings: Any) -> None:
    assert ApiKeyThrottle().rate == settings.API_KEY_THROTTLE_RATE
    assert requests_per_second(ApiKeyThrottle()) > requests_per_second(AnonymousThrottle())


def test_health_probes_are_not_counted(api: APIClient, world: World, small_rates: None) -> None:
    """A probe polling health neither gets 429s nor spends its address's reads."""
    probes = [api.get("/api/v1/health/", REMOTE_ADDR=ALICE).status_code for _ in range(5)]
    assert probes == [200] * 5
    assert statuses(api, 4, ALICE) == [200, 200, 200, 429]
