"""Celery takes its settings from Django's: Redis when REDIS_URL is set, else a queue in
files that needs no server (the embedded default)."""

from django.conf import settings

from config.celery import app


def test_tasks_go_to_redis_when_it_is_configured_and_to_a_file_queue_otherwise():
    if settings.REDIS_URL:
        assert app.conf.broker_url == settings.REDIS_URL
    else:
        assert app.conf.broker_url == "filesystem://"
        options = app.conf.broker_transport_options
        assert options["data_folder_in"] == options["data_folder_out"]
        assert options["data_folder_in"].startswith(str(settings.VAR_DIR))


def test_a_task_is_acknowledged_only_once_done_and_never_prefetched_ahead():
    assert app.conf.task_acks_late
    assert app.conf.task_reject_on_worker_lost
    assert app.conf.worker_prefetch_multiplier == 1
    assert app.conf.broker_transport_options["visibility_timeout"] >= 3600


def test_beat_reads_its_schedule_from_the_database():
    assert app.conf.beat_scheduler == "django_celery_beat.schedulers:DatabaseScheduler"


def test_tasks_can_be_queued_once_the_transaction_commits():
    from ingest.tasks import ingest_source

    assert hasattr(ingest_source, "delay_on_commit")


def test_tasks_results_and_events_are_json_only_sent_and_accepted():
    """Nothing is pickled, nor accepted pickled: Celery's check_privileges then has no
    pickle to warn about (or, as root, to refuse to start with)."""
    assert (app.conf.task_serializer, app.conf.result_serializer) == ("json", "json")
    assert app.conf.event_serializer == "json"
    assert app.conf.accept_content == ["json"]
    # Unset, results would be accepted in whatever accept_content says: set it explicitly.
    assert app.conf.result_accept_content == ["json"]
