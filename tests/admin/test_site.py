"""The admin site as a whole: its name, the order of its apps, and who sees the Celery
schedules (django_celery_beat): superusers only, whatever permissions a staff user holds."""

import re

import pytest
from django.contrib import admin
from django.contrib.auth.models import Permission
from django.urls import reverse
from django_celery_beat.models import IntervalSchedule, PeriodicTask

from ledger.models import Pause
from tests.admin.helpers import admin_url

BEAT_MODELS = [
    model for model in admin.site._registry if model._meta.app_label == "django_celery_beat"
]


def app_labels(response) -> list[str]:
    """The apps a page lists (the index's boxes, or the sidebar's), in their order."""
    return re.findall(r'<div class="app-(\w+) module', response.content.decode())


def title_and_header(response) -> tuple[str, str]:
    page = response.content.decode()
    (title,) = re.findall(r"<title>(.*?)</title>", page, re.S)
    (header,) = re.findall(r'<div id="site-name"><a href="[^"]*">(.*?)</a></div>', page, re.S)
    return title.strip(), header.strip()


@pytest.fixture
def beat_editor_client(editor_client):
    """An editor who was also granted every permission on the Celery schedules."""
    user = editor_client.get(reverse("admin:index")).context["user"]
    user.user_permissions.add(
        *Permission.objects.filter(content_type__app_label="django_celery_beat")
    )
    return editor_client


def test_the_admin_is_branded(superuser_client):
    response = superuser_client.get(reverse("admin:index"))
    assert title_and_header(response) == ("aidledger administration | aidledger", "aidledger")
    assert "Django" not in response.content.decode()


def test_the_login_page_is_branded(client, db):
    response = client.get(reverse("admin:login"))
    assert title_and_header(response) == ("Log in | aidledger", "aidledger")


def test_the_ledger_comes_first_in_the_index(superuser_client):
    labels = app_labels(superuser_client.get(reverse("admin:index")))
    assert labels[:3] == ["ledger", "news", "ingest"]
    assert "django_celery_beat" in labels


def test_the_ledger_comes_first_in_the_sidebar(superuser_client):
    labels = app_labels(superuser_client.get(admin_url(Pause, "changelist")))
    assert labels[:3] == ["ledger", "news", "ingest"]
    assert "django_celery_beat" in labels


def test_the_editor_sees_the_ledger_first_and_no_schedules(editor_client):
    for page in (reverse("admin:index"), admin_url(Pause, "changelist")):
        labels = app_labels(editor_client.get(page))
        assert labels == ["ledger", "news"]  # the news review queue too (news 0003)


def test_superusers_see_the_schedules(superuser_client):
    assert {PeriodicTask, IntervalSchedule} <= set(BEAT_MODELS)
    for model in BEAT_MODELS:
        assert superuser_client.get(admin_url(model, "changelist")).status_code == 200
        assert superuser_client.get(admin_url(model, "add")).status_code == 200


def test_an_editor_with_schedule_permissions_still_does_not_see_them(beat_editor_client):
    index = beat_editor_client.get(reverse("admin:index"))
    assert "django_celery_beat" not in app_labels(index)
    assert "Periodic" not in index.content.decode()
    app_index = beat_editor_client.get(reverse("admin:app_list", args=["django_celery_beat"]))
    assert app_index.status_code == 404


@pytest.mark.parametrize("model", BEAT_MODELS, ids=lambda model: model._meta.model_name)
def test_an_editor_may_not_open_the_schedules(editor_client, model):
    assert editor_client.get(admin_url(model, "changelist")).status_code == 403
    assert editor_client.get(admin_url(model, "add")).status_code == 403


@pytest.mark.parametrize("model", BEAT_MODELS, ids=lambda model: model._meta.model_name)
def test_schedule_permissions_do_not_open_them_to_an_editor(beat_editor_client, model):
    assert beat_editor_client.get(admin_url(model, "changelist")).status_code == 403
    assert beat_editor_client.get(admin_url(model, "add")).status_code == 403


def test_schedule_permissions_do_not_let_an_editor_change_one(beat_editor_client):
    interval = IntervalSchedule.objects.create(every=10, period=IntervalSchedule.MINUTES)
    page = admin_url(IntervalSchedule, "change", interval.pk)
    assert beat_editor_client.get(page).status_code == 403
    response = beat_editor_client.post(page, {"every": "5", "period": IntervalSchedule.MINUTES})
    assert response.status_code == 403
    interval.refresh_from_db()
    assert interval.every == 10
