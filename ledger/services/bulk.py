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

from django.core.exceptions import ValidationError
from django.core.validators import DecimalValidator
from django.db import transaction

from ledger.models import DatePrecision, LedgerEntry, Source, Stage
from ledger.money import MONEY_DECIMAL_PLACES, MONEY_MAX_DIGITS, is_currency_code
from ledger.services.entries import reversal_key

_DIGITS = DecimalValidator(MONEY_MAX_DIGITS, MONEY_DECIMAL_PLACES)
_STAGES = frozenset(Stage.values)
_PRECISIONS = frozenset(DatePrecision.values)
_KEY_LENGTH = LedgerEntry._meta.get_field("idempotency_key").max_length or 200

# The fields that make an entry what it is: a record whose values differ in any of them
# changed since it was written. The source and the note are provenance, not content.
CONTENT_FIELDS = ("commitment_id", "stage", "amount", "currency", "value_date")


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
        return tuple(getattr(self, name) for name in CONTENT_FIELDS)


def entry_content(entry: LedgerEntry) -> tuple[object, ...]:
    return tuple(getattr(entry, name) for name in CONTENT_FIELDS)


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


def entries_by_key(keys: Iterable[str]) -> dict[str, LedgerEntry]:
    """The entries with these keys, each with ``reversed_by_id`` (None if in force)."""
    entries = LedgerEntry.objects.filter(idempotency_key__in=list(keys)).only(
        "id", "idempotency_key", "reverses_id", "value_date_precision", *CONTENT_FIELDS
    )
    by_key = {entry.idempotency_key: entry for entry in entries}
    reversed_ids = set(
        LedgerEntry.objects.filter(reverses__in=[e.pk for e in by_key.values()]).values_list(
            "reverses_id", flat=True
        )
    )
    for entry in by_key.values():
        entry.is_reversed = entry.pk in reversed_ids  # type: ignore[attr-defined]
    return by_key


@transaction.atomic
def record_entries(
    drafts: Sequence[EntryDraft], *, recorded_by: str = ""
) -> dict[str, LedgerEntry]:
    """Append the entries of ``drafts`` that are not in the ledger yet; returns every
    draft's entry by key. Drafts must have passed ``draft_error``.

    A key already used for other content raises ``ValidationError``, as ``record_entry``
    does; two writers racing on a key both get the one entry.
    """
    if not drafts:
        return {}
    LedgerEntry.objects.bulk_create(
        [
            LedgerEntry(
                idempotency_key=d.idempotency_key,
                commitment_id=d.commitment_id,
                stage=d.stage,
                amount=d.amount,
                currency=d.currency,
                value_date=d.value_date,
                value_date_precision=d.value_date_precision,
                source_id=d.source_id,
                note=d.note,
                recorded_by=recorded_by,
            )
            for d in drafts
        ],
        ignore_conflicts=True,
    )
    written = entries_by_key(d.idempotency_key for d in drafts)
    for draft in drafts:
        entry = written[draft.idempotency_key]
        if entry.reverses_id is not None or entry_content(entry) != draft.content():
            raise ValidationError(
                {
                    "idempotency_key": f"{draft.idempotency_key} was already used for "
                    f"different content (entry {entry.pk})."
                }
            )
    return written


@transaction.atomic
def reverse_entries(
    entries: Sequence[LedgerEntry], *, source: Source, reason: str = "", recorded_by: str = ""
) -> int:
    """Reverse each of ``entries`` (none of them a reversal) once; returns how many
    reversals were written now. The database refuses a second reversal of an entry."""
    reversals = [
        LedgerEntry(
            idempotency_key=reversal_key(entry),
            commitment_id=entry.commitment_id,
            stage=entry.stage,
            amount=entry.amount,
            currency=entry.currency,
            value_date=entry.value_date,
            value_date_precision=entry.value_date_precision,
            source_id=source.pk,
            reverses_id=entry.pk,
            note=reason,
            recorded_by=recorded_by,
        )
        for entry in entries
    ]
    before = LedgerEntry.objects.filter(reverses__in=[e.pk for e in entries]).count()
    LedgerEntry.objects.bulk_create(reversals, ignore_conflicts=True)
    return LedgerEntry.objects.filter(reverses__in=[e.pk for e in entries]).count() - before
