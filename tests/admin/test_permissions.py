"""What the two roles of migration 0005 may do, for every registered ledger model.

Editors add and change but never delete; viewers only read: no add page, no saving a
change page, no actions. Checked against the admin's registry, so a model registered
later is held to the same rules.
"""

import pytest
from django.contrib import admin
from django.forms.models import model_to_dict

from ledger.models import Commitment, Organization, Pause
from tests.admin.helpers import (
    admin_url,
    ledger_models,
    object_action_buttons,
    offered_actions,
    pause,
)

MODELS = ledger_models()
BY_NAME = pytest.mark.parametrize("model", MODELS, ids=lambda model: model._meta.model_name)
WITH_ACTIONS = [model for model in MODELS if admin.site._registry[model].actions]


# --- editors --------------------------------------------------------------------------


@BY_NAME
def test_an_editor_may_not_delete(editor_client, sample_of, model):
    sample = sample_of(model)
    url = admin_url(sample.obj, "delete")
    assert editor_client.get(url).status_code == 403
    assert editor_client.post(url, {"post": "yes"}).status_code == 403
    assert model._default_manager.filter(pk=sample.obj.pk).exists()


@BY_NAME
def test_an_editor_is_not_offered_delete_selected(editor_client, sample_of, model):
    sample_of(model)
    response = editor_client.get(admin_url(model, "changelist"))
    assert response.status_code == 200
    assert "delete_selected" not in offered_actions(response)


@BY_NAME
def test_an_editors_pages_offer_no_delete_link(editor_client, sample_of, model):
    sample = sample_of(model)
    response = editor_client.get(admin_url(sample.obj, "change"))
    assert response.context["has_delete_permission"] is False
    assert admin_url(sample.obj, "delete") not in response.content.decode()


def test_an_editor_is_offered_the_recording_actions(editor_client, world):
    pause(world)
    offered = {
        model: offered_actions(editor_client.get(admin_url(model, "changelist")))
        for model in (Commitment, Organization, Pause)
    }
    assert "pause_deliveries_of_the_selected_commitments" in offered[Commitment]
    assert "pause_deliveries_of_the_selected_donors" in offered[Organization]
    assert "resume_the_selected_pauses" in offered[Pause]


# --- viewers --------------------------------------------------------------------------


@BY_NAME
def test_a_viewer_may_not_save_a_change_page(viewer_client, sample_of, model):
    sample = sample_of(model)
    before = model_to_dict(sample.obj)
    response = viewer_client.post(admin_url(sample.obj, "change"), {"name": "Changed"})
    assert response.status_code == 403
    assert model_to_dict(model._default_manager.get(pk=sample.obj.pk)) == before


@BY_NAME
def test_a_viewer_may_not_add(viewer_client, world, model):
    before = model._default_manager.count()
    assert viewer_client.get(admin_url(model, "add")).status_code == 403
    assert viewer_client.post(admin_url(model, "add"), {"name": "New"}).status_code == 403
    assert model._default_manager.count() == before


@BY_NAME
def test_a_viewer_may_not_delete(viewer_client, sample_of, model):
    sample = sample_of(model)
    assert viewer_client.post(admin_url(sample.obj, "delete"), {"post": "yes"}).status_code == 403
    assert model._default_manager.filter(pk=sample.obj.pk).exists()


@pytest.mark.parametrize("model", WITH_ACTIONS, ids=lambda model: model._meta.model_name)
def test_a_viewer_is_offered_no_actions(viewer_client, sample_of, model):
    sample = sample_of(model)
    assert offered_actions(viewer_client.get(admin_url(model, "changelist"))) == set()
    assert object_action_buttons(viewer_client.get(admin_url(sample.obj, "change"))) == []


def test_a_viewer_posting_an_action_anyway_records_nothing(viewer_client, world):
    data = {
        "action": "pause_deliveries_of_the_selected_commitments",
        "_selected_action": [world.commitment.pk],
        "apply": "1",
        "paused_on": "2025-07-01",
        "paused_on_precision": "day",
        "source": world.source.pk,
    }
    response = viewer_client.post(admin_url(Commitment, "changelist"), data)
    # The action is not the viewer's: the list is shown again, without its form.
    assert response.status_code == 200
    assert "cl" in response.context
    assert Pause.objects.count() == 0
