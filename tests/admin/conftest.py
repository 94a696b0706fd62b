"""Logged-in clients for the three kinds of admin user, and the world the samples use.

Editors and viewers are plain staff users put in the groups migration 0005 creates, so
these tests check the permissions those groups really grant."""

from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.test import Client

from tests.admin.helpers import SAMPLES, Sample, World


def _client_for(username: str, *, group: str | None = None, superuser: bool = False) -> Client:
    users: Any = get_user_model()._default_manager
    if superuser:
        user = users.create_superuser(username=username, password="unused-password")
    else:
        user = users.create_user(username=username, password="unused-password", is_staff=True)
    if group is not None:
        user.groups.add(Group.objects.get(name=group))
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def editor_client(db: None) -> Client:
    return _client_for("erin.editor", group="editor")


@pytest.fixture
def viewer_client(db: None) -> Client:
    return _client_for("victor.viewer", group="viewer")


@pytest.fixture
def superuser_client(db: None) -> Client:
    return _client_for("sam.superuser", superuser=True)


@pytest.fixture
def world(ukraine, united_states, source, commitment) -> World:
    return World(ukraine=ukraine, united_states=united_states, source=source, commitment=commitment)


@pytest.fixture
def sample_of(world: World) -> Any:
    """``sample_of(Model)``: one row of that model, made through the services."""

    def make(model: Any) -> Sample:
        assert model in SAMPLES, (
            f"{model.__name__} is registered in the admin but tests/admin/helpers.py has no "
            "sample for it: add one to SAMPLES so its pages are tested like the others."
        )
        return SAMPLES[model](world)

    return make
