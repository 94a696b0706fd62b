from collections.abc import Mapping, Sequence
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from simple_history.utils import bulk_create_with_history

from ledger.models import (
    Commitment,
    CommitmentIdentifier,
    CoordinationBody,
    DatePrecision,
    Organization,
    Source,
)
from ledger.selectors.organizations import default_recipient
from ledger.services._common import (
    clean_fields,
    differing_fields,
    field_error,
    inserted,
    race_safe,
    require,
)


def _commitment_by_identifier(identifiers: Mapping[str, str]) -> Commitment | None:
    for scheme, value in identifiers.items():
        found = CommitmentIdentifier.objects.filter(scheme=scheme, value=value).first()
        if found is not None:
            return found.commitment
    return None


@race_safe
def create_commitment(
    *,
    donor: Organization,
    title: str,
    category: str,
    announced_on: date,
    source: Source,
    announced_on_precision: str = DatePrecision.DAY,
    recipient: Organization | None = None,
    instrument: str = "",
    description: str = "",
    period_start: date | None = None,
    period_end: date | None = None,
    channel: CoordinationBody | None = None,
    identifiers: Mapping[str, str] | None = None,
) -> Commitment:
    """Open a commitment (an aid package or programme); it has no figures until entries.

    ``source`` is where it was announced. The recipient defaults to Ukraine.
    ``identifiers`` (scheme to value, e.g. ``{"iati": "XM-DAC-41114-…"}``) make the call
    idempotent: a commitment that already has one of them is returned if its content is
    the same, else ``ValidationError``.
    """
    require(donor=donor, source=source)
    recipient = recipient or default_recipient()
    if recipient is None:
        raise ValidationError({"recipient": "No recipient given and no default recipient exists."})
    content = {
        "donor_id": donor.pk,
        "recipient_id": recipient.pk,
        "title": title.strip(),
        "category": category,
        "instrument": instrument,
        "description": description,
        "announced_on": announced_on,
        "announced_on_precision": announced_on_precision,
        "period_start": period_start,
        "period_end": period_end,
        "channel_id": channel.pk if channel else None,
        "source_id": source.pk,
    }
    identifiers = dict(identifiers or {})
    existing = _commitment_by_identifier(identifiers)
    if existing is not None:
        differing = differing_fields(existing, content)
        if differing:
            raise field_error(
                "identifiers",
                "A commitment with this identifier exists with other "
                f"content (differs in: {', '.join(differing)}).",
                code="idempotency_conflict",
            )
        return existing
    commitment = Commitment(**content)
    errors: dict[str, list[str]] = {}
    try:
        clean_fields(commitment)
    except ValidationError as error:
        errors.update(error.message_dict)
    if period_start and period_end and period_end < period_start:
        errors.setdefault("period_end", []).append("The period must not end before it starts.")
    if errors:
        raise ValidationError(errors)
    commitment.save()
    for scheme, value in identifiers.items():
        identifier = CommitmentIdentifier(commitment=commitment, scheme=scheme, value=value)
        clean_fields(identifier)
        identifier.save()
    return inserted(commitment)


@race_safe
def add_identifier(*, commitment: Commitment, scheme: str, value: str) -> CommitmentIdentifier:
    """Record the commitment's identifier in another system; the same one again is
    harmless, one that belongs to another commitment raises ``ValidationError``."""
    require(commitment=commitment)
    existing = CommitmentIdentifier.objects.filter(scheme=scheme, value=value).first()
    if existing is not None:
        if existing.commitment_id == commitment.pk:
            return existing
        raise ValidationError(
            {"value": f"{scheme}:{value} already identifies {existing.commitment}."}
        )
    identifier = CommitmentIdentifier(commitment=commitment, scheme=scheme, value=value.strip())
    clean_fields(identifier)
    identifier.save()
    return inserted(identifier)


def validate_commitment(commitment: Commitment) -> None:
    """The checks ``create_commitment`` makes on its values, without queries."""
    errors: dict[str, list[str]] = {}
    try:
        clean_fields(commitment)
    except ValidationError as error:
        errors.update(error.message_dict)
    if not commitment.title.strip():
        errors.setdefault("title", []).append("A commitment needs a title.")
    start, end = commitment.period_start, commitment.period_end
    if start and end and end < start:
        errors.setdefault("period_end", []).append("The period must not end before it starts.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def create_identified_commitments(
    commitments: Sequence[tuple[Commitment, str, str]],
) -> list[Commitment]:
    """Create many commitments, each with its identifier (``(commitment, scheme, value)``,
    validated by ``validate_commitment``), in two inserts. An identifier another writer
    took meanwhile makes the database refuse them all (``IntegrityError``)."""
    created = bulk_create_with_history([c for c, _, _ in commitments], Commitment)
    bulk_create_with_history(
        [
            CommitmentIdentifier(commitment=commitment, scheme=scheme, value=value)
            for (commitment, scheme, value) in commitments
        ],
        CommitmentIdentifier,
    )
    return created
