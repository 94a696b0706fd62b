"""Further sources (``ledger.Corroboration``) are append-only like the facts they cite,
and each cites exactly one fact: the database refuses the rest, whoever writes."""

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import DatabaseError, IntegrityError, connection, transaction

from ledger import services
from ledger.models import Corroboration

pytestmark = pytest.mark.django_db


@pytest.fixture
def entry(commitment, source):
    return services.record_entry(
        commitment=commitment,
        stage="pledge",
        amount=Decimal("100"),
        currency="USD",
        value_date=date(2025, 1, 2),
        source=source,
    )


@pytest.fixture
def second_source():
    return services.record_source(url="https://example.org/other", excerpt="Said again.")


@pytest.fixture
def further(entry, second_source):
    return services.add_further_source(fact=entry, source=second_source, recorded_by="editor")


def test_adding_a_further_source_twice_records_it_once(further, entry, second_source):
    again = services.add_further_source(fact=entry, source=second_source)
    assert (again.pk, Corroboration.objects.count()) == (further.pk, 1)
    assert (further.fact, list(entry.further_sources.all())) == (entry, [further])


def test_a_facts_own_source_or_a_non_fact_is_refused(entry, source, second_source):
    with pytest.raises(ValidationError) as own:
        services.add_further_source(fact=entry, source=source)
    with pytest.raises(ValidationError) as not_a_fact:
        services.add_further_source(fact=second_source, source=source)
    assert ("source" in own.value.message_dict, "fact" in not_a_fact.value.message_dict) == (
        True,
        True,
    )


def raw(statement: str, params: list[Any]) -> None:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(statement, params)


@pytest.mark.parametrize(
    ("statement", "params"),
    [
        ("UPDATE ledger_corroboration SET recorded_by = %s WHERE id = %s", ["someone"]),
        ("DELETE FROM ledger_corroboration WHERE id = %s", []),
    ],
)
def test_a_further_source_cannot_be_changed_or_deleted(further, statement, params):
    with pytest.raises(DatabaseError, match="append-only"):
        raw(statement, [*params, further.pk])
    assert Corroboration.objects.get().recorded_by == "editor"


def test_a_further_source_cites_exactly_one_fact(further, entry, commitment, second_source):
    insert = (
        "INSERT INTO ledger_corroboration (source_id, entry_id, commitment_id, "
        "recorded_by, idempotency_key, recorded_at) VALUES (%s, %s, %s, '', %s, CURRENT_TIMESTAMP)"
    )
    with pytest.raises(IntegrityError):
        raw(insert, [second_source.pk, entry.pk, commitment.pk, "two facts"])
    with pytest.raises(IntegrityError):
        raw(insert, [second_source.pk, None, None, "no fact"])
    assert Corroboration.objects.count() == 1
