"""Which pauses were in force when, on both time axes."""

from datetime import date, datetime

from django.db.models import Exists, OuterRef, Q, QuerySet

from ledger.models import Commitment, Pause


def in_force_condition(on: date, *, known_at: datetime | None = None) -> Q:
    """A pause in force on day ``on``: begun, and not resumed on or before that day.

    With ``known_at``, only what the ledger had recorded by then counts: a pause
    recorded later did not exist yet, and a resumption recorded later had not happened.
    """
    condition = Q(paused_on__lte=on)
    resumed = Q(resumed_on__isnull=False, resumed_on__lte=on)
    if known_at is not None:
        condition &= Q(recorded_at__lte=known_at)
        resumed &= Q(resumption_recorded_at__lte=known_at)
    return condition & ~resumed


def pauses_in_force(on: date, *, known_at: datetime | None = None) -> QuerySet[Pause]:
    """The pauses in force on ``on`` (as the ledger knew at ``known_at``, if given)."""
    return Pause.objects.filter(in_force_condition(on, known_at=known_at))


def covers_commitment(*, donor_ref: str, commitment_ref: str, category_ref: str) -> Q:
    """A pause's scope covers a commitment (given by outer references to its columns)."""
    return Q(donor_id=OuterRef(donor_ref)) & (
        Q(commitment_id=OuterRef(commitment_ref))
        | Q(commitment__isnull=True, category="")
        | Q(commitment__isnull=True, category=OuterRef(category_ref))
    )


def commitment_paused(
    on: date, *, known_at: datetime | None = None, commitment_ref: str = "pk", via: str = ""
) -> Exists:
    """An ``Exists`` for annotating commitments (or entries, with ``via="commitment__"``)
    with whether a pause covering them was in force on ``on``."""
    return Exists(
        Pause.objects.filter(
            covers_commitment(
                donor_ref=f"{via}donor_id",
                commitment_ref=commitment_ref,
                category_ref=f"{via}category",
            ),
            in_force_condition(on, known_at=known_at),
        )
    )


def commitments_paused_on(on: date, *, known_at: datetime | None = None) -> QuerySet[Commitment]:
    """The commitments a pause in force on ``on`` covered (as known at ``known_at``)."""
    return Commitment.objects.filter(commitment_paused(on, known_at=known_at))


def overlapping_pauses(candidate: Pause) -> QuerySet[Pause]:
    """Pauses of exactly the same scope whose period meets the candidate's start."""
    same_commitment = (
        Q(commitment_id=candidate.commitment_id)
        if candidate.commitment_id is not None
        else Q(commitment__isnull=True)
    )
    return Pause.objects.filter(
        same_commitment,
        donor_id=candidate.donor_id,
        category=candidate.category,
        paused_on__lte=candidate.paused_on,
    ).filter(Q(resumed_on__isnull=True) | Q(resumed_on__gt=candidate.paused_on))


def unresumed_pauses(
    *, commitment: Commitment | None = None, donor_id: int | None = None
) -> QuerySet[Pause]:
    """Pauses not yet resumed: of one commitment (its own scope only), or of one donor."""
    pauses = Pause.objects.filter(resumed_on__isnull=True)
    if commitment is not None:
        return pauses.filter(commitment=commitment)
    return pauses.filter(donor_id=donor_id)
