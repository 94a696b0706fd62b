"""Fixtures of the pages' tests: the seed scenario once per module, and pages as trees."""

from collections.abc import Iterator
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from lxml import html

from tests.api.conftest import kept_for_the_module, load_scenario


def load_scenario_with_rates() -> None:
    """What `make run` loads: the ECB's rates (here those the scenario needs), the scenario."""
    call_command("load_fx_rates", "--since=2022-01-01", "--currencies=USD,GBP", stdout=StringIO())
    load_scenario()


@pytest.fixture(scope="module")
def module_scenario(django_db_setup: None, django_db_blocker: Any) -> Iterator[None]:
    yield from kept_for_the_module(django_db_blocker, load_scenario_with_rates)


@pytest.fixture
def scenario(module_scenario: None, db: None) -> None:
    """The seed scenario as `make run` loads it, once per module."""


def page(client: Client, url: str, *, status: int = 200) -> html.HtmlElement:
    """The page at ``url`` as an element tree, after checking its status."""
    response = client.get(url)
    assert response.status_code == status, response.content.decode()[:2000]
    return html.fromstring(response.content.decode())


def text(element: html.HtmlElement) -> str:
    return " ".join(element.text_content().split())
