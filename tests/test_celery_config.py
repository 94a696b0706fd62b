"""Celery takes its settings from Django's: Redis when REDIS_URL is set, else in-process."""

from django.conf import settings

from config.celery import app


def test_tasks_go_to_redis_when_it_is_configured_and_run_in_process_otherwise():
    if settings.REDIS_URL:
        assert app.conf.broker_url == settings.REDIS_URL
        assert not app.conf.task_always_eager
    else:
        assert app.conf.broker_url == "memory://"
        assert app.conf.task_always_eager


def test_a_task_is_acknowledged_only_once_done_and_never_prefetched_ahead():
    assert app.conf.task_acks_late
    assert app.conf.task_reject_on_worker_lost
    assert app.conf.worker_prefetch_multiplier == 1
    assert app.conf.broker_transport_options["visibility_timeout"] >= 3600
