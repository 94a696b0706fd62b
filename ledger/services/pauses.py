"""Pausing and resuming deliveries. Each end of a pause is recorded once, with its source."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from ledger.models import Commitment, DatePrecision, Organization, Pause, Source
from ledger.selectors.pauses import overlapping_pauses
from ledger.services._common import (
    clean_fields,
    create_once,
    field_error,
    new_idempotency_key,
    race_safe,
    require,
)


def _validate_pause(candidate: Pause) -> None:
    clean_fields(candidate, exclude=["recorded_at", "resumption_recorded_at"])
    clash = overlapping_pauses(candidate).first()
    if clash is not None:
        raise field_error(
            "paused_on",
            f"The same scope is already paused from {clash.paused_on} ({clash}).",
            code="already_paused",
        )


@race_safe
def pause(
    *,
    paused_on: date,
    source: Source,
    donor: Organization | None = None,
    commitment: Commitment | None = None,
    category: str = "",
    description: str = "",
    reason: str = "",
    paused_on_precision: str = DatePrecision.DAY,
    ordered_by: Organization | None = None,
    idempotency_key: str | None = None,
) -> Pause:
    """Record that ``donor`` stopped deliveries from ``paused_on``.

    The scope is ``commitment`` (the donor is then the commitment's), or ``category``
    of the donor's aid, or with neither all of the donor's aid. Raises
    ``ValidationError`` when the scope is contradictory or already paused then.
    ``ordered_by`` names who ordered it where that is not the donor (the Pentagon).
    """
    require(source=source)
    if commitment is not None:
        if donor is not None and donor.pk != commitment.donor_id:
            raise ValidationError(
                {"commitment": f"This commitment is {commitment.donor}'s, not {donor}'s."}
            )
        if category:
            raise ValidationError(
                {"category": "Pause one commitment or a category of aid, not both."}
            )
        donor_id = commitment.donor_id
    else:
        require(donor=donor)
        assert donor is not None
        donor_id = donor.pk
    return create_once(
        Pause,
        idempotency_key=idempotency_key or new_idempotency_key(),
        content={
            "donor_id": donor_id,
            "commitment_id": commitment.pk if commitment else None,
            "category": category,
            "description": description,
            "reason": reason,
            "paused_on": paused_on,
            "paused_on_precision": paused_on_precision,
            "ordered_by_id": ordered_by.pk if ordered_by else None,
            "source_id": source.pk,
        },
        validate=_validate_pause,
    )


@transaction.atomic
def resume(*, pause: Pause, resumed_on: date, source: Source) -> Pause:
    """Record that deliveries under ``pause`` resumed on ``resumed_on``.

    Resuming again with the same date and source returns the pause unchanged; another
    date or source, or a date before the pause began, raises ``ValidationError``.
    """
    require(pause=pause, source=source)
    current = Pause.objects.select_for_update().get(pk=pause.pk)
    if current.resumed_on is not None:
        if current.resumed_on == resumed_on and current.resumption_source_id == source.pk:
            return current
        raise field_error(
            "resumed_on",
            f"This pause was already resumed on {current.resumed_on}.",
            code="already_resumed",
        )
    if resumed_on < current.paused_on:
        raise field_error(
            "resumed_on",
            f"Resumed before the pause began ({current.paused_on}).",
            code="resumed_before_paused",
        )
    current.resumed_on = resumed_on
    current.resumption_source = source
    # The database keeps its own clock for this (PostgreSQL sets it, SQLite checks it).
    current.resumption_recorded_at = timezone.now()
    current.save(update_fields=["resumed_on", "resumption_source", "resumption_recorded_at"])
    current.refresh_from_db()
    return current


@transaction.atomic
def update_pause(*, pause: Pause, description: str, reason: str) -> Pause:
    """Reword what a pause holds back and why; its scope, dates and sources are fixed."""
    require(pause=pause)
    pause.description = description
    pause.reason = reason
    clean_fields(pause, exclude=["recorded_at", "resumption_recorded_at"])
    pause.save(update_fields=["description", "reason"])
    return pause
