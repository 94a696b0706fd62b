from collections.abc import Collection, Sequence

from django.db import transaction
from simple_history.utils import bulk_create_with_history

from ledger.models import Organization, OrganizationAlias
from ledger.selectors.organizations import find_organization, find_organizations
from ledger.services._common import clean_fields, field_error, inserted, race_safe


def _ensure_name_free(name: str, *, field: str, allowed: Organization | None = None) -> None:
    """Names and aliases share one namespace; say which organization already has it."""
    holder = find_organization(name)
    if holder is not None and holder != allowed:
        raise field_error(
            field,
            f"{name!r} already names {holder.name!r} (as its name or an alias).",
            code="name_taken",
        )


@race_safe
def create_organization(
    *,
    name: str,
    kind: str,
    country_code: str = "",
    parent: Organization | None = None,
    iati_identifier: str = "",
    aliases: Collection[str] = (),
    is_verified: bool = True,
) -> Organization:
    """Create an organization with its aliases.

    Raises ``ValidationError`` when the name or an alias is already taken by any
    organization (case-insensitively), or a code is not ISO.
    """
    name = name.strip()
    _ensure_name_free(name, field="name")
    organization = Organization(
        name=name,
        kind=kind,
        country_code=country_code.upper(),
        parent=parent,
        iati_identifier=iati_identifier.strip(),
        is_verified=is_verified,
    )
    clean_fields(organization)
    # The name was checked above, against aliases too and naming the field; the
    # database's unique index still refuses a name another writer took meanwhile.
    organization.validate_constraints(exclude={"name"})
    organization.save()
    for alias in aliases:
        add_alias(organization=organization, alias=alias)
    return inserted(organization)


@race_safe
def add_alias(*, organization: Organization, alias: str) -> OrganizationAlias:
    """Give ``organization`` another name to be matched by; adding it twice is harmless."""
    alias = alias.strip()
    existing = OrganizationAlias.objects.filter(alias__iexact=alias).first()
    if existing is not None and existing.organization_id == organization.pk:
        return existing
    _ensure_name_free(alias, field="alias")
    record = OrganizationAlias(organization=organization, alias=alias)
    clean_fields(record)
    record.save()
    return inserted(record)


@transaction.atomic
def create_unverified_organizations(organizations: Sequence[Organization]) -> list[Organization]:
    """Create, in one insert, organizations that ingested records name and the ledger
    does not know: unverified, for an editor to confirm or merge.

    Raises ``ValidationError`` when one is invalid or its name is taken; the database's
    name rules refuse a name another writer took meanwhile (``IntegrityError``).
    """
    taken = find_organizations(o.name for o in organizations)
    for organization in organizations:
        organization.name = organization.name.strip()
        organization.is_verified = False
        clean_fields(organization)
        if organization.name.lower() in taken:
            raise field_error(
                "name",
                f"{organization.name!r} already names {taken[organization.name.lower()].name!r}.",
                code="name_taken",
            )
    return bulk_create_with_history(list(organizations), Organization)
