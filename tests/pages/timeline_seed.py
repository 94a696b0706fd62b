"""The seed scenario with the ECB's 2025 rates, loaded once per test module, for the
timeline and coordination page tests; and reading a rendered page as text."""

import html
import re
from collections.abc import Iterator
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client

from tests.api.conftest import kept_for_the_module


def seed() -> None:
    call_command("load_scenario", stdout=StringIO())
    call_command("load_fx_rates", "--since=2025-01-01", "--currencies=USD,GBP", stdout=StringIO())


@pytest.fixture(scope="module")
def module_seed(django_db_setup: None, django_db_blocker: Any) -> Iterator[None]:
    yield from kept_for_the_module(django_db_blocker, seed)


@pytest.fixture
def seeded(module_seed: None, db: None) -> None:
    """The seed scenario and the ECB's 2025 rates, once per module."""


def page_text(client: Client, path: str, *, status: int = 200, **params: str) -> str:
    """The page's visible text, whitespace collapsed, entities decoded (the SVG's labels
    included: they are its text alternative for screen readers)."""
    response = client.get(path, params)
    assert response.status_code == status, response.content[:2000]
    body = response.content.decode()
    labels = " ".join(re.findall(r'aria-label="([^"]*)"', body))
    text = re.sub(r"<[^>]+>", " ", body)
    return " ".join(html.unescape(f"{text} {labels}").split())
