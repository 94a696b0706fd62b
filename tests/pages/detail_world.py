"""The seed scenario plus a few facts of our own, for the donor and commitment pages.

The scenario (with the ECB's dollar and pound rates, as `make run` loads it) gives the
United States a commitment without entries and a pause of its
military aid (30 June to 7 July 2025), and the Rome conference a $12 billion pledge. We
add, through the services as every edge writes: a U.S. military
commitment with a commitment entry, an allocation recorded by mistake and its reversal,
a further source for the commitment entry and, last, a disbursement, so that a
``known_at`` taken just before it hides the disbursement alone.
"""

import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import pytest
from django.core.cache import cache
from django.utils import timezone

from ledger import scenario, services
from ledger.models import Commitment, LedgerEntry, Organization, Pause, Source
from tests.api.conftest import kept_for_the_module
from tests.pages.conftest import load_scenario_with_rates

# Sentences written for these tests, not quoted from any article.
SHIPMENT_EXCERPT = "The ministry said the first air-defence shipment left the depot in July."
FURTHER_EXCERPT = "A second outlet confirmed the package of one billion dollars."


@dataclass(frozen=True)
class DetailWorld:
    united_states: Organization
    united_kingdom: Organization  # a donor of nothing in the scenario
    conference: Organization
    rome: Commitment
    every_dollar: Commitment
    air_defence: Commitment
    committed: LedgerEntry
    mistaken: LedgerEntry
    reversal: LedgerEntry
    disbursement: LedgerEntry
    pause: Pause
    further: Source
    before_disbursement: datetime


def later() -> None:
    """Let the clock move on, so the next row is recorded strictly later."""
    time.sleep(0.005)


def build() -> DetailWorld:
    load_scenario_with_rates()
    united_states = Organization.objects.get(name=scenario.UNITED_STATES)
    ministry = services.record_source(
        url="https://example.org/ministry/air-defence",
        publisher="Example Ministry",
        title="Air-defence package",
        published_on=date(2025, 6, 2),
        excerpt=SHIPMENT_EXCERPT,
    )
    further = services.record_source(
        url="https://example.org/second-outlet",
        publisher="Second Outlet",
        title="Package confirmed",
        excerpt=FURTHER_EXCERPT,
    )
    services.record_fx_rates(
        rates=[
            ("USD", date(2024, 11, 1), Decimal("1.08")),
            ("USD", date(2025, 6, 2), Decimal("1.1")),
        ],
        source=ministry,
    )
    air_defence = services.create_commitment(
        donor=united_states,
        title="Air-defence package",
        category="military",
        announced_on=date(2025, 6, 2),
        source=ministry,
    )
    committed = services.record_entry(
        commitment=air_defence,
        stage="commitment",
        amount=Decimal("1000000000"),
        currency="USD",
        value_date=date(2025, 6, 2),
        source=ministry,
    )
    services.add_further_source(fact=committed, source=further)
    mistaken = services.record_entry(
        commitment=air_defence,
        stage="allocation",
        amount=Decimal("400000000"),
        currency="USD",
        value_date=date(2025, 6, 20),
        source=ministry,
    )
    later()
    reversal = services.reverse_entry(
        entry=mistaken, source=ministry, reason="Recorded against the wrong package."
    )
    later()
    before_disbursement = timezone.now()
    later()
    disbursement = services.record_entry(
        commitment=air_defence,
        stage="disbursement",
        amount=Decimal("250000000.5"),
        currency="USD",
        value_date=date(2025, 7, 8),
        source=ministry,
    )
    return DetailWorld(
        united_states=united_states,
        united_kingdom=Organization.objects.get(name=scenario.UNITED_KINGDOM),
        conference=Organization.objects.get(name=scenario.ROME_CONFERENCE),
        rome=Commitment.objects.get(title=scenario.ROME_PLEDGE.title),
        every_dollar=Commitment.objects.get(title=scenario.BIDEN_EVERY_DOLLAR.title),
        air_defence=air_defence,
        committed=committed,
        mistaken=mistaken,
        reversal=reversal,
        disbursement=disbursement,
        pause=Pause.objects.get(idempotency_key=scenario.US_WEAPONS_PAUSE.key),
        further=further,
        before_disbursement=before_disbursement,
    )


@pytest.fixture(scope="module")
def module_detail_world(django_db_setup: None, django_db_blocker: Any) -> Iterator[DetailWorld]:
    yield from kept_for_the_module(django_db_blocker, build)


@pytest.fixture
def world(module_detail_world: DetailWorld, db: None) -> Iterator[DetailWorld]:
    """The detail world, built once per module; the page cache starts empty for each test,
    since a rolled-back test's rows may come back with the same ids (SQLite)."""
    cache.clear()
    yield module_detail_world
    cache.clear()
