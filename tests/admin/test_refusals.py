"""What the services refuse, the add forms refuse: next to the right field, with nothing
written.

The forms validate by running the service in a savepoint that is rolled back; these
tests check that each rule reaches the page beside its field, and that the tables
(and the change history) are exactly as before the post.
"""

from datetime import date

import pytest
from django.utils.html import escape

from ledger import services
from ledger.models import (
    Commitment,
    CoordinationBody,
    LedgerEntry,
    Mandate,
    Organization,
    OrganizationAlias,
    Pause,
)
from tests.admin.helpers import (
    World,
    admin_url,
    body,
    change_form,
    count_of,
    form_errors,
    mandate,
    pause,
    post_add_form,
    responsibility,
)


def add(client, model, **values):
    return post_add_form(client, model, values)


def refused(response, field: str, message: str) -> None:
    assert response.status_code == 200
    errors = form_errors(response)
    assert field in errors, errors
    assert any(message in error for error in errors[field]), errors[field]
    assert escape(message) in response.content.decode()


# --- entries --------------------------------------------------------------------------


def entry_values(world: World, **overrides):
    return {
        "commitment": world.commitment.pk,
        "stage": "disbursement",
        "amount": "250",
        "currency": "USD",
        "value_date": "2025-02-10",
        "source": world.source.pk,
        **overrides,
    }


def test_an_entry_added_through_its_form(editor_client, world):
    response = add(editor_client, LedgerEntry, **entry_values(world, note="Delivered"))
    assert response.status_code == 302
    (entry,) = LedgerEntry.objects.all()
    assert (entry.commitment, entry.note, entry.recorded_by) == (
        world.commitment,
        "Delivered",
        "erin.editor",
    )


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("currency", "XYZ", "XYZ is not an ISO 4217 currency code."),
        ("currency", "usd", "usd is not an ISO 4217 currency code."),
        ("amount", "0", "The amount must be greater than zero."),
        ("amount", "-5", "The amount must be greater than zero."),
    ],
)
def test_an_entry_is_refused_beside_its_field(editor_client, world, field, value, message):
    response = add(editor_client, LedgerEntry, **entry_values(world, **{field: value}))
    refused(response, field, message)
    assert count_of(LedgerEntry) == 0


# --- commitments ----------------------------------------------------------------------


def commitment_values(world: World, **overrides):
    return {
        "donor": world.united_states.pk,
        "recipient": world.ukraine.pk,
        "title": "Budget support",
        "category": "financial",
        "announced_on": "2025-03-01",
        "source": world.source.pk,
        **overrides,
    }


def test_a_commitment_whose_period_ends_before_it_starts_is_refused(editor_client, world):
    values = commitment_values(world, period_start="2025-06-01", period_end="2025-01-01")
    response = add(editor_client, Commitment, **values)
    refused(response, "period_end", "The period must not end before it starts.")
    assert count_of(Commitment) == 1  # the world's own


def test_a_commitment_without_a_title_is_refused(editor_client, world):
    response = add(editor_client, Commitment, **commitment_values(world, title=""))
    refused(response, "title", "This field is required.")
    assert count_of(Commitment) == 1


# --- organizations --------------------------------------------------------------------


@pytest.mark.parametrize("name", ["USA", "washington", "United States"])
def test_an_organization_named_like_another_is_refused(editor_client, world, name):
    before = (count_of(Organization), count_of(OrganizationAlias))
    response = add(editor_client, Organization, name=name, kind="government_body")
    refused(response, "name", "already names 'United States'")
    assert (count_of(Organization), count_of(OrganizationAlias)) == before


def test_a_second_state_for_a_country_is_refused(editor_client, world):
    response = add(editor_client, Organization, name="Kyiv", kind="state", country_code="UA")
    assert response.status_code == 200
    assert "A state with this country code already exists." in response.content.decode()
    assert count_of(Organization) == 2


def test_an_unknown_country_code_is_refused(editor_client, db):
    response = add(editor_client, Organization, name="Atlantis", kind="state", country_code="QQ")
    refused(response, "country_code", "QQ is not an ISO 3166-1 alpha-2 country code.")
    assert count_of(Organization) == 0


def test_an_organization_added_through_its_form(editor_client, world):
    response = add(editor_client, Organization, name="NATO", kind="multilateral")
    assert response.status_code == 302
    nato = Organization.objects.get(name="NATO")
    assert nato.history.get().history_user.username == "erin.editor"


# --- pauses ---------------------------------------------------------------------------


def pause_values(world: World, **overrides):
    return {
        "donor": world.united_states.pk,
        "category": "military",
        "paused_on": "2025-07-01",
        "source": world.source.pk,
        **overrides,
    }


def test_a_pause_added_through_its_form(editor_client, world):
    response = add(editor_client, Pause, **pause_values(world, description="certain weapons"))
    assert response.status_code == 302
    (added,) = Pause.objects.all()
    assert (added.donor, added.category, added.description) == (
        world.united_states,
        "military",
        "certain weapons",
    )


def test_pausing_a_scope_already_paused_is_refused(editor_client, world):
    pause(world)
    response = add(editor_client, Pause, **pause_values(world, paused_on="2025-07-15"))
    refused(response, "paused_on", "The same scope is already paused from 2025-07-01")
    assert count_of(Pause) == 1


def test_pausing_a_commitment_of_another_donor_is_refused(editor_client, world, united_kingdom):
    values = pause_values(
        world, donor=united_kingdom.pk, category="", commitment=world.commitment.pk
    )
    response = add(editor_client, Pause, **values)
    refused(response, "commitment", "not United Kingdom's")
    assert count_of(Pause) == 0


def test_pausing_a_commitment_and_a_category_at_once_is_refused(editor_client, world):
    response = add(editor_client, Pause, **pause_values(world, commitment=world.commitment.pk))
    refused(response, "category", "Pause one commitment or a category of aid, not both.")
    assert count_of(Pause) == 0


def test_resuming_before_the_pause_began_is_refused_beside_the_date(editor_client, world):
    paused = pause(world)
    data = {
        "action": "resume_the_selected_pauses",
        "_selected_action": [paused.pk],
        "apply": "1",
        "resumed_on": "2025-06-30",
        "source": world.source.pk,
    }
    response = editor_client.post(admin_url(Pause, "changelist"), data)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "Resumed before the pause began (2025-07-01)." in errors["resumed_on"]
    paused.refresh_from_db()
    assert (paused.resumed_on, paused.resumption_source) == (None, None)


# --- mandates -------------------------------------------------------------------------


@pytest.fixture
def brussels_holds_it(world):
    """NATO's NSATU holds the responsibility from 2025-01-01 until 2025-12-31."""
    nsatu = services.create_coordination_body(name="NSATU")
    return services.assign_mandate(
        body=nsatu,
        responsibility=responsibility(world),
        starts_on=date(2025, 1, 1),
        ends_on=date(2025, 12, 31),
        source=world.source,
    )


def test_a_mandate_overlapping_another_bodys_is_refused(editor_client, world, brussels_holds_it):
    udcg = services.create_coordination_body(name="Ukraine Defense Contact Group")
    values = {
        "body": udcg.pk,
        "responsibility": brussels_holds_it.responsibility.pk,
        "starts_on": "2025-06-01",
        "source": world.source.pk,
    }
    response = add(editor_client, Mandate, **values)
    refused(response, "starts_on", "This overlaps the mandate of NSATU")
    assert count_of(Mandate) == 1
    brussels_holds_it.refresh_from_db()
    assert brussels_holds_it.ends_on == date(2025, 12, 31)


def test_a_mandate_ending_before_it_starts_is_refused(editor_client, world):
    values = {
        "body": body(world).pk,
        "responsibility": responsibility(world).pk,
        "starts_on": "2025-06-01",
        "ends_on": "2025-05-01",
        "source": world.source.pk,
    }
    response = add(editor_client, Mandate, **values)
    refused(response, "ends_on", "A mandate must end after it starts.")
    assert count_of(Mandate) == 0


def test_a_handover_through_the_add_form_ends_the_holders_mandate(editor_client, world):
    holder = mandate(world)
    nsatu = services.create_coordination_body(name="NSATU")
    values = {
        "body": nsatu.pk,
        "responsibility": holder.responsibility.pk,
        "starts_on": "2024-12-19",
        "hands_over": "on",
        "source": world.source.pk,
    }
    assert add(editor_client, Mandate, **values).status_code == 302
    holder.refresh_from_db()
    assert holder.ends_on == date(2024, 12, 19)
    assert Mandate.objects.get(body=nsatu).predecessor == holder


def test_a_mandate_ending_the_holders_without_hand_over_ticked_is_refused(editor_client, world):
    holder = mandate(world)
    nsatu = services.create_coordination_body(name="NSATU")
    values = {
        "body": nsatu.pk,
        "responsibility": holder.responsibility.pk,
        "starts_on": "2024-12-19",
        "source": world.source.pk,
    }
    response = add(editor_client, Mandate, **values)
    refused(response, "hands_over", f"open-ended from 2022-04-26 (mandate {holder.pk})")
    holder.refresh_from_db()
    assert holder.ends_on is None
    assert count_of(Mandate) == 1


def test_hand_over_is_offered_when_adding_a_mandate_only(editor_client, world):
    added = editor_client.get(admin_url(Mandate, "add"))
    assert 'name="hands_over"' in added.content.decode()
    changed = editor_client.get(admin_url(mandate(world), "change"))
    assert changed.status_code == 200
    assert 'name="hands_over"' not in changed.content.decode()


# --- editing refuses too --------------------------------------------------------------


def test_renaming_an_organization_to_anothers_alias_is_refused(
    editor_client, world, united_kingdom
):
    url = admin_url(united_kingdom, "change")
    data = change_form(editor_client.get(url)).data()
    data["name"] = ["Washington"]
    history_rows = united_kingdom.history.count()
    response = editor_client.post(url, data)
    refused(response, "name", "'Washington' already names 'United States'.")
    united_kingdom.refresh_from_db()
    assert united_kingdom.name == "United Kingdom"
    assert united_kingdom.history.count() == history_rows


def test_adding_a_coordination_body_that_exists_adds_no_second_one(editor_client, world):
    existing = services.create_coordination_body(name="NSATU")
    response = add(editor_client, CoordinationBody, name="nsatu")
    assert response.status_code == 302
    assert list(CoordinationBody.objects.all()) == [existing]


def test_renaming_an_organization_to_its_own_alias_is_refused(editor_client, world):
    # Names and aliases are kept apart (the database insists); the service says so first.
    us = world.united_states
    url = admin_url(us, "change")
    data = change_form(editor_client.get(url)).data()
    data["name"] = ["United States of America"]
    history_rows = us.history.count()
    response = editor_client.post(url, data)
    assert response.status_code == 200
    (message,) = form_errors(response)["name"]
    assert "already one of this organization's aliases" in message
    us.refresh_from_db()
    assert us.name == "United States"
    assert us.history.count() == history_rows
