"""The ledger's story as dated events, in order: entries, pauses and resumptions, mandates
beginning and ending, and other events. One SQL query (a UNION), paginated in SQL."""

from datetime import date
from typing import Any

from django.db.models import CharField, DateField, F, IntegerField, QuerySet, Value
from django.db.models.functions import Cast

from ledger.models import Event, LedgerEntry, Mandate, Pause

KINDS = ("entry", "pause", "resumption", "mandate_start", "mandate_end", "event")

TEXT: CharField = CharField()


def _columns(
    *,
    kind: str,
    day: str,
    title: Any,
    donor: str | None,
    body: str | None,
    source: str,
    detail: Any,
) -> dict[str, Any]:
    # Names chosen not to clash with any model's own fields.
    return {
        "happened_on": Cast(F(day), DateField()),
        "happening": Value(kind, output_field=TEXT),
        "record": F("id"),
        "headline": Cast(title, TEXT),
        "detail": Cast(detail, TEXT),
        # A typed NULL: a bare one is text to PostgreSQL, and the UNION would not agree.
        "donor_ref": Cast(F(donor) if donor else Value(None), IntegerField()),
        "body_ref": Cast(F(body) if body else Value(None), IntegerField()),
        "source_ref": F(source),
    }


def _branches() -> dict[str, QuerySet]:
    return {
        "entry": LedgerEntry.objects.annotate(
            **_columns(
                kind="entry",
                day="value_date",
                title=F("commitment__title"),
                donor="commitment__donor_id",
                body="commitment__channel_id",
                source="source_id",
                detail=F("stage"),
            )
        ),
        "pause": Pause.objects.annotate(
            **_columns(
                kind="pause",
                day="paused_on",
                title=F("description"),
                donor="donor_id",
                body=None,
                source="source_id",
                detail=F("category"),
            )
        ),
        "resumption": Pause.objects.filter(resumed_on__isnull=False).annotate(
            **_columns(
                kind="resumption",
                day="resumed_on",
                title=F("description"),
                donor="donor_id",
                body=None,
                source="resumption_source_id",
                detail=F("category"),
            )
        ),
        "mandate_start": Mandate.objects.annotate(
            **_columns(
                kind="mandate_start",
                day="starts_on",
                title=F("responsibility__name"),
                donor=None,
                body="body_id",
                source="source_id",
                detail=F("body__name"),
            )
        ),
        "mandate_end": Mandate.objects.filter(ends_on__isnull=False).annotate(
            **_columns(
                kind="mandate_end",
                day="ends_on",
                title=F("responsibility__name"),
                donor=None,
                body="body_id",
                source="end_source_id",
                detail=F("body__name"),
            )
        ),
        "event": Event.objects.annotate(
            **_columns(
                kind="event",
                day="occurred_on",
                title=F("title"),
                donor=None,
                body="body_id",
                source="source_id",
                detail=F("kind"),
            )
        ),
    }


COLUMNS = (
    "happened_on",
    "happening",
    "record",
    "headline",
    "detail",
    "donor_ref",
    "body_ref",
    "source_ref",
)


def timeline(
    *,
    kinds: list[str] | None = None,
    donors: list[int] | None = None,
    bodies: list[int] | None = None,
    since: date | None = None,
    until: date | None = None,
) -> QuerySet:
    """Dated happenings, oldest first (dicts with ``COLUMNS``), filtered by kind, donor,
    coordination body and date range. Ties on a day keep a fixed order of kinds, so a
    pause precedes its resumption."""
    parts = []
    for kind, branch in _branches().items():
        if kinds and kind not in kinds:
            continue
        if donors:
            branch = branch.filter(donor_ref__in=donors)
        if bodies:
            branch = branch.filter(body_ref__in=bodies)
        if since:
            branch = branch.filter(happened_on__gte=since)
        if until:
            branch = branch.filter(happened_on__lte=until)
        parts.append(branch.values(*COLUMNS).order_by())
    if not parts:
        return LedgerEntry.objects.none().values(*COLUMNS)
    first, *rest = parts
    return first.union(*rest, all=True).order_by("happened_on", "happening", "record")
