"""Operators configure sources in the admin, run them now, and read runs and rejections;
through the real admin and the test client."""

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse
from django_celery_beat.models import IntervalSchedule, PeriodicTask

from config.celery import app
from ingest.models import IngestRun, IngestSource, RunStatus
from ingest.runner import ingest_location
from ingest.services.sources import save_source

pytestmark = pytest.mark.django_db

CSV = "donor,date,category,measure,amount,currency\nGermany,2025-07-10,military,pledge,5,EUR\n"


@pytest.fixture
def eager_tasks() -> Iterator[None]:
    """Queued tasks run in the test's process (a real worker is tested in test_worker)."""
    # Settings read with the CELERY namespace are found under their prefixed name first:
    # in celery 5.6 assigning conf.task_always_eager is not seen (5.7 changed that).
    was = app.conf.CELERY_TASK_ALWAYS_EAGER
    app.conf.CELERY_TASK_ALWAYS_EAGER = True
    yield
    app.conf.CELERY_TASK_ALWAYS_EAGER = was


@pytest.fixture
def csv_file(tmp_path: Path) -> str:
    path = tmp_path / "pledges.csv"
    path.write_text(CSV + "Germany,2025-07-10,military,teleported,5,EUR\n")
    return str(path)


@pytest.fixture
def every_hour(db: None) -> IntervalSchedule:
    return IntervalSchedule.objects.create(every=1, period=IntervalSchedule.HOURS)


def form_data(**values: object) -> dict[str, object]:
    data: dict[str, object] = {
        "name": "German pledges",
        "adapter": "csv",
        "location": "/data/pledges.csv",
        "enabled": "on",
        "interval": "",
        "crontab": "",
        "options": "{}",
    }
    data.update(values)
    return {k: v for k, v in data.items() if v is not None}


def test_adding_a_source_with_a_schedule_gives_beat_an_entry(admin_client: Client, every_hour):
    response = admin_client.post(
        reverse("admin:ingest_ingestsource_add"),
        form_data(interval=every_hour.pk, options='{"donor": "Germany"}'),
    )

    assert response.status_code == 302, response.context["adminform"].form.errors
    source = IngestSource.objects.get()
    assert source.options == {"donor": "Germany"}
    task = PeriodicTask.objects.get()
    assert source.periodic_task == task
    assert (task.task, json.loads(task.args), task.interval, task.enabled) == (
        "ingest.tasks.ingest_source",
        [source.pk],
        every_hour,
        True,
    )
    assert json.loads(task.kwargs) == {"trigger": "schedule"}


def test_disabling_and_unscheduling_a_source_follow_through_to_beat(
    admin_client: Client, every_hour
):
    source = save_source(
        IngestSource(name="S", adapter="csv", location="/x.csv", interval=every_hour)
    )
    url = reverse("admin:ingest_ingestsource_change", args=[source.pk])

    response = admin_client.post(
        url, form_data(name="S", location="/x.csv", enabled=None, interval=every_hour.pk)
    )
    assert response.status_code == 302
    assert not PeriodicTask.objects.get().enabled

    response = admin_client.post(url, form_data(name="S", location="/x.csv"))
    assert response.status_code == 302
    assert not PeriodicTask.objects.exists()
    source.refresh_from_db()
    assert source.periodic_task is None


@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        ({"location": "ftp://example.org/a.csv"}, "location", "only http, https and file"),
        ({"adapter": "rss"}, "adapter", "is not one of the available choices"),
        ({"options": "[1, 2]"}, "options", "Options are a JSON object."),
        ({"options": "{not json"}, "options", "Enter a valid JSON."),
        ({"options": '{"donor": "Ger\\u0000many"}'}, "options", "a NUL character (U+0000)"),
        ({"options": '{"\\udc80": 1}'}, "options", "a lone surrogate (U+DC80)"),
    ],
)
def test_bad_values_are_refused_next_to_their_field(admin_client: Client, values, field, message):
    response = admin_client.post(reverse("admin:ingest_ingestsource_add"), form_data(**values))

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert any(message in error for error in errors[field]), errors
    assert not IngestSource.objects.exists()


def test_an_interval_and_a_crontab_together_are_refused(admin_client: Client, every_hour):
    from django_celery_beat.models import CrontabSchedule

    crontab = CrontabSchedule.objects.create(minute="0", hour="3")
    response = admin_client.post(
        reverse("admin:ingest_ingestsource_add"),
        form_data(interval=every_hour.pk, crontab=crontab.pk),
    )

    assert response.status_code == 200
    assert "Choose an interval or a crontab, not both." in str(
        response.context["adminform"].form.errors
    )
    assert not PeriodicTask.objects.exists()


def test_run_now_queues_the_run_which_records_its_counts(
    admin_client: Client, csv_file, ukraine, eager_tasks, django_capture_on_commit_callbacks
):
    source = save_source(IngestSource(name="German pledges", adapter="csv", location=csv_file))

    with django_capture_on_commit_callbacks(execute=True) as queued:
        response = admin_client.post(
            reverse("admin:ingest_ingestsource_changelist"),
            {"action": "run_now", "_selected_action": [source.pk]},
            follow=True,
        )

    assert len(queued) == 1  # queued once the transaction committed
    assert "Queued 1 run(s)" in response.content.decode()
    run = IngestRun.objects.get()
    assert (run.source, run.trigger, run.status) == (
        source,
        "admin",
        RunStatus.PARTIALLY_SUCCEEDED,
    )
    assert run.counts == {"seen": 2, "created": 1, "unchanged": 0, "corrected": 0, "rejected": 1}


def test_a_source_page_offers_run_now_and_links_its_last_run(
    admin_client: Client, csv_file, ukraine
):
    source = save_source(IngestSource(name="German pledges", adapter="csv", location=csv_file))
    page = admin_client.get(reverse("admin:ingest_ingestsource_change", args=[source.pk]))
    assert page.status_code == 200
    assert 'value="run_now"' in page.content.decode()

    from ingest.runner import ingest_source

    run = ingest_source(source, trigger="command")
    listing = admin_client.get(reverse("admin:ingest_ingestsource_changelist")).content.decode()
    assert reverse("admin:ingest_ingestrun_change", args=[run.pk]) in listing
    assert "Partially succeeded" in listing


def test_a_run_shows_its_counts_and_rejections_read_only(admin_client: Client, csv_file, ukraine):
    run = ingest_location("csv", csv_file)

    page = admin_client.get(reverse("admin:ingest_ingestrun_change", args=[run.pk]))
    content = page.content.decode()
    assert page.status_code == 200
    assert "teleported is not a measure" in content
    assert "line 3" in content
    assert admin_client.get(reverse("admin:ingest_ingestrun_changelist")).status_code == 200
    assert admin_client.get(reverse("admin:ingest_rejectedrecord_changelist")).status_code == 200
    assert admin_client.get(reverse("admin:ingest_ingestrun_add")).status_code == 403
    delete = admin_client.post(
        reverse("admin:ingest_ingestrun_delete", args=[run.pk]), {"post": "yes"}
    )
    assert delete.status_code == 403
    assert IngestRun.objects.filter(pk=run.pk).exists()
