"""The write path for entries: validation with field messages, idempotency, reversals."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from ledger import services
from ledger.models import LedgerEntry


def record(commitment_, source_, **overrides):
    values = {
        "commitment": commitment_,
        "stage": "commitment",
        "amount": Decimal("100"),
        "currency": "USD",
        "value_date": date(2025, 1, 10),
        "source": source_,
    }
    return services.record_entry(**{**values, **overrides})


def field_errors(excinfo: pytest.ExceptionInfo[ValidationError]) -> dict[str, list[str]]:
    return excinfo.value.message_dict


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"amount": Decimal("0")}, "amount", "greater than zero"),
        ({"amount": Decimal("-5")}, "amount", "greater than zero"),
        ({"amount": Decimal("0.00001")}, "amount", "decimal places"),
        ({"currency": "XYZ"}, "currency", "ISO 4217"),
        ({"currency": "usd"}, "currency", "ISO 4217"),
        ({"stage": "rumour"}, "stage", "not a valid choice"),
        ({"value_date": None}, "value_date", "cannot be null"),
        ({"source": None}, "source", "required"),
        ({"commitment": None}, "commitment", "required"),
    ],
)
def test_invalid_entries_get_a_field_message_and_write_nothing(
    commitment, source, overrides, field, message
):
    with pytest.raises(ValidationError) as excinfo:
        record(commitment, source, **overrides)
    assert message in " ".join(field_errors(excinfo)[field])
    assert LedgerEntry.objects.count() == 0


def test_several_bad_fields_are_reported_together(commitment, source):
    with pytest.raises(ValidationError) as excinfo:
        record(commitment, source, amount=Decimal("-1"), currency="ABC")
    assert set(field_errors(excinfo)) == {"amount", "currency"}


def test_the_same_key_and_content_returns_the_first_entry(commitment, source):
    first = record(commitment, source, idempotency_key="k-1")
    again = record(commitment, source, idempotency_key="k-1", amount=Decimal("100.0000"))
    assert again.pk == first.pk
    assert again.recorded_at == first.recorded_at
    assert LedgerEntry.objects.count() == 1


def test_the_same_key_with_other_content_is_refused(commitment, source):
    record(commitment, source, idempotency_key="k-1")
    with pytest.raises(ValidationError) as excinfo:
        record(commitment, source, idempotency_key="k-1", amount=Decimal("101"))
    assert "amount" in field_errors(excinfo)["idempotency_key"][0]
    assert LedgerEntry.objects.count() == 1


def test_without_a_key_every_call_is_a_new_entry(commitment, source):
    record(commitment, source)
    record(commitment, source)
    assert LedgerEntry.objects.count() == 2
    assert LedgerEntry.objects.filter(idempotency_key__startswith="auto:").count() == 2


def test_recorded_at_is_set_by_the_server(commitment, source):
    entry = record(commitment, source)
    assert entry.recorded_at is not None
    assert entry.recorded_at.utcoffset().total_seconds() == 0


def test_a_reversal_mirrors_the_entry_and_is_idempotent(commitment, source):
    entry = record(commitment, source, note="typo in amount")
    reversal = services.reverse_entry(entry=entry, source=source, reason="duplicate")
    again = services.reverse_entry(entry=entry, source=source, reason="duplicate")
    assert again.pk == reversal.pk
    assert (reversal.amount, reversal.currency, reversal.stage, reversal.value_date) == (
        entry.amount,
        entry.currency,
        entry.stage,
        entry.value_date,
    )
    assert reversal.reverses == entry
    assert reversal.is_reversal


def test_an_entry_is_reversed_at_most_once(commitment, source, united_states):
    entry = record(commitment, source)
    services.reverse_entry(entry=entry, source=source, reason="duplicate")
    other_source = services.record_source(title="Correction notice")
    with pytest.raises(ValidationError) as excinfo:
        services.reverse_entry(entry=entry, source=other_source, reason="again")
    assert "already reversed" in field_errors(excinfo)["reverses"][0]
    assert LedgerEntry.objects.count() == 2


def test_a_reversal_cannot_be_reversed(commitment, source):
    reversal = services.reverse_entry(entry=record(commitment, source), source=source)
    with pytest.raises(ValidationError) as excinfo:
        services.reverse_entry(entry=reversal, source=source)
    assert "cannot be reversed" in field_errors(excinfo)["reverses"][0]


def test_a_correction_is_a_reversal_plus_a_new_entry(commitment, source):
    entry = record(commitment, source)
    reversal, replacement = services.correct_entry(
        entry=entry, source=source, reason="wrong amount", amount=Decimal("90")
    )
    assert reversal.reverses == entry
    assert replacement.amount == Decimal("90")
    assert replacement.currency == entry.currency
    assert LedgerEntry.objects.count() == 3


def test_an_entry_is_found_by_its_own_recorded_at(commitment, source):
    """The database's clock and Django's comparisons agree on the format (SQLite stores
    timestamps as text, so milliseconds against microseconds would miss the row)."""
    entry = record(commitment, source)
    assert LedgerEntry.objects.filter(recorded_at__gte=entry.recorded_at).get() == entry
    assert LedgerEntry.objects.filter(recorded_at__lte=entry.recorded_at).get() == entry
