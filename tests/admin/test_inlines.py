"""Rows added on their parent's page (aliases, identifiers, members) go through their
services like any other write, and a refused one shows on the page and writes nothing.

They need their parent saved, so the add pages do not offer them; the parent's page
does, once it exists. (The entries inline of a commitment is in ``test_commitments``.)
"""

import pytest

from ledger import services
from ledger.models import (
    BodyMembership,
    Commitment,
    CommitmentIdentifier,
    CoordinationBody,
    Organization,
    OrganizationAlias,
)
from tests.admin.helpers import admin_url, change_form, count_of


def inline_data(response, prefix: str, **values):
    """The page's form with the first blank row of the ``prefix`` inline filled in."""
    data = change_form(response).data()
    (formset,) = [
        inline.formset
        for inline in response.context["inline_admin_formsets"]
        if inline.formset.prefix == prefix
    ]
    row = formset.initial_form_count()
    data.update({f"{prefix}-{row}-{name}": [str(value)] for name, value in values.items()})
    return data


def post_inline(client, obj, prefix: str, **values):
    url = admin_url(obj, "change")
    return client.post(url, inline_data(client.get(url), prefix, **values))


def inline_errors(response, prefix: str) -> list[dict]:
    (formset,) = [
        inline.formset
        for inline in response.context["inline_admin_formsets"]
        if inline.formset.prefix == prefix
    ]
    return [dict(form.errors) for form in formset.forms if form.errors]


@pytest.mark.parametrize("model", [Organization, CoordinationBody, Commitment])
def test_the_add_page_offers_no_inline_rows(editor_client, db, model):
    response = editor_client.get(admin_url(model, "add"))
    assert response.context["inline_admin_formsets"] == []


def test_an_alias_added_on_the_organizations_page(editor_client, world, united_kingdom):
    response = post_inline(editor_client, united_kingdom, "aliases", alias="Great Britain")
    assert response.status_code == 302
    assert set(united_kingdom.aliases.values_list("alias", flat=True)) == {
        "UK",
        "Britain",
        "Great Britain",
    }


def test_an_alias_naming_another_organization_is_refused(editor_client, world, united_kingdom):
    before = count_of(OrganizationAlias)
    response = post_inline(editor_client, united_kingdom, "aliases", alias="Washington")
    assert response.status_code == 200
    (errors,) = inline_errors(response, "aliases")
    assert "already names 'United States'" in errors["alias"][0]
    assert count_of(OrganizationAlias) == before


def test_an_identifier_added_on_the_commitments_page(editor_client, world):
    response = post_inline(
        editor_client, world.commitment, "identifiers", scheme="kiel", value="US-2025-17"
    )
    assert response.status_code == 302
    (identifier,) = CommitmentIdentifier.objects.all()
    assert (identifier.commitment, identifier.scheme, identifier.value) == (
        world.commitment,
        "kiel",
        "US-2025-17",
    )


def test_an_identifier_of_another_commitment_is_refused(editor_client, world, make_commitment):
    other = make_commitment(world.united_states, title="Other package")
    services.add_identifier(commitment=other, scheme="kiel", value="US-2025-17")
    response = post_inline(
        editor_client, world.commitment, "identifiers", scheme="kiel", value="US-2025-17"
    )
    assert response.status_code == 200
    (errors,) = inline_errors(response, "identifiers")
    assert "already identifies" in errors["value"][0]
    assert count_of(CommitmentIdentifier) == 1


def test_a_member_added_on_the_bodys_page(editor_client, world):
    body = services.create_coordination_body(name="Ukraine Defense Contact Group")
    response = post_inline(
        editor_client, body, "memberships", organization=world.united_states.pk, role="lead"
    )
    assert response.status_code == 302
    (membership,) = BodyMembership.objects.all()
    assert (membership.body, membership.organization, membership.role) == (
        body,
        world.united_states,
        "lead",
    )


def test_a_members_role_changed_on_the_bodys_page(editor_client, world):
    body = services.create_coordination_body(name="Ukraine Defense Contact Group")
    membership = services.set_membership(body=body, organization=world.united_states, role="lead")
    url = admin_url(body, "change")
    data = change_form(editor_client.get(url)).data()
    assert data["memberships-0-id"] == [str(membership.pk)]
    data["memberships-0-role"] = ["member"]
    assert editor_client.post(url, data).status_code == 302
    membership.refresh_from_db()
    assert membership.role == "member"
    assert membership.history.first().history_user.username == "erin.editor"
