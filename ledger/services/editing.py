"""Editing the editable models (organizations, commitments, sources, rates, bodies...).

Ledger entries are never edited, and pauses and mandates only in the words around their
facts; each of those has its own service. Everything else is edited through here, so
the admin and the API validate edits the same way.
"""

from collections.abc import Iterable, Mapping
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import models, transaction

from ledger.models import (
    Commitment,
    CoordinationBody,
    Event,
    FxRate,
    Mandate,
    Organization,
    ReportedTotal,
    Responsibility,
    Source,
)
from ledger.selectors.organizations import find_organization
from ledger.services._common import clean_fields, field_error

ModelT = TypeVar("ModelT", bound=models.Model)

# What may change after a row is recorded; the rest is the row's identity or its facts.
EDITABLE: dict[type[models.Model], frozenset[str]] = {
    Organization: frozenset(
        {"name", "kind", "country_code", "parent", "iati_identifier", "is_verified"}
    ),
    Commitment: frozenset(
        {
            "donor",
            "recipient",
            "title",
            "description",
            "category",
            "instrument",
            "announced_on",
            "announced_on_precision",
            "period_start",
            "period_end",
            "channel",
            "source",
        }
    ),
    Source: frozenset({"url", "publisher", "title", "published_on", "retrieved_at", "excerpt"}),
    FxRate: frozenset({"rate", "source"}),
    CoordinationBody: frozenset({"name", "acronym", "description"}),
    Responsibility: frozenset({"name", "description"}),
    Mandate: frozenset({"note"}),
    Event: frozenset(
        {"kind", "title", "occurred_on", "occurred_on_precision", "place", "body", "description"}
    ),
    ReportedTotal: frozenset({"note"}),
}


@transaction.atomic
def edit(instance: ModelT, changes: Mapping[str, Any]) -> ModelT:
    """Apply ``changes`` to an editable row after validating them like a new row.

    Raises ``ValidationError`` naming a field that may not change, or any field whose
    new value is invalid (field validators and the model's constraints). Saves only the
    changed fields, so the change history shows exactly what changed.
    """
    editable = EDITABLE.get(type(instance), frozenset())
    fixed = sorted(set(changes) - editable)
    if fixed:
        raise ValidationError(dict.fromkeys(fixed, "This cannot be changed once recorded."))
    if isinstance(instance, Organization) and "name" in changes:
        holder = find_organization(changes["name"])
        if holder is not None and holder.pk != instance.pk:
            raise field_error(
                "name", f"{changes['name']!r} already names {holder.name!r}.", code="name_taken"
            )
        if instance.aliases.filter(alias__iexact=changes["name"].strip()).exists():
            raise field_error(
                "name",
                f"{changes['name']!r} is already one of this organization's aliases.",
                code="name_taken",
            )
    for name, value in changes.items():
        setattr(instance, name, value)
    clean_fields(instance, exclude=["recorded_at", "resumption_recorded_at"])
    instance.validate_constraints()
    if changes:
        instance.save(update_fields=list(changes))
    return instance


@transaction.atomic
def set_participants(*, event: Event, organizations: Iterable[Organization]) -> Event:
    """Name the organizations that took part in ``event`` (replacing the previous list)."""
    event.participants.set(list(organizations))
    return event
