"""Coordination bodies, their members, and who held which responsibility when."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q

from ledger.models import (
    BodyMembership,
    CoordinationBody,
    DatePrecision,
    Mandate,
    Organization,
    Responsibility,
    Source,
)
from ledger.services._common import (
    clean_fields,
    create_once,
    field_error,
    inserted,
    new_idempotency_key,
    race_safe,
    replay_or_conflict,
    require,
)


@race_safe
def create_coordination_body(
    *, name: str, acronym: str = "", description: str = ""
) -> CoordinationBody:
    """Create a coordination body, or return the one with this name (case-insensitively)."""
    existing = CoordinationBody.objects.filter(name__iexact=name.strip()).first()
    if existing is not None:
        return existing
    body = CoordinationBody(name=name.strip(), acronym=acronym, description=description)
    clean_fields(body)
    body.save()
    return inserted(body)


@transaction.atomic
def set_membership(
    *, body: CoordinationBody, organization: Organization, role: str
) -> BodyMembership:
    """Record that ``organization`` takes part in ``body`` as lead or member."""
    require(body=body, organization=organization)
    membership, _ = BodyMembership.objects.get_or_create(
        body=body, organization=organization, defaults={"role": role}
    )
    if membership.role != role:
        membership.role = role
        clean_fields(membership)
        membership.save(update_fields=["role"])
    return membership


@race_safe
def create_responsibility(*, code: str, name: str, description: str = "") -> Responsibility:
    """Create a coordination responsibility, or return the one with this code."""
    existing = Responsibility.objects.filter(code=code).first()
    if existing is not None:
        return existing
    responsibility = Responsibility(code=code, name=name, description=description)
    clean_fields(responsibility)
    responsibility.save()
    return inserted(responsibility)


def _overlapping(candidate: Mandate) -> Mandate | None:
    overlaps = Mandate.objects.filter(responsibility_id=candidate.responsibility_id).filter(
        Q(ends_on__isnull=True) | Q(ends_on__gt=candidate.starts_on)
    )
    if candidate.ends_on is not None:
        overlaps = overlaps.filter(starts_on__lt=candidate.ends_on)
    return overlaps.exclude(pk=candidate.pk).first()


def _validate_mandate(candidate: Mandate) -> None:
    clean_fields(candidate, exclude=["recorded_at"])
    if candidate.ends_on is not None and candidate.ends_on <= candidate.starts_on:
        raise ValidationError({"ends_on": "A mandate must end after it starts."})
    clash = _overlapping(candidate)
    if clash is not None:
        raise field_error(
            "starts_on",
            f"This overlaps the mandate of {clash.body} ({clash}).",
            code="mandate_overlap",
        )


class MandateHeld(ValidationError):
    """Assigning the mandate would end ``holder``'s open one, and no handover was asked for.

    A ``ValidationError`` on ``hands_over``, so forms show it beside that field; ``holder``
    lets a caller say which mandate is in the way (the API gives its URL)."""

    def __init__(self, *, holder: Mandate, starts_on: date) -> None:
        self.holder = holder
        super().__init__(
            {
                "hands_over": ValidationError(
                    f"{holder.body} holds {holder.responsibility} open-ended from "
                    f"{holder.starts_on} (mandate {holder.pk}): a mandate from {starts_on} "
                    "would end it, which only a handover may do.",
                    code="mandate_held",
                )
            }
        )


def _open_holder(
    *, responsibility: Responsibility, body: CoordinationBody, starts_on: date
) -> Mandate | None:
    """Another body's open-ended mandate begun before ``starts_on``: the one a handover
    would end (locked, so that two handovers cannot both end it)."""
    return (
        Mandate.objects.select_for_update()
        .filter(responsibility=responsibility, ends_on__isnull=True, starts_on__lt=starts_on)
        .exclude(body=body)
        .first()
    )


def _replay(existing: Mandate, content: dict[str, object], *, hands_over: bool) -> Mandate:
    """The same key again: whether it handed over is part of what was asked, so a handover
    replayed as a plain assignment (or the reverse) is another request."""
    if (existing.predecessor_id is not None) != hands_over:
        raise field_error(
            "idempotency_key",
            "This idempotency key was already used for different content (differs in: hands_over).",
            code="idempotency_conflict",
        )
    return replay_or_conflict(existing, content)


@race_safe
def assign_mandate(
    *,
    body: CoordinationBody,
    responsibility: Responsibility,
    starts_on: date,
    source: Source,
    hands_over: bool = False,
    starts_on_precision: str = DatePrecision.DAY,
    ends_on: date | None = None,
    end_source: Source | None = None,
    note: str = "",
    idempotency_key: str | None = None,
) -> Mandate:
    """Give ``body`` the ``responsibility`` from ``starts_on``.

    If another body holds it open-ended from before ``starts_on``, only ``hands_over``
    lets this end it: the holder's mandate ends on ``starts_on`` (citing ``source``) and
    the new mandate records it as its predecessor. Without ``hands_over`` that is
    ``MandateHeld``; ``hands_over`` with no such holder, and any other overlap, raise
    ``ValidationError``. A mandate known to have ended cites ``end_source`` for its end
    (``source`` if none). The same ``idempotency_key`` again returns the first mandate.
    """
    require(body=body, responsibility=responsibility, source=source)
    key = idempotency_key or new_idempotency_key()
    content: dict[str, object] = {
        "body_id": body.pk,
        "responsibility_id": responsibility.pk,
        "starts_on": starts_on,
        "starts_on_precision": starts_on_precision,
        "source_id": source.pk,
        "note": note,
    }
    end = {"ends_on": ends_on, "end_source_id": (end_source or source).pk if ends_on else None}
    if ends_on is not None:
        content.update(end)
    existing = Mandate.objects.filter(idempotency_key=key).first()
    if existing is not None:
        # A later handover may have ended it since: its end is compared only when given.
        return _replay(existing, content, hands_over=hands_over)
    holder = _open_holder(responsibility=responsibility, body=body, starts_on=starts_on)
    if holder is not None and not hands_over:
        raise MandateHeld(holder=holder, starts_on=starts_on)
    if holder is not None:
        holder.ends_on, holder.end_source = starts_on, source
        holder.save(update_fields=["ends_on", "end_source"])

    def validate(candidate: Mandate) -> None:
        _validate_mandate(candidate)
        # After the overlap check: a handover that lost a race to another finds the
        # holder ended, and is better told what it now overlaps.
        if hands_over and holder is None:
            raise field_error(
                "hands_over",
                f"No other body holds {responsibility} open-ended from before {starts_on}: "
                "there is nothing to hand over.",
                code="nothing_to_hand_over",
            )

    return create_once(
        Mandate,
        idempotency_key=key,
        content=content,
        metadata={**end, "predecessor_id": holder.pk if holder else None},
        validate=validate,
    )


@transaction.atomic
def end_mandate(*, mandate: Mandate, ends_on: date, source: Source) -> Mandate:
    """Record the end of an open mandate; ending it again the same way is harmless."""
    require(mandate=mandate, source=source)
    current = Mandate.objects.select_for_update().get(pk=mandate.pk)
    if current.ends_on is not None:
        if current.ends_on == ends_on and current.end_source_id == source.pk:
            return current
        raise ValidationError({"ends_on": f"This mandate already ended on {current.ends_on}."})
    if ends_on <= current.starts_on:
        raise ValidationError({"ends_on": "A mandate must end after it starts."})
    current.ends_on, current.end_source = ends_on, source
    current.save(update_fields=["ends_on", "end_source"])
    return current
