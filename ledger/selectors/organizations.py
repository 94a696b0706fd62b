from collections.abc import Iterable

from django.db.models import Q
from django.db.models.functions import Lower

from ledger.models import Organization, OrganizationAlias


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


def find_organizations(names: Iterable[str]) -> dict[str, Organization]:
    """``find_organization`` for many names in two queries: each name that matches, in
    lower case, to the organization it names (the oldest, where several match)."""
    wanted = {name.strip().lower() for name in names if name.strip()}
    if not wanted:
        return {}
    codes = {name.upper() for name in wanted if len(name) == 2}
    candidates: dict[str, list[Organization]] = {}
    organizations = Organization.objects.annotate(
        lower_name=Lower("name"), lower_iati=Lower("iati_identifier")
    ).filter(
        Q(lower_name__in=wanted)
        | Q(lower_iati__in=wanted)
        | Q(kind="state", country_code__in=codes)
    )
    for organization in organizations:
        for key in (organization.lower_name, organization.lower_iati):
            if key in wanted:
                candidates.setdefault(key, []).append(organization)
        if organization.kind == "state" and organization.country_code in codes:
            candidates.setdefault(organization.country_code.lower(), []).append(organization)
    aliases = (
        OrganizationAlias.objects.annotate(lower_alias=Lower("alias"))
        .filter(lower_alias__in=wanted)
        .select_related("organization")
    )
    for alias in aliases:
        candidates.setdefault(alias.lower_alias, []).append(alias.organization)
    return {name: min(found, key=lambda o: o.pk) for name, found in candidates.items()}
