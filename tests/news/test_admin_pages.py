"""Every admin page of the news models answers, for whoever may see it, and none lets
anyone add or delete: articles and candidates come from the news adapter, and a decided
candidate is the record of the decision (see tests/admin/test_pages.py for the ledger's)."""

import pytest

from tests.admin import conftest as admin_fixtures
from tests.admin.helpers import admin_url, ledger_models, offered_actions
from tests.news.admin_rows import logged_in

# The sample rows of tests/admin (fixtures of its conftest, which this folder does not
# inherit).
world = admin_fixtures.world
sample_of = admin_fixtures.sample_of


@pytest.fixture
def editor_client(db):
    return logged_in("erin.editor", group="editor")


@pytest.fixture
def viewer_client(db):
    return logged_in("victor.viewer", group="viewer")


@pytest.fixture
def superuser_client(db, admin_client):
    return admin_client


MODELS = ledger_models("news")
BY_NAME = pytest.mark.parametrize("model", MODELS, ids=lambda model: model._meta.model_name)


def test_the_registry_holds_the_news_models():
    assert {model.__name__ for model in MODELS} == {"Article", "Candidate"}


@BY_NAME
def test_editor_sees_the_changelist_and_finds_the_row(editor_client, sample_of, model):
    sample = sample_of(model)
    url = admin_url(model, "changelist")
    assert sample.obj in editor_client.get(url).context["cl"].result_list
    assert sample.obj in editor_client.get(url, {"q": sample.search}).context["cl"].result_list
    nothing = editor_client.get(url, {"q": "zzz-no-such-thing"})
    assert list(nothing.context["cl"].result_list) == []


@BY_NAME
def test_editor_and_viewer_see_the_change_and_history_pages(
    editor_client, viewer_client, sample_of, model
):
    sample = sample_of(model)
    for client in (editor_client, viewer_client):
        response = client.get(admin_url(sample.obj, "change"))
        assert response.status_code == 200
        assert response.context["original"] == sample.obj
        assert response.context["has_delete_permission"] is False
        assert admin_url(sample.obj, "delete") not in response.content.decode()
        assert client.get(admin_url(sample.obj, "history")).status_code == 200


@BY_NAME
def test_nobody_adds_or_deletes(editor_client, superuser_client, sample_of, model):
    sample = sample_of(model)
    for client in (editor_client, superuser_client):
        assert client.get(admin_url(model, "add")).status_code == 403
        assert client.post(admin_url(sample.obj, "delete"), {"post": "yes"}).status_code == 403
        assert "delete_selected" not in offered_actions(client.get(admin_url(model, "changelist")))
    assert model._default_manager.filter(pk=sample.obj.pk).exists()


@BY_NAME
def test_anonymous_visitors_are_sent_to_the_login(client, sample_of, model):
    sample = sample_of(model)
    for url in (admin_url(model, "changelist"), admin_url(sample.obj, "change")):
        response = client.get(url)
        assert response.status_code == 302
        assert "/admin/login/" in response["Location"]


@BY_NAME
def test_every_filter_choice_and_column_order_answers(editor_client, sample_of, model):
    sample = sample_of(model)
    url = admin_url(model, "changelist")
    changelist = editor_client.get(url).context["cl"]
    query_strings = {
        choice["query_string"]
        for spec in changelist.filter_specs
        for choice in spec.choices(changelist)
    }
    for query_string in query_strings:
        assert editor_client.get(url + query_string).status_code == 200, query_string
    for index in range(len(changelist.list_display)):
        for order in (str(index), f"-{index}"):
            response = editor_client.get(url, {"o": order})
            assert response.status_code == 200, order
            assert sample.obj in response.context["cl"].result_list, order


@BY_NAME
def test_a_viewer_is_offered_no_actions(viewer_client, sample_of, model):
    sample_of(model)
    assert offered_actions(viewer_client.get(admin_url(model, "changelist"))) == set()
