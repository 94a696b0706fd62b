"""The gazetteer's ledger side: its rows come from one selector, and its revision changes
with every change to the organizations that the names depend on."""

import pytest

from ledger.selectors.organizations import gazetteer_rows, organizations_revision
from ledger.services.editing import edit
from ledger.services.organizations import add_alias, create_organization

pytestmark = pytest.mark.django_db


def test_rows_carry_names_aliases_kind_code_and_parent() -> None:
    state = create_organization(name="Freedonia", kind="other", aliases=["Fredonia"])
    body = create_organization(name="Freedonian Aid Office", kind="government_body", parent=state)
    rows = {row.name: row for row in gazetteer_rows()}
    assert rows["Freedonia"].aliases == ("Fredonia",)
    assert (rows["Freedonian Aid Office"].kind, rows["Freedonian Aid Office"].parent_id) == (
        "government_body",
        state.pk,
    )
    assert rows["Freedonian Aid Office"].organization_id == body.pk


def test_the_revision_changes_with_each_change_names_depend_on() -> None:
    revisions = [organizations_revision()]
    organization = create_organization(name="Freedonia", kind="other")
    revisions.append(organizations_revision())
    add_alias(organization=organization, alias="Fredonia")
    revisions.append(organizations_revision())
    edit(organization, {"name": "Freedonian Republic"})
    revisions.append(organizations_revision())
    assert len(set(revisions)) == len(revisions)
    assert organizations_revision() == revisions[-1]
