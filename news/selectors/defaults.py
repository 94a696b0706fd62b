"""The ledger rows an accepted candidate is written against when the editor names none:
each is found only where the ledger holds exactly one that fits, so nothing is guessed."""

from datetime import date

from ledger.models import CoordinationBody, Mandate, MembershipRole, Pause, Responsibility


def open_pause(*, donor_id: int, on: date) -> Pause | None:
    """The donor's one pause begun by ``on`` and not yet resumed: what a resumption closes."""
    pauses = list(
        Pause.objects.filter(donor_id=donor_id, resumed_on__isnull=True, paused_on__lte=on)[:2]
    )
    return pauses[0] if len(pauses) == 1 else None


def led_body(*, organization_id: int) -> CoordinationBody | None:
    """The one coordination body ``organization`` leads."""
    bodies = list(
        CoordinationBody.objects.filter(
            memberships__organization_id=organization_id, memberships__role=MembershipRole.LEAD
        )[:2]
    )
    return bodies[0] if len(bodies) == 1 else None


def only_responsibility() -> Responsibility | None:
    """The ledger's responsibility, where it knows just one."""
    responsibilities = list(Responsibility.objects.all()[:2])
    return responsibilities[0] if len(responsibilities) == 1 else None


def open_holder(
    *, responsibility: Responsibility, body: CoordinationBody, starts_on: date
) -> Mandate | None:
    """Another body's open-ended mandate begun before ``starts_on``: a mandate from then
    takes the responsibility over from it."""
    return (
        Mandate.objects.filter(
            responsibility=responsibility, ends_on__isnull=True, starts_on__lt=starts_on
        )
        .exclude(body=body)
        .first()
    )
