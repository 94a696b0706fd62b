"""Every page of every ledger model answers, for whoever may see it.

The models come from the admin's own registry, so a model registered later is tested
here without anyone remembering to: its row in ``helpers.SAMPLES`` and its add form's
values in ``helpers.ADD_VALUES`` are then required, and the tests say so.
"""

import pytest
from django.contrib import admin

from ledger.models import LedgerEntry, Pause
from tests.admin.helpers import (
    ADD_VALUES,
    admin_url,
    change_form,
    count_of,
    ledger_models,
    post_add_form,
)

MODELS = ledger_models()
BY_NAME = pytest.mark.parametrize("model", MODELS, ids=lambda model: model._meta.model_name)


def test_the_registry_holds_the_ledger_models():
    assert LedgerEntry in MODELS
    assert len(MODELS) >= 14


@BY_NAME
def test_editor_sees_the_changelist(editor_client, sample_of, model):
    sample = sample_of(model)
    response = editor_client.get(admin_url(model, "changelist"))
    assert response.status_code == 200
    assert sample.obj in response.context["cl"].result_list


@BY_NAME
def test_editor_search_finds_the_row(editor_client, sample_of, model):
    sample = sample_of(model)
    response = editor_client.get(admin_url(model, "changelist"), {"q": sample.search})
    assert response.status_code == 200
    assert sample.obj in response.context["cl"].result_list


@BY_NAME
def test_editor_search_for_nothing_finds_nothing(editor_client, sample_of, model):
    sample_of(model)
    response = editor_client.get(admin_url(model, "changelist"), {"q": "zzz-no-such-thing"})
    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == []


@BY_NAME
def test_editor_sees_the_add_page(editor_client, db, model):
    response = editor_client.get(admin_url(model, "add"))
    assert response.status_code == 200
    assert response.context["adminform"].form.instance.pk is None


@BY_NAME
def test_editor_sees_the_change_page(editor_client, sample_of, model):
    sample = sample_of(model)
    response = editor_client.get(admin_url(sample.obj, "change"))
    assert response.status_code == 200
    assert response.context["original"] == sample.obj


@BY_NAME
def test_editor_sees_the_history_page(editor_client, sample_of, model):
    sample = sample_of(model)
    response = editor_client.get(admin_url(sample.obj, "history"))
    assert response.status_code == 200


@BY_NAME
def test_editor_adds_a_row_through_the_add_form(editor_client, world, model):
    assert model in ADD_VALUES, f"tests/admin/helpers.py needs ADD_VALUES for {model.__name__}"
    before = count_of(model)
    response = post_add_form(editor_client, model, ADD_VALUES[model](world))
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert count_of(model) == before + 1
    if hasattr(model, "history"):
        assert model.history.latest("history_id").history_user.username == "erin.editor"


@BY_NAME
def test_editor_saves_a_change_page_as_it_is(editor_client, sample_of, model):
    sample = sample_of(model)
    url = admin_url(sample.obj, "change")
    response = editor_client.post(url, change_form(editor_client.get(url)).data())
    # Entries are never changed (see test_append_only); every other page saves.
    assert response.status_code == (403 if model is LedgerEntry else 302)


@BY_NAME
def test_viewer_sees_the_changelist_and_the_change_page(viewer_client, sample_of, model):
    sample = sample_of(model)
    assert viewer_client.get(admin_url(model, "changelist")).status_code == 200
    response = viewer_client.get(admin_url(sample.obj, "change"))
    assert response.status_code == 200
    # Read-only: the page offers no save button.
    assert response.context["has_change_permission"] is False


@BY_NAME
def test_viewer_may_not_open_the_add_page(viewer_client, db, model):
    assert viewer_client.get(admin_url(model, "add")).status_code == 403


@BY_NAME
def test_anonymous_visitors_are_sent_to_the_login(client, sample_of, model):
    sample = sample_of(model)
    for url in (admin_url(model, "changelist"), admin_url(sample.obj, "change")):
        response = client.get(url)
        assert response.status_code == 302
        assert "/admin/login/" in response["Location"]


@BY_NAME
def test_editor_sees_a_past_version(editor_client, sample_of, model):
    sample = sample_of(model)
    if not hasattr(model, "history"):
        assert model is LedgerEntry  # entries are append-only: no versions to show
        return
    version = sample.obj.history.first()
    if version is None:
        pytest.skip(f"{model.__name__} rows are stored with bulk_create, which keeps no history")
    url = admin_url(model, "simple_history", sample.obj.pk, version.history_id)
    assert editor_client.get(url).status_code == 200


AUTOCOMPLETED = [
    (model, field) for model in MODELS for field in admin.site._registry[model].autocomplete_fields
] + [(Pause, "resumption_source")]  # the "Resume" action's form


@pytest.mark.parametrize(
    ("model", "field"),
    AUTOCOMPLETED,
    ids=[f"{model._meta.model_name}.{field}" for model, field in AUTOCOMPLETED],
)
def test_every_autocomplete_answers(editor_client, sample_of, model, field):
    sample_of(model)
    response = editor_client.get(
        "/admin/autocomplete/",
        {"app_label": "ledger", "model_name": model._meta.model_name, "field_name": field},
    )
    assert response.status_code == 200
    assert "results" in response.json()


@BY_NAME
def test_every_filter_choice_answers(editor_client, sample_of, model):
    sample_of(model)
    url = admin_url(model, "changelist")
    changelist = editor_client.get(url).context["cl"]
    query_strings = {
        choice["query_string"]
        for spec in changelist.filter_specs
        for choice in spec.choices(changelist)
    }
    for query_string in query_strings:
        response = editor_client.get(url + query_string)
        assert response.status_code == 200, query_string


@BY_NAME
def test_every_column_sorts(editor_client, sample_of, model):
    sample = sample_of(model)
    url = admin_url(model, "changelist")
    changelist = editor_client.get(url).context["cl"]
    for index in range(len(changelist.list_display)):
        for order in (str(index), f"-{index}"):
            response = editor_client.get(url, {"o": order})
            assert response.status_code == 200, order
            assert sample.obj in response.context["cl"].result_list, order


DATED = [model for model in MODELS if admin.site._registry[model].date_hierarchy]


@pytest.mark.parametrize("model", DATED, ids=lambda model: model._meta.model_name)
def test_the_date_hierarchy_drills_down(editor_client, sample_of, model):
    sample = sample_of(model)
    field = str(admin.site._registry[model].date_hierarchy)
    day = getattr(sample.obj, field)
    url = admin_url(model, "changelist")
    for params in (
        {f"{field}__year": day.year},
        {f"{field}__year": day.year, f"{field}__month": day.month},
        {f"{field}__year": day.year, f"{field}__month": day.month, f"{field}__day": day.day},
    ):
        response = editor_client.get(url, params)
        assert response.status_code == 200, params
        assert sample.obj in response.context["cl"].result_list, params
    elsewhere = editor_client.get(url, {f"{field}__year": day.year - 30})
    assert sample.obj not in elsewhere.context["cl"].result_list
