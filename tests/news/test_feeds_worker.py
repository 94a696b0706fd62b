"""A news source on a schedule: beat queues its runs, a real Celery worker polls the feed
(served on loopback), and its articles and candidates are created once however often it
is polled. PostgreSQL and Redis only, as the other worker tests."""

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis
from django.conf import settings
from django_celery_beat.models import IntervalSchedule, PeriodicTask, PeriodicTasks

from ingest.models import IngestRun, IngestSource, RunStatus
from ingest.services.sources import save_source
from ledger.models import LedgerEntry
from news.models import Article, Candidate
from tests.ingest.conftest import LoopbackServer
from tests.ingest.worker import beat, celery_env, purge, running, wait_for, worker
from tests.news.feeds import EXTRACTOR, serve_stories

RUN_SECONDS = 60
STORIES = 3

needs_redis = pytest.mark.skipif(
    not settings.REDIS_URL, reason="needs Redis (set REDIS_URL; `make test` does)"
)


@pytest.fixture
def news_queue(test_database: str, tmp_path: Path) -> Iterator[str]:
    queue = f"news-test-{os.environ.get('PYTEST_XDIST_WORKER', 'main')}-{os.getpid()}"
    client = redis.Redis.from_url(settings.REDIS_URL)
    purge(client, queue)
    yield queue
    purge(client, queue)
    client.close()


def succeeded_runs(source: IngestSource, count: int) -> list[IngestRun] | None:
    runs = list(IngestRun.objects.filter(source=source, status=RunStatus.SUCCEEDED).order_by("id"))
    return runs if len(runs) >= count else None


@pytest.mark.postgresql
@needs_redis
def test_beat_polls_a_feed_through_the_worker_and_its_candidates_are_created_once(
    live_db: None,
    loopback_server: LoopbackServer,
    news_queue: str,
    test_database: str,
    tmp_path: Path,
) -> None:
    serve_stories(loopback_server.root, loopback_server.url(""), STORIES)
    every_second, _ = IntervalSchedule.objects.get_or_create(
        every=1, period=IntervalSchedule.SECONDS
    )
    source = save_source(
        IngestSource(
            name="Gazette",
            adapter="news",
            location=loopback_server.url("feed.xml"),
            interval=every_second,
        )
    )
    PeriodicTask.objects.filter(pk=source.periodic_task_id).update(queue=news_queue)
    PeriodicTasks.update_changed()
    env = celery_env(database=test_database, redis_url=settings.REDIS_URL, NEWS_EXTRACTOR=EXTRACTOR)

    with running(
        worker(news_queue, env, tmp_path / "worker.log", pool="solo"),
        beat(env, tmp_path / "beat.log", tmp_path),
    ):
        first, *later = wait_for(
            lambda: succeeded_runs(source, 2), timeout=RUN_SECONDS, what="two polls", interval=0.3
        )

    assert first.trigger == "schedule"
    assert (first.created, first.unchanged) == (STORIES, 0)
    assert all((run.created, run.unchanged) == (0, STORIES) for run in later)
    assert Article.objects.count() == STORIES
    assert Candidate.objects.count() == STORIES
    assert set(Candidate.objects.values_list("status", flat=True)) == {"pending"}
    # Only the first poll fetched the articles; the others asked for the feed alone.
    assert loopback_server.requests.count("story-1.html") == 1
    assert not LedgerEntry.objects.exists()
