"""Who may do what: anyone reads (unless API_READ_REQUIRES_AUTHENTICATION), only editors
write, by session or by API key; a bad key is refused even where no key is needed; and
anonymous callers are throttled while identified ones are not."""

from datetime import timedelta
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone
from rest_framework.test import APIClient

from api.models import ApiKey
from api.throttling import AnonymousThrottle
from ledger.models import Organization
from tests.api.base import assert_error
from tests.api.conftest import logged_in, with_key
from tests.api.world import World

ORGANIZATIONS = "/api/v1/organizations/"
NEW = {"name": "Caritas", "kind": "ngo"}


def create(client: APIClient) -> Any:
    return client.post(ORGANIZATIONS, NEW, format="json")


# --- writing ----------------------------------------------------------------------------


def test_an_anonymous_write_is_401_asking_for_an_api_key(api: APIClient, world: World) -> None:
    response = create(api)
    assert_error(response, 401, "not_authenticated")
    assert response["WWW-Authenticate"] == "Api-Key"


def test_a_viewer_may_not_write(viewer: APIClient, world: World) -> None:
    body = assert_error(create(viewer), 403, "permission_denied")
    assert "editor" in body["message"]


def test_a_viewer_key_may_not_write(viewer_by_key: APIClient, world: World) -> None:
    assert_error(create(viewer_by_key), 403, "permission_denied")


def test_a_user_in_no_group_may_not_write(world: World) -> None:
    users: Any = get_user_model()._default_manager
    assert_error(create(logged_in(users.create_user(username="nobody"))), 403)


@pytest.mark.parametrize("client_name", ["editor", "editor_by_key"])
def test_editors_write(request: pytest.FixtureRequest, world: World, client_name: str) -> None:
    client: APIClient = request.getfixturevalue(client_name)
    assert create(client).status_code == 201


def test_a_superuser_writes_without_being_in_the_group(world: World) -> None:
    users: Any = get_user_model()._default_manager
    admin = users.create_superuser(username="root", email="root@example.org", password=None)
    assert create(logged_in(admin)).status_code == 201


def test_refused_writes_write_nothing(
    api: APIClient, viewer: APIClient, viewer_by_key: APIClient, world: World
) -> None:
    for client in (api, viewer, viewer_by_key):
        create(client)
    assert not Organization.objects.filter(name="Caritas").exists()


@pytest.mark.parametrize("path", ["entries/1/reverse/", "pauses/1/resume/"])
def test_actions_need_an_editor_too(
    api: APIClient, viewer: APIClient, world: World, path: str
) -> None:
    assert_error(api.post(f"/api/v1/{path}", {}, format="json"), 401)
    assert_error(viewer.post(f"/api/v1/{path}", {}, format="json"), 403)


# --- keys -------------------------------------------------------------------------------


def test_an_unknown_key_is_401(world: World) -> None:
    client = with_key("NotAKey.abcdefghijklmnopqrstuvwxyz123456")
    assert_error(create(client), 401, "authentication_failed")


def test_a_revoked_editor_key_is_401(world: World) -> None:
    api_key, key = ApiKey.objects.create_key(name="old ingest", role="editor")
    api_key.revoked = True
    api_key.save()
    response = create(with_key(key))
    assert_error(response, 401, "authentication_failed")
    assert response["WWW-Authenticate"] == "Api-Key"


def test_an_expired_editor_key_is_401(world: World) -> None:
    _, key = ApiKey.objects.create_key(
        name="temporary", role="editor", expiry_date=timezone.now() - timedelta(days=1)
    )
    body = assert_error(create(with_key(key)), 401, "authentication_failed")
    assert "expired" in body["message"]


def test_a_bad_key_is_refused_even_for_a_public_read(world: World) -> None:
    """A typo in a key must not turn a client into an anonymous one without telling it."""
    response = with_key("NotAKey.abcdefghijklmnopqrstuvwxyz123456").get(ORGANIZATIONS)
    assert_error(response, 401, "authentication_failed")


def test_an_editor_key_for_another_keyword_is_not_read(editor_key: str, world: World) -> None:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {editor_key}")
    assert_error(create(client), 401, "not_authenticated")


# --- reading ----------------------------------------------------------------------------


@pytest.mark.parametrize("client_name", ["api", "viewer", "viewer_by_key", "editor_by_key"])
def test_anyone_reads_by_default(
    request: pytest.FixtureRequest, world: World, client_name: str
) -> None:
    client: APIClient = request.getfixturevalue(client_name)
    assert client.get(ORGANIZATIONS).status_code == 200
    assert client.get("/api/v1/summary/").status_code == 200


@pytest.mark.parametrize(
    "path", ["organizations/", "entries/", "summary/", "timeline/", "commitments/?format=csv"]
)
def test_reads_can_be_closed_to_anonymous_callers(
    api: APIClient,
    viewer_by_key: APIClient,
    viewer: APIClient,
    world: World,
    settings: Any,
    path: str,
) -> None:
    settings.API_READ_REQUIRES_AUTHENTICATION = True
    response = api.get(f"/api/v1/{path}")
    assert response.status_code in {401, 403}
    assert response.status_code == 401  # the API-key scheme asks for credentials
    assert response["WWW-Authenticate"] == "Api-Key"
    assert viewer_by_key.get(f"/api/v1/{path}").status_code == 200
    assert viewer.get(f"/api/v1/{path}").status_code == 200


def test_closed_reads_still_answer_in_the_error_shape(
    api: APIClient, world: World, settings: Any
) -> None:
    settings.API_READ_REQUIRES_AUTHENTICATION = True
    assert_error(api.get(ORGANIZATIONS, HTTP_ACCEPT="application/json"), 401, "not_authenticated")


# --- throttling -------------------------------------------------------------------------


@pytest.fixture
def three_a_minute(monkeypatch: pytest.MonkeyPatch) -> None:
    """A low anonymous rate. DRF reads the rates once, into the throttle class, so the
    class is patched rather than settings.REST_FRAMEWORK; each test counts in a cache of
    its own (see conftest)."""
    monkeypatch.setattr(AnonymousThrottle, "rate", "3/minute", raising=False)


def test_anonymous_callers_are_throttled(
    api: APIClient, world: World, three_a_minute: None
) -> None:
    for _ in range(3):
        assert api.get(ORGANIZATIONS).status_code == 200
    response = api.get(ORGANIZATIONS)
    body = assert_error(response, 429, "throttled")
    assert "available in" in body["message"]
    assert int(response["Retry-After"]) > 0


@pytest.mark.parametrize("client_name", ["viewer_by_key", "editor_by_key", "viewer"])
def test_identified_callers_are_not_throttled(
    request: pytest.FixtureRequest, world: World, three_a_minute: None, client_name: str
) -> None:
    client: APIClient = request.getfixturevalue(client_name)
    for _ in range(6):
        assert client.get(ORGANIZATIONS).status_code == 200


def test_the_default_anonymous_rate_comes_from_settings(settings: Any) -> None:
    assert AnonymousThrottle().rate == settings.API_ANON_THROTTLE_RATE
