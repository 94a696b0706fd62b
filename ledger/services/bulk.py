"""Writing many entries at once, for ingest: the same rules as ``record_entry`` and
``reverse_entry``, in a few statements per batch instead of a few per entry.

Each draft is checked with the validators the model uses, so a bad one is refused with a
reason (and the caller rejects that record) while the rest are written. Keys make every
write exactly-once: an entry whose key exists is not written again, and one that exists
with other content is a conflict, never overwritten.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import NamedTuple

import psycopg
from django.core.exceptions import ValidationError
from django.core.validators import DecimalValidator
from django.db import connection, transaction
from django.db.models import Exists, OuterRef

from ledger.models import DatePrecision, LedgerEntry, Source, Stage
from ledger.money import MONEY_DECIMAL_PLACES, MONEY_MAX_DIGITS, is_currency_code
from ledger.services.entries import reversal_key

_DIGITS = DecimalValidator(MONEY_MAX_DIGITS, MONEY_DECIMAL_PLACES)
_STAGES = frozenset(Stage.values)
_PRECISIONS = frozenset(DatePrecision.values)
_KEY_LENGTH = LedgerEntry._meta.get_field("idempotency_key").max_length or 200


@dataclass(frozen=True)
class EntryDraft:
    """An entry to write, keyed by ``idempotency_key``."""

    idempotency_key: str
    commitment_id: int
    stage: str
    amount: Decimal
    currency: str
    value_date: date
    source_id: int
    value_date_precision: str = DatePrecision.DAY
    note: str = ""

    def content(self) -> tuple[object, ...]:
        """What makes the entry what it is: a record whose values differ in any of these
        changed. The source and the note are provenance, not content."""
        return (self.commitment_id, self.stage, self.amount, self.currency, self.value_date)


class StoredEntry(NamedTuple):
    """An entry as ``entries_by_key`` reads it: enough to compare and to reverse it."""

    id: int
    idempotency_key: str
    commitment_id: int
    stage: str
    amount: Decimal
    currency: str
    value_date: date
    value_date_precision: str
    reverses_id: int | None
    is_reversed: bool

    def content(self) -> tuple[object, ...]:
        return (self.commitment_id, self.stage, self.amount, self.currency, self.value_date)


def draft_error(draft: EntryDraft) -> str | None:
    """Why ``draft`` cannot be an entry, or None: the checks ``record_entry`` makes."""
    if draft.stage not in _STAGES:
        return f"{draft.stage!r} is not a stage ({', '.join(Stage.values)})."
    if not isinstance(draft.amount, Decimal) or not draft.amount.is_finite():
        return f"{draft.amount!r} is not an amount."
    if draft.amount <= 0:
        return f"The amount must be greater than zero, not {draft.amount}."
    try:
        _DIGITS(draft.amount)
    except ValidationError as error:
        return f"The amount {draft.amount} does not fit: {' '.join(error.messages)}"
    if not isinstance(draft.value_date, date):
        return "The value date is missing."
    if not is_currency_code(draft.currency):
        return f"{draft.currency or '(empty)'} is not an ISO 4217 currency code."
    if draft.value_date_precision not in _PRECISIONS:
        return f"{draft.value_date_precision!r} is not a date precision."
    if not draft.idempotency_key or len(draft.idempotency_key) > _KEY_LENGTH:
        return f"The key must have 1 to {_KEY_LENGTH} characters."
    return None


_BY_KEY = """
    SELECT e.id, e.idempotency_key, e.commitment_id, e.stage, e.amount, e.currency,
           e.value_date, e.value_date_precision, e.reverses_id,
           EXISTS (SELECT 1 FROM ledger_ledgerentry r WHERE r.reverses_id = e.id)
    FROM ledger_ledgerentry e
    WHERE e.idempotency_key = ANY(%s)
"""


def _bound_cursor() -> psycopg.Cursor:
    """A cursor that sends parameters apart from the statement (server-side binding):
    Django's own cursors quote them into the SQL text, which for arrays of thousands of
    values costs more than the database's work."""
    connection.ensure_connection()
    return psycopg.Cursor(connection.connection)


def entries_by_key(keys: Iterable[str]) -> dict[str, StoredEntry]:
    """The entries with these keys, in one query, each saying whether it was reversed."""
    keys = list(keys)
    if connection.vendor == "postgresql":
        # One array parameter rather than a placeholder per key: a batch's keys are many.
        with _bound_cursor() as cursor:
            cursor.execute(_BY_KEY, [keys])
            rows: Iterable[tuple] = cursor.fetchall()
    else:
        rows = (
            LedgerEntry.objects.filter(idempotency_key__in=keys)
            .annotate(is_reversed=Exists(LedgerEntry.objects.filter(reverses=OuterRef("pk"))))
            .values_list(*StoredEntry._fields)
        )
    return {row[1]: StoredEntry(*row) for row in rows}


# PostgreSQL takes a batch as one array per column; conflicts are skipped, not errors.
_INSERT = """
    INSERT INTO ledger_ledgerentry (idempotency_key, commitment_id, stage, amount, currency,
        value_date, source_id, value_date_precision, note, recorded_by)
    SELECT k, c, s, a, cur, d, src, p, n, %s
    FROM unnest(%s::varchar[], %s::bigint[], %s::varchar[], %s::numeric[], %s::varchar[],
                %s::date[], %s::bigint[], %s::varchar[], %s::text[])
         AS batch (k, c, s, a, cur, d, src, p, n)
    ON CONFLICT (idempotency_key) DO NOTHING
    RETURNING idempotency_key
"""


@transaction.atomic
def append_free(drafts: Sequence[EntryDraft], *, recorded_by: str = "") -> set[str]:
    """Append the drafts whose keys are free and return the keys that were taken already
    (those drafts are not written: the caller decides what they are). Drafts must have
    passed ``draft_error``."""
    if not drafts:
        return set()
    if connection.vendor == "postgresql":
        rows = [
            (
                d.idempotency_key,
                d.commitment_id,
                d.stage,
                d.amount,
                d.currency,
                d.value_date,
                d.source_id,
                d.value_date_precision,
                d.note,
            )
            for d in drafts
        ]
        columns = [list(column) for column in zip(*rows, strict=True)]
        with _bound_cursor() as cursor:
            cursor.execute(_INSERT, [recorded_by, *columns])
            inserted = {key for (key,) in cursor.fetchall()}
    else:
        before = set(
            LedgerEntry.objects.filter(
                idempotency_key__in=[d.idempotency_key for d in drafts]
            ).values_list("idempotency_key", flat=True)
        )
        # SQLite's rules refuse a taken key even to INSERT OR IGNORE (lest OR REPLACE slip
        # by), so only free keys are inserted; a writer taking one meanwhile makes this
        # insert fail whole, never write twice.
        free = [d for d in drafts if d.idempotency_key not in before]
        LedgerEntry.objects.bulk_create(
            [LedgerEntry(**d.__dict__, recorded_by=recorded_by) for d in free]
        )
        inserted = {d.idempotency_key for d in free}
    return {d.idempotency_key for d in drafts} - inserted


@transaction.atomic
def record_entries(drafts: Sequence[EntryDraft], *, recorded_by: str = "") -> int:
    """Append the entries of ``drafts`` that are not in the ledger yet; returns how many
    were written. Drafts must have passed ``draft_error``.

    A key already used for other content raises ``ValidationError``, as ``record_entry``
    does; two writers racing on a key both find the one entry.
    """
    if not drafts:
        return 0
    taken = append_free(drafts, recorded_by=recorded_by)
    if taken:
        existing = entries_by_key(taken)
        for draft in drafts:
            entry = existing.get(draft.idempotency_key)
            if entry is not None and (
                entry.reverses_id is not None or entry.content() != draft.content()
            ):
                raise ValidationError(
                    {
                        "idempotency_key": f"{draft.idempotency_key} was already used for "
                        f"different content (entry {entry.id})."
                    }
                )
    return len(drafts) - len(taken)


def reverse_entries(
    entries: Sequence[StoredEntry], *, source: Source, reason: str = "", recorded_by: str = ""
) -> None:
    """Reverse each of ``entries`` (none of them a reversal), once: a reversal already
    written (its key is the entry's) is left as it is, and the database refuses a second."""
    LedgerEntry.objects.bulk_create(
        [
            LedgerEntry(
                idempotency_key=reversal_key(entry.id),
                commitment_id=entry.commitment_id,
                stage=entry.stage,
                amount=entry.amount,
                currency=entry.currency,
                value_date=entry.value_date,
                value_date_precision=entry.value_date_precision,
                source_id=source.pk,
                reverses_id=entry.id,
                note=reason,
                recorded_by=recorded_by,
            )
            for entry in entries
        ],
        ignore_conflicts=True,
    )
