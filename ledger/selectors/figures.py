"""The ledger's figures, computed by the database on two time axes.

``as_of`` (valid time) keeps the entries whose value date is on or before that day and
judges pauses on that day; ``known_at`` (transaction time) keeps only what the ledger
had recorded by that moment, reversals included. Either, both or neither may be given.

Each stage's figure is the sum of its entries, reversals counting negatively:
``committed`` is commitments less cancellations, ``outstanding`` is committed less
disbursed, and ``on_hold`` is the outstanding part of commitments under a pause in
force. Amounts convert through the euro at the rate of each entry's value date (or the
nearest earlier rate); entries without a rate are counted in ``unconverted_entries``
and left out of the sums rather than guessed.
"""

from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import (
    Case,
    Count,
    DecimalField,
    Expression,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, ExtractYear, Round, TruncMonth
from django.utils import timezone

from ledger.models import Commitment, FxRate, LedgerEntry, Stage
from ledger.money import BASE_CURRENCY, MONEY_MAX_DIGITS, validate_currency_code
from ledger.selectors.pauses import commitment_paused

MEASURES = (
    "pledged",
    "committed",
    "allocated",
    "disbursed",
    "outstanding",
    "on_hold",
    "entry_count",
    "unconverted_entries",
)

# Each grouping: the columns it adds to a row, as expressions over ledger entries
# (a plain string where the column is the entry's own field of that name).
GROUPINGS: dict[str, dict[str, Any]] = {
    "commitment": {"commitment": "commitment", "commitment_title": F("commitment__title")},
    "donor": {"donor": F("commitment__donor"), "donor_name": F("commitment__donor__name")},
    "recipient": {
        "recipient": F("commitment__recipient"),
        "recipient_name": F("commitment__recipient__name"),
    },
    "category": {"category": F("commitment__category")},
    "stage": {"stage": "stage"},
    "year": {"year": ExtractYear("value_date")},
    "month": {"month": TruncMonth("value_date")},
}

AMOUNT: DecimalField = DecimalField(max_digits=MONEY_MAX_DIGITS + 12, decimal_places=12)
FIGURE: DecimalField = DecimalField(max_digits=MONEY_MAX_DIGITS + 6, decimal_places=2)


def _units_per_euro(currency: Any) -> Subquery:
    """The rate of ``currency`` on the entry's value date, or the nearest earlier one."""
    latest = (
        FxRate.objects.filter(currency=currency, date__lte=OuterRef("value_date"))
        .order_by("-date")
        .values("rate")[:1]
    )
    return Subquery(latest, output_field=AMOUNT)


def converted_amount(currency: str) -> Case:
    """An entry's amount in ``currency``, signed (a reversal counts negatively)."""
    signed = Case(
        When(reverses__isnull=True, then=F("amount")),
        default=F("amount") * Value(-1),
        output_field=AMOUNT,
    )
    source_rate = Case(
        When(currency=BASE_CURRENCY, then=Value(Decimal(1))),
        default=_units_per_euro(OuterRef("currency")),
        output_field=AMOUNT,
    )
    target_rate = (
        Value(Decimal(1), output_field=AMOUNT)
        if currency == BASE_CURRENCY
        else _units_per_euro(currency)
    )
    return Case(
        When(currency=currency, then=signed),
        default=signed * target_rate / source_rate,
        output_field=AMOUNT,
    )


def _total(*, condition: Q) -> Expression:
    return Coalesce(Sum("converted", filter=condition), Value(Decimal(0)), output_field=AMOUNT)


def _measures() -> dict[str, Any]:
    stage = {s: Q(stage=s) for s in Stage.values}
    paused = Q(paused=True)
    committed = _total(condition=stage[Stage.COMMITMENT]) - _total(
        condition=stage[Stage.CANCELLATION]
    )
    disbursed = _total(condition=stage[Stage.DISBURSEMENT])
    on_hold = (
        _total(condition=paused & stage[Stage.COMMITMENT])
        - _total(condition=paused & stage[Stage.CANCELLATION])
        - _total(condition=paused & stage[Stage.DISBURSEMENT])
    )
    figures = {
        "pledged": _total(condition=stage[Stage.PLEDGE]),
        "committed": committed,
        "allocated": _total(condition=stage[Stage.ALLOCATION]),
        "disbursed": disbursed,
        "outstanding": committed - disbursed,
        "on_hold": on_hold,
    }
    return {
        **{name: Round(expr, 2, output_field=FIGURE) for name, expr in figures.items()},
        "entry_count": Count("id"),
        "unconverted_entries": Count("id", filter=Q(converted__isnull=True)),
    }


def entries_known(
    *, as_of: date | None = None, known_at: datetime | None = None
) -> QuerySet[LedgerEntry]:
    """The entries that count on both time axes."""
    entries = LedgerEntry.objects.all()
    if as_of is not None:
        entries = entries.filter(value_date__lte=as_of)
    if known_at is not None:
        entries = entries.filter(recorded_at__lte=known_at)
    return entries


def _validated(*, group_by: Sequence[str], currency: str, known_at: datetime | None) -> None:
    unknown = [g for g in group_by if g not in GROUPINGS]
    if unknown:
        raise ValidationError(
            {"group_by": f"Unknown grouping {', '.join(unknown)}; use {', '.join(GROUPINGS)}."}
        )
    try:
        validate_currency_code(currency)
    except ValidationError as error:
        raise ValidationError({"currency": error.messages}) from error
    if known_at is not None and timezone.is_naive(known_at):
        raise ValidationError({"known_at": "The moment needs a time zone."})


def _entries_in_scope(
    *,
    as_of: date | None,
    known_at: datetime | None,
    commitments: QuerySet[Commitment] | None,
) -> QuerySet[LedgerEntry]:
    entries = entries_known(as_of=as_of, known_at=known_at)
    if commitments is not None:
        entries = entries.filter(commitment__in=commitments)
    return entries


def _per_entry(*, as_of: date | None, known_at: datetime | None, currency: str) -> dict[str, Any]:
    """What the measures sum over: the converted amount and whether it is on hold."""
    return {
        "converted": converted_amount(currency),
        "paused": commitment_paused(
            as_of or timezone.now().date(),
            known_at=known_at,
            commitment_ref="commitment_id",
            via="commitment__",
        ),
    }


def figures(
    *,
    group_by: Sequence[str],
    as_of: date | None = None,
    known_at: datetime | None = None,
    currency: str = BASE_CURRENCY,
    commitments: QuerySet[Commitment] | None = None,
) -> QuerySet[LedgerEntry, dict[str, Any]]:
    """Figures in ``currency`` per group: one dict per row, ordered by the groups.

    ``group_by`` takes one or more of ``commitment``, ``donor``, ``recipient``,
    ``category``, ``stage``, ``year`` and ``month`` (of the value date). Pauses are
    judged on ``as_of``, or today. ``commitments`` narrows the ledger. Raises
    ``ValidationError`` for an unknown grouping or currency, or a naive ``known_at``.
    The result is a lazy queryset, so callers can paginate it in SQL.
    """
    if not group_by:
        raise ValidationError({"group_by": "Name at least one grouping, or use totals()."})
    _validated(group_by=group_by, currency=currency, known_at=known_at)
    entries = _entries_in_scope(as_of=as_of, known_at=known_at, commitments=commitments).alias(
        **_per_entry(as_of=as_of, known_at=known_at, currency=currency)
    )
    columns = {name: expr for g in group_by for name, expr in GROUPINGS[g].items()}
    own_fields = [name for name, expr in columns.items() if isinstance(expr, str)]
    expressions = {name: expr for name, expr in columns.items() if not isinstance(expr, str)}
    return entries.values(*own_fields, **expressions).annotate(**_measures()).order_by(*columns)


def totals(
    *,
    as_of: date | None = None,
    known_at: datetime | None = None,
    currency: str = BASE_CURRENCY,
    commitments: QuerySet[Commitment] | None = None,
) -> dict[str, Any]:
    """The figures of the whole ledger (or of ``commitments``) as one dict."""
    _validated(group_by=(), currency=currency, known_at=known_at)
    # aggregate() cannot sum over alias(), so the per-entry values are annotated here.
    entries = _entries_in_scope(as_of=as_of, known_at=known_at, commitments=commitments).annotate(
        **_per_entry(as_of=as_of, known_at=known_at, currency=currency)
    )
    return entries.aggregate(**_measures())


def with_figures(
    commitments: QuerySet[Commitment],
    *,
    measures: Sequence[str] = ("pledged", "committed", "disbursed"),
    currency: str = BASE_CURRENCY,
    as_of: date | None = None,
    known_at: datetime | None = None,
) -> QuerySet[Commitment]:
    """``commitments`` annotated with their ``measures``, in the same SQL query (one
    correlated subquery per measure), so a list of commitments costs one query."""
    per_commitment = figures(
        group_by=["commitment"], currency=currency, as_of=as_of, known_at=known_at
    ).filter(commitment=OuterRef("pk"))
    return commitments.annotate(
        **{
            name: Coalesce(
                Subquery(per_commitment.values(name), output_field=FIGURE),
                Value(Decimal(0)),
                output_field=FIGURE,
            )
            for name in measures
        }
    )
