"""Writing the ledger: entries, reversals and corrections. Nothing here updates a row."""

from datetime import date
from decimal import Decimal

from django.db import transaction

from ledger.models import Commitment, DatePrecision, LedgerEntry, Source
from ledger.services._common import (
    clean_fields,
    create_once,
    field_error,
    new_idempotency_key,
    race_safe,
    require,
)


def _validate_entry(entry: LedgerEntry) -> None:
    clean_fields(entry, exclude=["recorded_at"])


@race_safe
def record_entry(
    *,
    commitment: Commitment,
    stage: str,
    amount: Decimal,
    currency: str,
    value_date: date,
    source: Source,
    value_date_precision: str = DatePrecision.DAY,
    idempotency_key: str | None = None,
    note: str = "",
    recorded_by: str = "",
) -> LedgerEntry:
    """Append one amount at one stage of a commitment.

    Raises ``ValidationError`` (field messages) for an unknown stage or currency, a
    non-positive amount or a missing source. With an ``idempotency_key`` already used,
    returns that entry if the content is the same and raises if it differs.
    """
    require(commitment=commitment, source=source)
    return create_once(
        LedgerEntry,
        idempotency_key=idempotency_key or new_idempotency_key(),
        content={
            "commitment_id": commitment.pk,
            "stage": stage,
            "amount": amount,
            "currency": currency,
            "value_date": value_date,
            "value_date_precision": value_date_precision,
            "source_id": source.pk,
            "reverses_id": None,
            "note": note,
        },
        metadata={"recorded_by": recorded_by},
        validate=_validate_entry,
    )


def reversal_key(entry_id: int) -> str:
    """An entry is reversed at most once, so its reversal has a natural key."""
    return f"reversal-of:{entry_id}"


@race_safe
def reverse_entry(
    *,
    entry: LedgerEntry,
    source: Source,
    reason: str = "",
    recorded_by: str = "",
) -> LedgerEntry:
    """Cancel ``entry`` by appending its mirror image, which counts negatively.

    Reversing the same entry again with the same source and reason returns the first
    reversal; a reversal cannot itself be reversed. Raises ``ValidationError``.
    """
    require(entry=entry, source=source)
    if entry.reverses_id is not None:
        raise field_error(
            "reverses",
            "A reversal cannot be reversed; record a new entry instead.",
            code="reversal_of_reversal",
        )
    existing = LedgerEntry.objects.filter(reverses=entry).first()
    if existing is not None and (existing.source_id != source.pk or existing.note != reason):
        raise field_error(
            "reverses",
            f"Entry {entry.pk} was already reversed by entry {existing.pk}.",
            code="already_reversed",
        )
    return create_once(
        LedgerEntry,
        idempotency_key=reversal_key(entry.pk),
        content={
            "commitment_id": entry.commitment_id,
            "stage": entry.stage,
            "amount": entry.amount,
            "currency": entry.currency,
            "value_date": entry.value_date,
            "value_date_precision": entry.value_date_precision,
            "source_id": source.pk,
            "reverses_id": entry.pk,
            "note": reason,
        },
        metadata={"recorded_by": recorded_by},
        validate=_validate_entry,
    )


@transaction.atomic
def correct_entry(
    *,
    entry: LedgerEntry,
    source: Source,
    reason: str = "",
    amount: Decimal | None = None,
    currency: str | None = None,
    value_date: date | None = None,
    stage: str | None = None,
    idempotency_key: str | None = None,
    recorded_by: str = "",
) -> tuple[LedgerEntry, LedgerEntry]:
    """Replace ``entry`` by a corrected one: a reversal plus a new entry, atomically.

    Returns ``(reversal, replacement)``. Unchanged values are carried over.
    """
    reversal = reverse_entry(entry=entry, source=source, reason=reason, recorded_by=recorded_by)
    replacement = record_entry(
        commitment=entry.commitment,
        stage=stage or entry.stage,
        amount=amount if amount is not None else entry.amount,
        currency=currency or entry.currency,
        value_date=value_date or entry.value_date,
        source=source,
        idempotency_key=idempotency_key or f"correction-of:{entry.pk}",
        note=reason,
        recorded_by=recorded_by,
    )
    return reversal, replacement
