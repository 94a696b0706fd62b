"""The admin actions that record an event about existing rows: reversing entries, pausing
and resuming deliveries, ending mandates.

Each first asks for a date, a source or a reason on a page of its own, then calls its
service for every selected row in one transaction: a refusal shows on that page and
writes nothing, not even for the rows that were fine. Each is also a button on the page
of the object it acts on.
"""

from datetime import date
from decimal import Decimal

import pytest
from django.contrib import admin

from ledger import services
from ledger.models import Commitment, LedgerEntry, Mandate, Organization, Pause
from ledger.selectors import totals
from tests.admin.helpers import (
    admin_url,
    entry,
    ledger_models,
    mandate,
    object_action_button,
    object_action_buttons,
    pause,
    run_action,
)

REVERSE = "reverse_the_selected_entries"
PAUSE_COMMITMENTS = "pause_deliveries_of_the_selected_commitments"
RESUME_COMMITMENTS = "resume_deliveries_of_the_selected_commitments"
PAUSE_DONORS = "pause_deliveries_of_the_selected_donors"
RESUME_DONORS = "resume_deliveries_of_the_selected_donors"
RESUME_PAUSES = "resume_the_selected_pauses"
END_MANDATES = "end_the_selected_mandates"


@pytest.fixture
def correction(db):
    return services.record_source(title="Corrected figures", publisher="Ministry of Defence")


def assert_done(response, model) -> None:
    assert response.status_code == 302
    assert response["Location"] == admin_url(model, "changelist")


# --- reversing entries ----------------------------------------------------------------


def test_reversing_first_asks_for_a_reason_and_a_source(editor_client, world):
    entries = [entry(world), entry(world, stage="disbursement")]
    response = run_action(editor_client, LedgerEntry, REVERSE, entries)
    assert response.status_code == 200
    assert set(response.context["form"].fields) == {"reason", "source"}
    assert response.context["objects"] == entries
    assert LedgerEntry.objects.count() == 2


def test_reversing_the_selected_entries(editor_client, world, correction):
    entries = [entry(world), entry(world, stage="disbursement")]
    response = run_action(
        editor_client, LedgerEntry, REVERSE, entries, reason="Double counted", source=correction.pk
    )
    assert_done(response, LedgerEntry)
    for original in entries:
        reversal = LedgerEntry.objects.get(reverses=original)
        assert (reversal.amount, reversal.currency) == (original.amount, original.currency)
        assert (reversal.note, reversal.source, reversal.recorded_by) == (
            "Double counted",
            correction,
            "erin.editor",
        )
    assert LedgerEntry.objects.count() == 4
    assert totals(currency="USD")["committed"] == Decimal(0)


def test_reversing_needs_a_source(editor_client, world):
    original = entry(world)
    response = run_action(editor_client, LedgerEntry, REVERSE, [original], reason="Wrong")
    assert response.status_code == 200
    assert "source" in response.context["form"].errors
    assert LedgerEntry.objects.count() == 1


def test_a_refused_reversal_writes_none_of_the_selected(editor_client, world, correction):
    fine = entry(world)
    reversal = services.reverse_entry(entry=entry(world, stage="pledge"), source=world.source)
    response = run_action(
        editor_client, LedgerEntry, REVERSE, [fine, reversal], reason="Oops", source=correction.pk
    )
    assert response.status_code == 200
    (message,) = response.context["form"].non_field_errors()
    stored = LedgerEntry.objects.get(pk=reversal.pk)
    assert message.startswith(f"{stored}: A reversal cannot be reversed")
    assert not LedgerEntry.objects.filter(reverses=fine).exists()
    assert LedgerEntry.objects.count() == 3


# --- pausing and resuming commitments --------------------------------------------------


def test_pausing_the_selected_commitments(editor_client, world, make_commitment):
    second = make_commitment(world.united_states, title="Second package")
    response = run_action(
        editor_client,
        Commitment,
        PAUSE_COMMITMENTS,
        [world.commitment, second],
        paused_on="2025-07-01",
        paused_on_precision="day",
        description="review of stockpiles",
        source=world.source.pk,
    )
    assert_done(response, Commitment)
    pauses = Pause.objects.order_by("commitment_id")
    assert [p.commitment for p in pauses] == [world.commitment, second]
    assert {(p.donor, p.paused_on, p.description) for p in pauses} == {
        (world.united_states, date(2025, 7, 1), "review of stockpiles")
    }


def test_pausing_a_commitment_already_paused_writes_no_pause(editor_client, world, make_commitment):
    second = make_commitment(world.united_states, title="Second package")
    pause(world, commitment=world.commitment, category="", description="")
    response = run_action(
        editor_client,
        Commitment,
        PAUSE_COMMITMENTS,
        [world.commitment, second],
        paused_on="2025-07-10",
        paused_on_precision="day",
        source=world.source.pk,
    )
    assert response.status_code == 200
    assert "paused_on" in response.context["form"].errors
    assert Pause.objects.count() == 1


def test_resuming_the_selected_commitments(editor_client, world, correction):
    paused = pause(world, commitment=world.commitment, category="", description="")
    response = run_action(
        editor_client,
        Commitment,
        RESUME_COMMITMENTS,
        [world.commitment],
        resumed_on="2025-07-08",
        source=correction.pk,
    )
    assert_done(response, Commitment)
    paused.refresh_from_db()
    assert (paused.resumed_on, paused.resumption_source) == (date(2025, 7, 8), correction)


def test_resuming_a_commitment_that_is_not_paused_says_so(editor_client, world):
    response = run_action(
        editor_client,
        Commitment,
        RESUME_COMMITMENTS,
        [world.commitment],
        resumed_on="2025-07-08",
        source=world.source.pk,
    )
    assert response.status_code == 200
    (message,) = response.context["form"].non_field_errors()
    assert "No pause of this commitment alone awaits resumption" in message


# --- pausing and resuming donors -------------------------------------------------------


def test_pausing_the_selected_donors_military_aid(editor_client, world, united_kingdom):
    response = run_action(
        editor_client,
        Organization,
        PAUSE_DONORS,
        [world.united_states, united_kingdom],
        category="military",
        paused_on="2025-07-01",
        paused_on_precision="week",
        reason="Stock review",
        source=world.source.pk,
    )
    assert_done(response, Organization)
    assert set(Pause.objects.values_list("donor__name", "category", "paused_on_precision")) == {
        ("United States", "military", "week"),
        ("United Kingdom", "military", "week"),
    }
    assert not Pause.objects.filter(commitment__isnull=False).exists()


def test_pausing_all_of_a_donors_aid(editor_client, world):
    response = run_action(
        editor_client,
        Organization,
        PAUSE_DONORS,
        [world.united_states],
        category="",
        paused_on="2025-07-01",
        paused_on_precision="day",
        source=world.source.pk,
    )
    assert_done(response, Organization)
    (paused,) = Pause.objects.all()
    assert (paused.donor, paused.category, paused.commitment) == (world.united_states, "", None)


def test_the_donor_pause_form_offers_the_categories(editor_client, world):
    response = run_action(editor_client, Organization, PAUSE_DONORS, [world.united_states])
    assert response.status_code == 200
    choices = dict(response.context["form"].fields["category"].choices)
    assert {"", "military", "financial", "humanitarian"} <= set(choices)


def test_resuming_the_selected_donors(editor_client, world, correction):
    military = pause(world)
    everything = pause(world, category="", description="", paused_on=date(2025, 7, 3))
    response = run_action(
        editor_client,
        Organization,
        RESUME_DONORS,
        [world.united_states],
        resumed_on="2025-07-08",
        source=correction.pk,
    )
    assert_done(response, Organization)
    for resumed in (military, everything):
        resumed.refresh_from_db()
        assert resumed.resumed_on == date(2025, 7, 8)


# --- resuming pauses ------------------------------------------------------------------


def test_resuming_the_selected_pauses(editor_client, world, correction):
    paused = pause(world)
    response = run_action(
        editor_client, Pause, RESUME_PAUSES, [paused], resumed_on="2025-07-07", source=correction.pk
    )
    assert_done(response, Pause)
    paused.refresh_from_db()
    assert (paused.resumed_on, paused.resumption_source) == (date(2025, 7, 7), correction)
    assert paused.resumption_recorded_at is not None


def test_the_resume_button_is_only_on_a_pause_in_force(editor_client, world):
    in_force = pause(world)
    resumed = services.resume(
        pause=pause(world, category="financial"), resumed_on=date(2025, 7, 7), source=world.source
    )
    page = editor_client.get(admin_url(in_force, "change"))
    assert object_action_button(page, RESUME_PAUSES).value("_selected_action") == str(in_force.pk)
    page = editor_client.get(admin_url(resumed, "change"))
    assert page.status_code == 200
    assert [f.value("action") for f in object_action_buttons(page)] == []
    assert "Resume deliveries" not in page.content.decode()


def test_resuming_a_resumed_pause_says_so_and_writes_nothing(editor_client, world):
    in_force = pause(world)
    resumed = services.resume(
        pause=pause(world, category="financial"), resumed_on=date(2025, 7, 7), source=world.source
    )
    same_day = {"resumed_on": "2025-07-07", "source": world.source.pk}
    another_day = {"resumed_on": "2025-07-09", "source": world.source.pk}
    for values in ({}, same_day, another_day):  # selected, then applied with either date
        response = run_action(editor_client, Pause, RESUME_PAUSES, [in_force, resumed], **values)
        assert_done(response, Pause)
        (message,) = editor_client.get(response["Location"]).context["messages"]
        assert message.level_tag == "error"
        assert str(message) == (
            "Nothing was recorded: the pause by United States from 2025-07-01 was already "
            "resumed on 2025-07-07."
        )
    in_force.refresh_from_db()
    assert in_force.resumed_on is None
    assert Pause.history.filter(id=resumed.pk).count() == 2  # recorded, resumed: no more


# --- ending mandates ------------------------------------------------------------------


def test_ending_the_selected_mandates(editor_client, world, correction):
    held = mandate(world)
    response = run_action(
        editor_client, Mandate, END_MANDATES, [held], ends_on="2024-12-19", source=correction.pk
    )
    assert_done(response, Mandate)
    held.refresh_from_db()
    assert (held.ends_on, held.end_source) == (date(2024, 12, 19), correction)


def test_ending_a_mandate_before_it_starts_is_refused(editor_client, world):
    held = mandate(world)
    response = run_action(
        editor_client, Mandate, END_MANDATES, [held], ends_on="2022-01-01", source=world.source.pk
    )
    assert response.status_code == 200
    assert response.context["form"].errors["ends_on"] == ["A mandate must end after it starts."]
    held.refresh_from_db()
    assert held.ends_on is None


# --- the buttons on object pages -------------------------------------------------------

WITH_BUTTONS = [
    model for model in ledger_models() if getattr(admin.site._registry[model], "object_actions", {})
]


def test_the_pages_with_buttons_include_commitments_and_pauses():
    assert {Commitment, Pause, LedgerEntry, Mandate, Organization} <= set(WITH_BUTTONS)


@pytest.mark.parametrize("model", WITH_BUTTONS, ids=lambda model: model._meta.model_name)
def test_each_button_runs_its_action_on_that_object(editor_client, sample_of, model):
    sample = sample_of(model)
    response = editor_client.get(admin_url(sample.obj, "change"))
    for action in getattr(admin.site._registry[model], "object_actions", {}):
        button = object_action_button(response, action)
        assert button.attrs["action"] == admin_url(model, "changelist")
        assert button.data()["_selected_action"] == [str(sample.obj.pk)]
        asked = editor_client.post(button.attrs["action"], button.data())
        assert asked.status_code == 200
        assert asked.context["objects"] == [sample.obj]
        assert asked.context["action"] == action
