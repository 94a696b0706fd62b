"""Property-based tests of the whole API from its own OpenAPI description (schemathesis):
every operation is called with generated parameters and bodies against the WSGI app on a
seeded ledger, and no answer may be a 5xx or differ from what the schema says (status
code, content type, headers, body).

Bounded and deterministic: a fixed seed, derandomized Hypothesis, no example database and
a few examples per operation. Reads run anonymously; writes run with an editor key (into
the test's transaction, which is rolled back)."""

from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from io import StringIO
from typing import Any

import pytest
import schemathesis
from django.core.management import call_command
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi import checks

from api.models import ApiKey
from api.throttling import AnonymousThrottle
from config.wsgi import application
from ledger import services
from ledger.models import Commitment, CoordinationBody, LedgerEntry, Organization, Source
from tests.api.conftest import kept_for_the_module

SEED = 20250710
EXAMPLES = 15


def seed_the_ledger() -> None:
    """The seed scenario, the ECB's USD and GBP rates for 2025, and a few rows more so that
    every resource has rows of each shape (a reversal, an open pause, an event with a body,
    a mandate that ended, a source with its retrieval time)."""
    call_command("load_scenario", stdout=StringIO())
    call_command("load_fx_rates", "--since=2025-01-01", "--currencies=USD,GBP", stdout=StringIO())
    united_kingdom = Organization.objects.get(name="United Kingdom")
    source = services.record_source(
        url="https://example.org/fuzz",
        title="@SUM(1)",
        retrieved_at=Source.objects.first().created_at,  # type: ignore[union-attr]
    )
    commitment = services.create_commitment(
        donor=united_kingdom,
        title="=HYPERLINK(1)",
        category="military",
        announced_on=date(2025, 2, 1),
        channel=CoordinationBody.objects.first(),
        source=source,
        identifiers={"kiel": "GB-1"},
    )
    entry = services.record_entry(
        commitment=commitment,
        stage="commitment",
        amount=Decimal("250000000"),
        currency="GBP",
        value_date=date(2025, 2, 1),
        source=source,
        idempotency_key="fuzz-1",
    )
    services.record_entry(
        commitment=commitment,
        stage="disbursement",
        amount=Decimal("1.5"),
        currency="EUR",
        value_date=date(2025, 3, 1),
        source=source,
    )
    services.reverse_entry(entry=entry, source=source, reason="Announced twice.")
    services.pause(commitment=commitment, paused_on=date(2025, 4, 1), source=source)
    services.record_event(
        kind="statement",
        title="Joint statement",
        occurred_on=date(2025, 2, 24),
        body=CoordinationBody.objects.last(),
        participants=[united_kingdom],
        source=source,
    )


@pytest.fixture(scope="module")
def fuzzed_ledger(django_db_setup: None, django_db_blocker: Any) -> Iterator[None]:
    yield from kept_for_the_module(django_db_blocker, seed_the_ledger)


@pytest.fixture
def connection_kept() -> Iterator[None]:
    """The WSGI app closes "old" database connections when a request starts and ends,
    and a connection inside the test's transaction counts as one on PostgreSQL: the test
    would lose its transaction. Django's test client unhooks this the same way."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def unthrottled(monkeypatch: pytest.MonkeyPatch) -> None:
    """Hundreds of anonymous requests in one test: the throttle would answer 429s, which
    the schema allows but which would test nothing."""
    monkeypatch.setattr(AnonymousThrottle, "rate", "100000/minute", raising=False)


def load_schema() -> Any:
    """The schema as the app serves it. Loaded when the module is collected (the schema
    view reads no database), so each operation is a test of its own; schemathesis's lazy
    ``from_fixture`` would load it per test, but does not run under pytest 9."""
    config = schemathesis.config.SchemathesisConfig(seed=SEED)
    schema = schemathesis.openapi.from_wsgi("/api/schema/", application, config=config)
    schema.config.generation.update(max_examples=EXAMPLES, deterministic=True, database="none")
    return schema


HYPOTHESIS = settings(
    max_examples=EXAMPLES,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)

# Two checks judge how strictly requests are validated, not what responses say, and the
# schema cannot express this API's rules: an id that names no row (``?donor=0``) is a
# 400, as NetBox's filters answer, though any integer is schema-valid; and an empty
# parameter (``?format=``, ``?page_size=``) reads as none given rather than being refused.
# Every check on responses stays: no 5xx, and status codes, content types, headers and
# bodies as documented.
NOT_ABOUT_RESPONSES = [checks.positive_data_acceptance, checks.negative_data_rejection]

schema = load_schema()
reads = schema.include(method="GET")
writes = schema.include(method="POST")


@reads.parametrize()
@HYPOTHESIS
def test_reads_conform_to_the_schema(
    case: Any, fuzzed_ledger: None, db: None, unthrottled: None, connection_kept: None
) -> None:
    case.call_and_validate(excluded_checks=NOT_ABOUT_RESPONSES)


@pytest.fixture
def editor_headers(db: None) -> dict[str, str]:
    _, key = ApiKey.objects.create_key(name="schemathesis", role="editor")
    return {"Authorization": f"Api-Key {key}"}


@writes.parametrize()
@HYPOTHESIS
def test_writes_conform_to_the_schema(
    case: Any,
    fuzzed_ledger: None,
    unthrottled: None,
    connection_kept: None,
    editor_headers: dict[str, str],
) -> None:
    case.call_and_validate(headers=editor_headers, excluded_checks=NOT_ABOUT_RESPONSES)


def test_the_fuzzed_ledger_has_rows_of_every_shape(fuzzed_ledger: None, db: None) -> None:
    assert LedgerEntry.objects.filter(reverses__isnull=False).exists()
    assert Commitment.objects.filter(channel__isnull=False).exists()
