"""Clients for each kind of caller (anonymous, editor and viewer users, editor and viewer
API keys), the world the resource tests read, and the seed scenario.

The throttles count in a cache of their own for each test: the shared cache
(Redis under `make test`) would carry counts across tests and across runs, and a suite
of anonymous requests could trip its own throttle."""

import uuid
from collections.abc import Callable, Iterator
from io import StringIO
from typing import Any, TypeVar

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.cache.backends.locmem import LocMemCache
from django.core.management import call_command
from django.db import transaction
from rest_framework.test import APIClient

from api.models import ApiKey
from api.throttling import FailOpenThrottle
from tests.api.world import World, build_world

T = TypeVar("T")


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Each resource class's ``filter_name`` and ``ordering_field`` tests run once per
    filter of its case list and per ordering field of its viewset (see tests/api/base.py)."""
    cls = metafunc.cls
    if cls is None:
        return
    if "filter_name" in metafunc.fixturenames:
        metafunc.parametrize("filter_name", sorted(cls.filters))
    if "ordering_field" in metafunc.fixturenames:
        metafunc.parametrize("ordering_field", list(cls.view.ordering_fields))


@pytest.fixture(autouse=True)
def own_throttle_cache(monkeypatch: pytest.MonkeyPatch) -> Iterator[LocMemCache]:
    """A fresh, private cache for the throttles' counts (see the docstring)."""
    cache = LocMemCache(f"throttle-{uuid.uuid4().hex}", {})
    monkeypatch.setattr(FailOpenThrottle, "cache", cache)
    yield cache
    cache.clear()


def user_in(group: str) -> Any:
    users: Any = get_user_model()._default_manager
    user = users.create_user(username=f"{group}-user")  # no password: logged in by force_login
    user.groups.add(Group.objects.get(name=group))
    return user


def logged_in(user: Any) -> APIClient:
    client = APIClient()
    client.force_login(user)
    return client


def with_key(key: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Api-Key {key}")
    return client


@pytest.fixture
def api(db: None) -> APIClient:
    """An anonymous client."""
    return APIClient()


@pytest.fixture
def editor_user(db: None) -> Any:
    return user_in("editor")


@pytest.fixture
def viewer_user(db: None) -> Any:
    return user_in("viewer")


@pytest.fixture
def editor(editor_user: Any) -> APIClient:
    """A client logged in (by session) as a user in the editor group."""
    return logged_in(editor_user)


@pytest.fixture
def viewer(viewer_user: Any) -> APIClient:
    return logged_in(viewer_user)


@pytest.fixture
def editor_key(db: None) -> str:
    _, key = ApiKey.objects.create_key(name="ingest", role="editor")
    return key


@pytest.fixture
def viewer_key(db: None) -> str:
    _, key = ApiKey.objects.create_key(name="dashboard", role="viewer")
    return key


@pytest.fixture
def editor_by_key(editor_key: str) -> APIClient:
    return with_key(editor_key)


@pytest.fixture
def viewer_by_key(viewer_key: str) -> APIClient:
    return with_key(viewer_key)


@pytest.fixture(params=["session", "api_key"])
def any_editor(request: pytest.FixtureRequest) -> APIClient:
    """An editor, by session and by API key: writes are tested both ways."""
    if request.param == "session":
        return logged_in(request.getfixturevalue("editor_user"))
    return with_key(request.getfixturevalue("editor_key"))


def kept_for_the_module(django_db_blocker: Any, build: Callable[[], T]) -> Iterator[T]:
    """Rows built once for a test module: they live in a transaction around the module,
    and each test's own transaction (a savepoint inside it) undoes what the test wrote."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield build()
        transaction.set_rollback(True)


@pytest.fixture(scope="module")
def module_world(django_db_setup: None, django_db_blocker: Any) -> Iterator[World]:
    yield from kept_for_the_module(django_db_blocker, build_world)


@pytest.fixture
def world(module_world: World, db: None) -> World:
    """The world of tests/api/world.py, built once per module: a module's tests either all
    read it or none does (its rows are there for every test of the module after the first
    that asks for it)."""
    return module_world


def load_scenario() -> None:
    call_command("load_scenario", stdout=StringIO())


@pytest.fixture(scope="module")
def module_scenario(django_db_setup: None, django_db_blocker: Any) -> Iterator[None]:
    yield from kept_for_the_module(django_db_blocker, load_scenario)


@pytest.fixture
def scenario(module_scenario: None, db: None) -> None:
    """The seed scenario as `make run` loads it, once per module (like ``world``)."""


@pytest.fixture
def ecb_rates(db: None) -> None:
    """The ECB's real reference rates for 2025 (from the file the currency package ships)."""
    call_command("load_fx_rates", "--since=2025-01-01", "--currencies=USD,GBP", stdout=StringIO())
