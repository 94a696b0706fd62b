"""The ledger is append-only in the admin too: entries are never edited or deleted, not
even by a superuser, and pauses and mandates are never deleted.

A mistake is undone by a reversing entry (see ``test_actions``); the database refuses
the rest anyway, but the admin must not offer it, so an editor never meets a 500.
"""

from collections.abc import Callable

import pytest
from django.db import models

from ledger.models import LedgerEntry, Mandate, Pause
from tests.admin.helpers import (
    World,
    admin_url,
    change_form,
    entry,
    mandate,
    offered_actions,
    pause,
)

MAKE: dict[type[models.Model], Callable[[World], models.Model]] = {
    LedgerEntry: entry,
    Pause: pause,
    Mandate: mandate,
}
NEVER_DELETED = list(MAKE)
BY_NAME = pytest.mark.parametrize("model", NEVER_DELETED, ids=lambda model: model._meta.model_name)


@pytest.fixture
def recorded(world):
    return entry(world)


def test_an_entrys_page_is_read_only_even_for_a_superuser(superuser_client, recorded):
    response = superuser_client.get(admin_url(recorded, "change"))
    assert response.status_code == 200
    assert response.context["has_change_permission"] is False
    assert change_form(response).value("amount") is None


@pytest.mark.parametrize("client_name", ["superuser_client", "editor_client"])
def test_posting_to_an_entrys_page_is_forbidden(request, recorded, client_name):
    client = request.getfixturevalue(client_name)
    data = {"amount": "1", "currency": "EUR", "stage": "pledge", "note": "edited"}
    response = client.post(admin_url(recorded, "change"), data)
    assert response.status_code == 403
    stored = LedgerEntry.objects.get(pk=recorded.pk)
    assert (stored.amount, stored.currency, stored.stage, stored.note) == (
        recorded.amount,
        recorded.currency,
        recorded.stage,
        recorded.note,
    )


def test_the_entry_list_is_read_only_for_a_superuser(superuser_client, recorded):
    response = superuser_client.get(admin_url(LedgerEntry, "changelist"))
    assert response.context["cl"].list_editable == ()
    assert response.context["has_add_permission"] is True


@BY_NAME
def test_a_superuser_may_not_delete(superuser_client, world, model):
    row = MAKE[model](world)
    url = admin_url(row, "delete")
    assert superuser_client.get(url).status_code == 403
    assert superuser_client.post(url, {"post": "yes"}).status_code == 403
    assert model._default_manager.filter(pk=row.pk).exists()


@BY_NAME
def test_delete_selected_is_not_offered_even_to_a_superuser(superuser_client, world, model):
    MAKE[model](world)
    response = superuser_client.get(admin_url(model, "changelist"))
    assert "delete_selected" not in offered_actions(response)


@BY_NAME
def test_posting_delete_selected_anyway_deletes_nothing(superuser_client, world, model):
    row = MAKE[model](world)
    data = {"action": "delete_selected", "_selected_action": [row.pk], "post": "yes"}
    response = superuser_client.post(admin_url(model, "changelist"), data)
    assert response.status_code in {200, 302}
    assert model._default_manager.filter(pk=row.pk).exists()


def test_a_pauses_facts_stay_fixed_when_its_page_is_saved(editor_client, world):
    paused = pause(world)
    url = admin_url(paused, "change")
    data = change_form(editor_client.get(url)).data()
    assert "paused_on" not in data  # shown, not editable
    data.update({"description": ["certain weapons, incl. Patriot interceptors"]})
    data.update({"paused_on": ["2020-01-01"], "category": ["financial"]})  # ignored
    assert editor_client.post(url, data).status_code == 302
    paused.refresh_from_db()
    assert paused.description == "certain weapons, incl. Patriot interceptors"
    assert (str(paused.paused_on), paused.category) == ("2025-07-01", "military")


def test_a_mandates_dates_stay_fixed_when_its_page_is_saved(editor_client, world):
    held = mandate(world)
    url = admin_url(held, "change")
    data = change_form(editor_client.get(url)).data()
    data.update({"note": ["Agreed at Ramstein Air Base"], "starts_on": ["2020-01-01"]})
    assert editor_client.post(url, data).status_code == 302
    held.refresh_from_db()
    assert (held.note, str(held.starts_on)) == ("Agreed at Ramstein Air Base", "2022-04-26")
