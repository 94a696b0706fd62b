"""Ingest sources and their beat schedules."""

import json

from django.core.exceptions import ValidationError
from django.db import transaction
from django_celery_beat.models import PeriodicTask

from ingest.fetch import FetchError, check_location
from ingest.models import IngestSource
from ingest.screening import unstorable_in
from ingest.tasks import ingest_source

INGEST_TASK = "ingest.tasks.ingest_source"


@transaction.atomic
def save_source(source: IngestSource) -> IngestSource:
    """Validate and save ``source``, and keep its beat entry in step with its schedule
    (beat's database scheduler notices the change and picks it up)."""
    errors: dict[str, list[str]] = {}
    try:
        source.full_clean(exclude=["periodic_task"])
    except ValidationError as error:
        errors.update(error.message_dict)
    try:
        check_location(source.location)
    except FetchError as error:
        errors.setdefault("location", []).append(str(error))
    if not isinstance(source.options, dict):
        errors.setdefault("options", []).append("Options are a JSON object.")
    elif problem := unstorable_in(source.options):
        errors.setdefault("options", []).append(f"The options contain {problem}.")
    if errors:
        raise ValidationError(errors)
    source.save()
    _sync_schedule(source)
    return source


def _sync_schedule(source: IngestSource) -> None:
    task = source.periodic_task
    if source.interval is None and source.crontab is None:
        if task is not None:
            source.periodic_task = None
            source.save(update_fields=["periodic_task"])
            task.delete()
        return
    task = task or PeriodicTask(task=INGEST_TASK)
    task.name = f"ingest: {source.name}"
    task.interval = source.interval
    task.crontab = source.crontab
    task.args = json.dumps([source.pk])
    task.kwargs = json.dumps({"trigger": "schedule"})
    task.enabled = source.enabled
    task.description = f"Runs the ingest source {source.name!r}; edit the schedule on the source."
    task.save()
    if source.periodic_task_id != task.pk:
        source.periodic_task = task
        source.save(update_fields=["periodic_task"])


def request_run(source: IngestSource, *, trigger: str) -> None:
    """Queue a run of ``source`` once the current transaction commits."""
    ingest_source.delay_on_commit(source.pk, trigger=trigger)  # type: ignore[attr-defined]
