from datetime import date

from django.db.models import Q

from ledger.models import Mandate, Responsibility


def mandate_holder(responsibility: Responsibility, on: date) -> Mandate | None:
    """The mandate in force for ``responsibility`` on day ``on``, if any."""
    return (
        Mandate.objects.select_related("body")
        .filter(responsibility=responsibility, starts_on__lte=on)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gt=on))
        .first()
    )


def succession(responsibility: Responsibility) -> list[Mandate]:
    """The mandates of ``responsibility`` in order, each followed by its successor."""
    return list(
        Mandate.objects.select_related("body", "predecessor")
        .filter(responsibility=responsibility)
        .order_by("starts_on")
    )
