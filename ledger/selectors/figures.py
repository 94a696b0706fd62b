"""The ledger's figures, computed by the database on two time axes.

``as_of`` (valid time) keeps the entries whose value date is on or before that day and
judges pauses on that day; ``known_at`` (transaction time) keeps only what the ledger
had recorded by that moment, reversals included. Either, both or neither may be given.

Each stage's figure is the sum of its entries, reversals counting negatively:
``committed`` is commitments less cancellations, ``outstanding`` is committed less
disbursed, and ``on_hold`` is the outstanding part of commitments under a pause in
force. Amounts convert through the euro at the rate of each entry's value date (or the
nearest earlier rate), each leg on its own (a dollar amount in hryvnias: the ECB's
dollars per euro and the NBU's hryvnias per euro); entries without a rate are counted in
``unconverted_entries`` and left out of the sums rather than guessed. Each row's
``rates`` says which rates converted it: their providers and earliest and latest dates.

One SQL statement does it, shaped to stay fast on a large ledger: each distinct
(currency, day) pair looks its rates up once, pauses are judged once per commitment
(with the same query ``ledger.selectors.pauses`` uses everywhere else), and every entry
then joins both by equality.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import EmptyResultSet, ValidationError
from django.db import connection, transaction
from django.db.models import QuerySet
from django.utils import timezone

from ledger.models import Commitment, RateProvider
from ledger.money import BASE_CURRENCY, FIGURE_QUANTUM, validate_currency_code
from ledger.selectors.pauses import commitment_paused

MONEY = ("pledged", "committed", "allocated", "disbursed", "outstanding", "on_hold")
MEASURES = (*MONEY, "entry_count", "unconverted_entries")


@dataclass(frozen=True)
class Column:
    """A column of a grouping. ``sql`` reads the aliases c (commitment), d and r (its
    donor and recipient) and x (entries summed per commitment and stage); a column
    ``of_entry`` is computed from each entry (alias e) before that sum."""

    name: str
    sql: str
    sqlite: str | None = None  # where SQLite spells it differently
    of_entry: bool = False

    def expression(self, *, sqlite: bool) -> str:
        return self.sqlite if sqlite and self.sqlite else self.sql


# Each grouping and the columns it adds to a row: a whitelist, never client SQL.
GROUPINGS: dict[str, tuple[Column, ...]] = {
    "commitment": (Column("commitment", "c.id"), Column("commitment_title", "c.title")),
    "donor": (Column("donor", "c.donor_id"), Column("donor_name", "d.name")),
    "recipient": (Column("recipient", "c.recipient_id"), Column("recipient_name", "r.name")),
    "category": (Column("category", "c.category"),),
    "stage": (Column("stage", "x.stage"),),
    "year": (
        Column(
            "year",
            "CAST(EXTRACT(YEAR FROM e.value_date) AS INTEGER)",
            "CAST(strftime('%%Y', e.value_date) AS INTEGER)",
            of_entry=True,
        ),
    ),
    "month": (
        Column(
            "month",
            "CAST(date_trunc('month', e.value_date) AS DATE)",
            "date(e.value_date, 'start of month')",
            of_entry=True,
        ),
    ),
    # The value date itself: the steps of a cumulative series over time.
    "day": (Column("day", "e.value_date", of_entry=True),),
}

# The signed, converted amount of a row of x.
_AMOUNT = "x.converted"
_STAGE_SUMS = {
    "pledged": ["pledge"],
    "committed": ["commitment", "-cancellation"],
    "allocated": ["allocation"],
    "disbursed": ["disbursement"],
    "outstanding": ["commitment", "-cancellation", "-disbursement"],
}


def _stage_sum(stages: list[str], *, held_only: bool = False) -> str:
    """``ROUND(sum(a) + sum(b) - sum(c), 2)`` for stages a, b and "-c" (subtracted)."""
    expression = ""
    for stage in stages:
        condition = f"x.stage = '{stage.lstrip('-')}'"
        if held_only:
            condition += " AND h.id IS NOT NULL"
        total = f"COALESCE(SUM({_AMOUNT}) FILTER (WHERE {condition}), 0)"
        operator = " - " if stage.startswith("-") else " + "
        expression = total if not expression else expression + operator + total
    return f"ROUND({expression}, 2)"


def _measure_sql() -> list[str]:
    measures = [f"{_stage_sum(stages)} AS {name}" for name, stages in _STAGE_SUMS.items()]
    # On hold: the outstanding part of the commitments under a pause in force.
    measures.append(f"{_stage_sum(_STAGE_SUMS['outstanding'], held_only=True)} AS on_hold")
    measures.append("COALESCE(SUM(x.n), 0) AS entry_count")
    measures.append("COALESCE(SUM(x.unconverted), 0) AS unconverted_entries")
    return measures


# The id of the rate that converts {currency} on p.value_date: that day's, or the nearest
# earlier one.
_RATE_ID = (
    "(SELECT f.id FROM ledger_fxrate f WHERE f.currency = {currency} "
    "AND f.date <= p.value_date ORDER BY f.date DESC LIMIT 1)"
)


def _earlier(a: str, b: str) -> str:
    """The earlier of two dates, either of which may be NULL (portable LEAST)."""
    return f"CASE WHEN {a} IS NULL OR {b} < {a} THEN {b} ELSE {a} END"


def _later(a: str, b: str) -> str:
    return f"CASE WHEN {a} IS NULL OR {b} > {a} THEN {b} ELSE {a} END"


def _rates_sql(*, currency: str, scope: str, scope_params: list[Any]) -> tuple[str, list[Any]]:
    """The CTEs ``sources``, ``targets`` and ``rates``: per (currency, value date) of the
    entries in scope, the rate of their currency and of the target, and which rates a
    conversion used (their earliest and latest dates, and a 0/1 column per provider).
    An entry already in the target currency, or one that cannot convert, uses none."""
    if currency == BASE_CURRENCY:  # the euro is 1 and has no rate rows
        target_id, target_rate, target_found = "CAST(NULL AS BIGINT)", "1", "1 = 1"
    else:
        target_id, target_rate = _RATE_ID.format(currency="%s"), "tf.rate"
        target_found = "tf.id IS NOT NULL"
    by_provider = "".join(
        f", CASE WHEN q.used = 1 AND '{code}' IN (q.source_provider, q.target_provider) "
        f"THEN 1 ELSE 0 END AS by_{code}"
        for code in RateProvider.values
    )
    sql = f"""
        sources AS MATERIALIZED (
            SELECT p.currency, p.value_date, {_RATE_ID.format(currency="p.currency")} AS rate_id
            FROM (SELECT DISTINCT e.currency, e.value_date
                  FROM ledger_ledgerentry e WHERE {scope}) p
        ),
        targets AS MATERIALIZED (
            SELECT p.value_date, {target_id} AS rate_id
            FROM (SELECT DISTINCT value_date FROM sources) p
        ),
        rates AS MATERIALIZED (
            SELECT q.currency, q.value_date, q.source_rate, q.target_rate,
                   CASE WHEN q.used = 1
                        THEN {_earlier("q.source_date", "q.target_date")} END AS rates_earliest,
                   CASE WHEN q.used = 1
                        THEN {_later("q.source_date", "q.target_date")} END AS rates_latest
                   {by_provider}
            FROM (
                SELECT s.currency, s.value_date,
                       CASE WHEN s.currency = %s THEN 1 ELSE sf.rate END AS source_rate,
                       {target_rate} AS target_rate,
                       sf.date AS source_date, tf.date AS target_date,
                       sf.provider AS source_provider, tf.provider AS target_provider,
                       CASE WHEN s.currency <> %s
                                 AND (s.currency = %s OR sf.id IS NOT NULL)
                                 AND {target_found}
                            THEN 1 ELSE 0 END AS used
                FROM sources s
                JOIN targets t ON t.value_date = s.value_date
                LEFT JOIN ledger_fxrate sf ON sf.id = s.rate_id
                LEFT JOIN ledger_fxrate tf ON tf.id = t.rate_id
            ) q
        )"""
    target_params = [] if currency == BASE_CURRENCY else [currency]
    return sql, [*scope_params, *target_params, BASE_CURRENCY, currency, BASE_CURRENCY]


def _rates_used(alias: str) -> str:
    """Aggregates of which rates the rows of ``alias`` used: their date range, and 1 for
    each provider whose rate some conversion used."""
    return ", ".join(
        [
            f"MIN({alias}.rates_earliest) AS rates_earliest",
            f"MAX({alias}.rates_latest) AS rates_latest",
            *(f"MAX({alias}.by_{code}) AS by_{code}" for code in RateProvider.values),
        ]
    )


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


def _subquery(queryset: QuerySet) -> tuple[str, tuple[Any, ...]]:
    """The SQL selecting the ids of ``queryset``, to embed in an ``IN (...)``."""
    try:
        sql, params = queryset.order_by().values("pk").query.sql_with_params()
    except EmptyResultSet:  # e.g. pk__in=[]: Django knows no row can match
        return "SELECT 0 WHERE 1 = 0", ()
    return sql, tuple(params)


def _statement(
    *,
    group_by: Sequence[str],
    as_of: date | None,
    known_at: datetime | None,
    currency: str,
    commitments: QuerySet[Commitment] | None,
    commitment_ids: Sequence[int] | None = None,
) -> tuple[str, list[Any]]:
    ops = connection.ops
    where: list[str] = ["1 = 1"]
    where_params: list[Any] = []
    if as_of is not None:
        where.append("e.value_date <= %s")
        where_params.append(ops.adapt_datefield_value(as_of))
    if known_at is not None:
        where.append("e.recorded_at <= %s")
        where_params.append(ops.adapt_datetimefield_value(known_at))
    if commitments is not None:
        scope_sql, scope_params = _subquery(commitments)
        where.append(f"e.commitment_id IN ({scope_sql})")
        where_params.extend(scope_params)
    if commitment_ids is not None:
        # Literal ids let the database use the (commitment, value date) index.
        where.append(f"e.commitment_id IN ({', '.join(['%s'] * len(commitment_ids)) or 'NULL'})")
        where_params.extend(commitment_ids)

    held = Commitment.objects.filter(
        commitment_paused(as_of or timezone.now().date(), known_at=known_at)
    )
    held_sql, held_params = _subquery(held)

    sqlite = connection.vendor == "sqlite"
    columns = [c for g in group_by for c in GROUPINGS[g]]
    per_entry = [c for c in columns if c.of_entry]
    selected = [
        f"x.{c.name}" if c.of_entry else f"{c.expression(sqlite=sqlite)} AS {c.name}"
        for c in columns
    ]
    grouped = [str(position) for position in range(1, len(columns) + 1)]
    scope = " AND ".join(where)
    converted = (
        "CASE WHEN e.reverses_id IS NULL THEN 1 ELSE -1 END * CASE WHEN e.currency = %s "
        "THEN e.amount ELSE e.amount * l.target_rate / l.source_rate END"
    )
    rates_sql, rates_params = _rates_sql(currency=currency, scope=scope, scope_params=where_params)
    # Rates are looked up once per (currency, day) that occurs (the target currency's
    # once per day), and the commitments on hold are found once; entries join them by
    # equality and are summed per commitment and stage before the grouping asked for.
    # MATERIALIZED keeps the database from re-running a step for every row reading it.
    sql = f"""
        WITH {rates_sql},
        held (id) AS MATERIALIZED ({held_sql}),
        x AS (
            SELECT e.commitment_id, e.stage,
                   {"".join(f"{c.expression(sqlite=sqlite)} AS {c.name}, " for c in per_entry)}
                   SUM({converted}) AS converted,
                   COUNT(*) AS n,
                   SUM(CASE WHEN ({converted}) IS NULL THEN 1 ELSE 0 END) AS unconverted,
                   {_rates_used("l")}
            FROM ledger_ledgerentry e
            JOIN rates l ON l.currency = e.currency AND l.value_date = e.value_date
            WHERE {scope}
            GROUP BY {", ".join(str(n) for n in range(1, len(per_entry) + 3))}
        )
        SELECT {", ".join([*selected, *_measure_sql(), _rates_used("x")])}
        FROM x
        JOIN ledger_commitment c ON c.id = x.commitment_id
        JOIN ledger_organization d ON d.id = c.donor_id
        JOIN ledger_organization r ON r.id = c.recipient_id
        LEFT JOIN held h ON h.id = x.commitment_id
        {"GROUP BY " + ", ".join(grouped) if grouped else ""}
        {"ORDER BY " + ", ".join(grouped) if grouped else ""}
    """
    params = [*rates_params, *held_params, currency, currency, *where_params]
    return sql, params


def _as_money(value: Any) -> Decimal:
    """PostgreSQL answers in exact numeric; SQLite in binary floating point."""
    if isinstance(value, Decimal):
        return value.quantize(FIGURE_QUANTUM)
    return Decimal(repr(value)).quantize(FIGURE_QUANTUM)


def _rows(sql: str, params: list[Any]) -> list[dict[str, Any]]:
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # The planner cannot see how many rows the materialized steps hold and, at a
            # million entries, joins them by sorting every entry (spilling to disk) where
            # hashing the few thousand rates is twice as fast.
            cursor.execute("SET LOCAL enable_mergejoin = off")
        cursor.execute(sql, params)
        names = [column[0] for column in cursor.description]
        rows = [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
    for row in rows:
        for name in MONEY:
            row[name] = _as_money(row[name])
        row["entry_count"] = int(row["entry_count"])
        row["unconverted_entries"] = int(row["unconverted_entries"])
        for day in ("month", "day"):
            if isinstance(row.get(day), str):  # SQLite answers dates as text
                row[day] = date.fromisoformat(row[day])
        row["rates"] = _rates_of(row)
    return rows


def _rates_of(row: dict[str, Any]) -> dict[str, Any]:
    """Which rates converted the row's amounts: the providers, and the earliest and
    latest rate dates (all empty when nothing needed converting)."""
    earliest, latest = row.pop("rates_earliest"), row.pop("rates_latest")
    return {
        "providers": [code for code in RateProvider.values if row.pop(f"by_{code}")],
        "earliest": date.fromisoformat(earliest) if isinstance(earliest, str) else earliest,
        "latest": date.fromisoformat(latest) if isinstance(latest, str) else latest,
    }


def figures(
    *,
    group_by: Sequence[str],
    as_of: date | None = None,
    known_at: datetime | None = None,
    currency: str = BASE_CURRENCY,
    commitments: QuerySet[Commitment] | None = None,
    commitment_ids: Sequence[int] | None = None,
) -> list[dict[str, Any]]:
    """Figures in ``currency`` per group: one dict per group that has entries, ordered by
    the groups.

    ``group_by`` takes one or more of ``commitment``, ``donor``, ``recipient``,
    ``category``, ``stage``, ``year``, ``month`` and ``day`` (of the value date). Pauses are
    judged on ``as_of``, or today. ``commitments`` (a queryset) or ``commitment_ids``
    narrow the ledger. Raises
    ``ValidationError`` for an unknown grouping or currency, or a naive ``known_at``.
    """
    if not group_by:
        raise ValidationError({"group_by": "Name at least one grouping, or use totals()."})
    _validated(group_by=group_by, currency=currency, known_at=known_at)
    sql, params = _statement(
        group_by=list(dict.fromkeys(group_by)),
        as_of=as_of,
        known_at=known_at,
        currency=currency,
        commitments=commitments,
        commitment_ids=commitment_ids,
    )
    return _rows(sql, params)


def totals(
    *,
    as_of: date | None = None,
    known_at: datetime | None = None,
    currency: str = BASE_CURRENCY,
    commitments: QuerySet[Commitment] | None = None,
) -> dict[str, Any]:
    """The figures of the whole ledger (or of ``commitments``) as one dict."""
    _validated(group_by=(), currency=currency, known_at=known_at)
    sql, params = _statement(
        group_by=(), as_of=as_of, known_at=known_at, currency=currency, commitments=commitments
    )
    (row,) = _rows(sql, params)
    return row


def figures_by_commitment(
    commitments: Sequence[Commitment],
    *,
    currency: str = BASE_CURRENCY,
    as_of: date | None = None,
    known_at: datetime | None = None,
) -> dict[int, dict[str, Any]]:
    """The figures of each of ``commitments`` (a page of them), from one query; a
    commitment without entries gets zeros."""
    rows = figures(
        group_by=["commitment"],
        currency=currency,
        as_of=as_of,
        known_at=known_at,
        commitment_ids=[c.pk for c in commitments],
    )
    by_commitment = {row["commitment"]: row for row in rows}
    zero = {name: Decimal(0).quantize(FIGURE_QUANTUM) for name in MONEY} | {
        "entry_count": 0,
        "unconverted_entries": 0,
        "rates": {"providers": [], "earliest": None, "latest": None},
    }
    return {c.pk: by_commitment.get(c.pk, zero) for c in commitments}
