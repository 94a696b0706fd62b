"""The ledger's story as dated facts, in order: commitments announced, entries, pauses and
resumptions, mandates beginning and ending, events, and totals someone reported. One SQL
query (a UNION, each branch joining the names of what the fact concerns), paginated in
SQL, so a page costs the same queries whatever its size."""

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import (
    CharField,
    DateField,
    DecimalField,
    F,
    IntegerField,
    QuerySet,
    Value,
)
from django.db.models.functions import Cast, Concat

from ledger.models import Commitment, Event, LedgerEntry, Mandate, Pause, ReportedTotal
from ledger.money import MONEY_DECIMAL_PLACES, MONEY_MAX_DIGITS

KINDS = (
    "commitment",
    "entry",
    "pause",
    "resumption",
    "mandate_start",
    "mandate_end",
    "event",
    "reported_total",
)

# What a fact may concern, and the field that names each (a source by its title).
RELATIONS = {
    "donor": "name",
    "recipient": "name",
    "commitment": "title",
    "body": "name",
    "source": "title",
}
# A relation path naming the fact's own row (a commitment is its own commitment).
ITSELF = ""

TEXT: CharField = CharField()
AMOUNT: DecimalField = DecimalField(
    max_digits=MONEY_MAX_DIGITS, decimal_places=MONEY_DECIMAL_PLACES
)


@dataclass(frozen=True, kw_only=True)
class Branch:
    """One kind of fact: its model (narrowed to the rows that have this fact), its date,
    its title and detail, and the path from the row to each related object."""

    rows: QuerySet
    day: str
    title: Any
    detail: Any
    relations: dict[str, str]
    amount: str | None = None
    currency: str | None = None
    qualifier: str | None = None


def _typed(expression: Any, field: Any) -> Cast:
    # A typed NULL or value: a bare NULL is text to PostgreSQL, and the UNION would not agree.
    return Cast(expression if expression is not None else Value(None), field)


def _column(name: str | None) -> F | None:
    return F(name) if name else None


def _relation_columns(role: str, path: str | None) -> dict[str, Any]:
    if path is None:
        ref = label = None
    elif path == ITSELF:
        ref, label = F("id"), F(RELATIONS[role])
    else:
        ref, label = F(f"{path}_id"), F(f"{path}__{RELATIONS[role]}")
    return {f"{role}_ref": _typed(ref, IntegerField()), f"{role}_name": _typed(label, TEXT)}


def _columns(kind: str, branch: Branch) -> dict[str, Any]:
    # Names chosen not to clash with any model's own fields.
    columns: dict[str, Any] = {
        "happened_on": Cast(F(branch.day), DateField()),
        "happening": Value(kind, output_field=TEXT),
        "record": F("id"),
        "headline": Cast(branch.title, TEXT),
        "detail": Cast(branch.detail, TEXT),
        "amount_value": _typed(_column(branch.amount), AMOUNT),
        "currency_code": _typed(_column(branch.currency), TEXT),
        "qualifier_code": _typed(_column(branch.qualifier), TEXT),
    }
    for role in RELATIONS:
        columns |= _relation_columns(role, branch.relations.get(role))
    source = branch.relations["source"]
    columns["source_publisher"] = Cast(F(f"{source}__publisher"), TEXT)
    return columns


def _branches() -> dict[str, Branch]:
    of_commitment = {
        "donor": "commitment__donor",
        "recipient": "commitment__recipient",
        "commitment": "commitment",
    }
    return {
        "commitment": Branch(
            rows=Commitment.objects.all(),
            day="announced_on",
            title=F("title"),
            detail=F("category"),
            relations={
                "donor": "donor",
                "recipient": "recipient",
                "commitment": ITSELF,
                "body": "channel",
                "source": "source",
            },
        ),
        "entry": Branch(
            rows=LedgerEntry.objects.all(),
            day="value_date",
            title=F("commitment__title"),
            detail=F("stage"),
            amount="amount",
            currency="currency",
            relations={**of_commitment, "body": "commitment__channel", "source": "source"},
        ),
        "pause": Branch(
            rows=Pause.objects.all(),
            day="paused_on",
            title=F("description"),
            detail=F("category"),
            relations={**of_commitment, "donor": "donor", "source": "source"},
        ),
        "resumption": Branch(
            rows=Pause.objects.filter(resumed_on__isnull=False),
            day="resumed_on",
            title=F("description"),
            detail=F("category"),
            relations={**of_commitment, "donor": "donor", "source": "resumption_source"},
        ),
        "mandate_start": Branch(
            rows=Mandate.objects.all(),
            day="starts_on",
            title=F("responsibility__name"),
            detail=F("body__name"),
            relations={"body": "body", "source": "source"},
        ),
        "mandate_end": Branch(
            rows=Mandate.objects.filter(ends_on__isnull=False),
            day="ends_on",
            title=F("responsibility__name"),
            detail=F("body__name"),
            relations={"body": "body", "source": "end_source"},
        ),
        "event": Branch(
            rows=Event.objects.all(),
            day="occurred_on",
            title=F("title"),
            detail=F("kind"),
            relations={"body": "body", "source": "source"},
        ),
        "reported_total": Branch(
            rows=ReportedTotal.objects.all(),
            day="as_of",
            # A date cast to text is ISO 8601 on both backends.
            title=Concat(
                Value("Total reported since "), Cast("period_start", TEXT), output_field=TEXT
            ),
            detail=F("stage"),
            amount="amount",
            currency="currency",
            qualifier="qualifier",
            relations={"donor": "donor", "recipient": "recipient", "source": "source"},
        ),
    }


COLUMNS = (
    "happened_on",
    "happening",
    "record",
    "headline",
    "detail",
    "amount_value",
    "currency_code",
    "qualifier_code",
    *(f"{role}_{part}" for role in RELATIONS for part in ("ref", "name")),
    "source_publisher",
)


def timeline(
    *,
    kinds: list[str] | None = None,
    donors: list[int] | None = None,
    bodies: list[int] | None = None,
    since: date | None = None,
    until: date | None = None,
) -> QuerySet:
    """Dated facts, oldest first (dicts with ``COLUMNS``: each related object as its id
    and name, ``<role>_ref`` and ``<role>_name``), filtered by kind, donor, coordination
    body and date range. Ties on a day keep a fixed order of kinds, so a commitment
    precedes its entries and a pause its resumption."""
    parts = []
    for kind, branch in _branches().items():
        if kinds and kind not in kinds:
            continue
        rows = branch.rows.annotate(**_columns(kind, branch))
        if donors:
            rows = rows.filter(donor_ref__in=donors)
        if bodies:
            rows = rows.filter(body_ref__in=bodies)
        if since:
            rows = rows.filter(happened_on__gte=since)
        if until:
            rows = rows.filter(happened_on__lte=until)
        parts.append(rows.values(*COLUMNS).order_by())
    if not parts:
        entries = _branches()["entry"]
        return entries.rows.annotate(**_columns("entry", entries)).none().values(*COLUMNS)
    first, *rest = parts
    return first.union(*rest, all=True).order_by("happened_on", "happening", "record")
