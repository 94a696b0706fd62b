from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

from django.db import connection
from django.db.models import Exists, OuterRef, Q, QuerySet

from ledger.case_folding import Casefold
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


def organizations_matching(text: str) -> QuerySet[Organization]:
    """Organizations whose name or one of whose aliases contains ``text``, in any case of
    any script: what a search for an organization finds ("Pentagon", "україна")."""
    aliases = OrganizationAlias.objects.filter(organization=OuterRef("pk"), alias__icontains=text)
    return Organization.objects.filter(Q(name__icontains=text) | Exists(aliases))


def default_recipient() -> Organization | None:
    """Ukraine, the recipient of a commitment unless another is named."""
    return Organization.objects.filter(kind="state", country_code="UA").first()


def find_organizations(names: Iterable[str]) -> dict[str, Organization]:
    """``find_organization`` for many names in two queries: each name that matches, in
    lower case, to the organization it names (the oldest, where several match)."""
    wanted = {name.strip().lower() for name in names if name.strip()}
    if not wanted:
        return {}
    # The database folds case (in every script, see ledger.case_folding); each folded
    # form leads back to the wanted names it stands for.
    keys_by_fold: dict[str, list[str]] = {}
    for name in wanted:
        keys_by_fold.setdefault(name.casefold(), []).append(name)
    codes = {name.upper() for name in wanted if len(name) == 2}
    candidates: dict[str, list[Organization]] = {}
    organizations = Organization.objects.annotate(
        folded_name=Casefold("name"), folded_iati=Casefold("iati_identifier")
    ).filter(
        Q(folded_name__in=keys_by_fold)
        | Q(folded_iati__in=keys_by_fold)
        | Q(kind="state", country_code__in=codes)
    )
    for organization in organizations:
        for folded in {organization.folded_name, organization.folded_iati}:
            for key in keys_by_fold.get(folded, ()):
                candidates.setdefault(key, []).append(organization)
        if organization.kind == "state" and organization.country_code in codes:
            candidates.setdefault(organization.country_code.lower(), []).append(organization)
    aliases = (
        OrganizationAlias.objects.annotate(folded_alias=Casefold("alias"))
        .filter(folded_alias__in=keys_by_fold)
        .select_related("organization")
    )
    for alias in aliases:
        for key in keys_by_fold.get(alias.folded_alias, ()):
            candidates.setdefault(key, []).append(alias.organization)
    return {name: min(found, key=lambda o: o.pk) for name, found in candidates.items()}


@dataclass(frozen=True)
class GazetteerRow:
    """One organization as a name finder needs it: every name it goes by, and where it sits."""

    organization_id: int
    name: str
    aliases: tuple[str, ...]
    kind: str
    country_code: str
    parent_id: int | None


def gazetteer_rows() -> list[GazetteerRow]:
    """Every organization with its aliases, in two queries (no model instances built)."""
    aliases: dict[int, list[str]] = {}
    for organization_id, alias in OrganizationAlias.objects.values_list("organization_id", "alias"):
        aliases.setdefault(organization_id, []).append(alias)
    rows = Organization.objects.order_by("id").values_list(
        "id", "name", "kind", "country_code", "parent_id"
    )
    return [
        GazetteerRow(pk, name, tuple(aliases.get(pk, ())), kind, code, parent)
        for pk, name, kind, code, parent in rows
    ]


@cache
def _revision_sql() -> str:
    tables = [
        (model._meta.db_table, model._meta.pk.column)
        for model in (
            Organization,
            OrganizationAlias,
            Organization.history.model,
            OrganizationAlias.history.model,
        )
    ]
    # Table and column names from the models: no input from outside.
    return "SELECT " + ", ".join(
        f"(SELECT COUNT(*) FROM {table}), (SELECT COALESCE(MAX({column}), 0) FROM {table})"
        for table, column in tables
    )


def organizations_revision() -> tuple[int, ...]:
    """A cheap fingerprint of the organizations and aliases, in one query: it changes when
    one is added or removed (counts, last ids) or renamed (its history grows)."""
    with connection.cursor() as cursor:
        cursor.execute(_revision_sql())
        return tuple(cursor.fetchone() or ())
