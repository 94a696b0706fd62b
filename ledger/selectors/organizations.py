from django.db.models import Q

from ledger.models import Organization


def find_organization(name: str) -> Organization | None:
    """The organization a name from outside refers to: by name, alias, ISO country code
    (for states) or IATI organisation identifier, case-insensitively."""
    name = name.strip()
    if not name:
        return None
    match = Q(name__iexact=name) | Q(aliases__alias__iexact=name) | Q(iati_identifier__iexact=name)
    if len(name) == 2:
        match |= Q(kind="state", country_code__iexact=name)
    return Organization.objects.filter(match).distinct().order_by("id").first()


def default_recipient() -> Organization | None:
    """Ukraine, the recipient of a commitment unless another is named."""
    return Organization.objects.filter(kind="state", country_code="UA").first()
