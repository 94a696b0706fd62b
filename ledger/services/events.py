"""Events and reported totals: dated facts the timeline shows but the figures never sum."""

from collections.abc import Collection
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError

from ledger.models import (
    CoordinationBody,
    DatePrecision,
    Event,
    Organization,
    ReportedTotal,
    Source,
)
from ledger.selectors.organizations import default_recipient
from ledger.services._common import (
    clean_fields,
    create_once,
    new_idempotency_key,
    race_safe,
    require,
)


@race_safe
def record_event(
    *,
    kind: str,
    title: str,
    occurred_on: date,
    source: Source,
    occurred_on_precision: str = DatePrecision.DAY,
    place: str = "",
    body: CoordinationBody | None = None,
    participants: Collection[Organization] = (),
    description: str = "",
    idempotency_key: str | None = None,
) -> Event:
    """Record an agreement, meeting or statement with its source.

    Idempotent by ``idempotency_key``; raises ``ValidationError`` with field messages.
    """
    require(source=source)
    event = create_once(
        Event,
        idempotency_key=idempotency_key or new_idempotency_key(),
        content={
            "kind": kind,
            "title": title.strip(),
            "occurred_on": occurred_on,
            "occurred_on_precision": occurred_on_precision,
            "place": place,
            "body_id": body.pk if body else None,
            "description": description,
            "source_id": source.pk,
        },
        validate=lambda candidate: clean_fields(candidate, exclude=["recorded_at"]),
    )
    event.participants.add(*participants)
    return event


@race_safe
def record_reported_total(
    *,
    donor: Organization,
    stage: str,
    amount: Decimal,
    currency: str,
    period_start: date,
    as_of: date,
    source: Source,
    qualifier: str = "exact",
    recipient: Organization | None = None,
    period_start_precision: str = DatePrecision.DAY,
    as_of_precision: str = DatePrecision.DAY,
    note: str = "",
    idempotency_key: str | None = None,
) -> ReportedTotal:
    """Record a running total someone reported, beside the ledger (it is never summed).

    Raises ``ValidationError`` for a bad amount, currency or period; idempotent by key.
    """
    require(donor=donor, source=source)
    recipient = recipient or default_recipient()
    if recipient is None:
        raise ValidationError({"recipient": "No recipient given and no default recipient exists."})

    def validate(candidate: ReportedTotal) -> None:
        clean_fields(candidate, exclude=["recorded_at"])
        if candidate.as_of < candidate.period_start:
            raise ValidationError({"as_of": "A total is reported after its period starts."})

    return create_once(
        ReportedTotal,
        idempotency_key=idempotency_key or new_idempotency_key(),
        content={
            "donor_id": donor.pk,
            "recipient_id": recipient.pk,
            "stage": stage,
            "qualifier": qualifier,
            "amount": amount,
            "currency": currency,
            "period_start": period_start,
            "period_start_precision": period_start_precision,
            "as_of": as_of,
            "as_of_precision": as_of_precision,
            "source_id": source.pk,
            "note": note,
        },
        validate=validate,
    )
