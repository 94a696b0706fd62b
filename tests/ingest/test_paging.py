"""FTS paging page by page: each page commits on its own, a page that cannot be fetched
leaves the earlier ones and the run says where it stopped, a retry of the task continues
from there, and a local file's ``nextLink`` is followed only to a file beside it unless
asked. On OCHA's own pages (``shared/fixtures/fts``) and a real HTTP server on loopback."""

import socket
from typing import Any

import pytest
from celery.exceptions import Retry

from config.celery import app
from ingest.models import IngestRun, IngestSource, RunStatus
from ingest.runner import ingest_location
from ingest.tasks import ingest_source
from ledger.models import LedgerEntry
from tests.ingest.conftest import OPT_PAGES as PAGES
from tests.ingest.conftest import copy_opt_pages

pytestmark = pytest.mark.django_db

# Page 1 of the fixtures: 200 flows, 20 of them without a positive amount; 424 in all.
PAGE_1 = (200, 180, 0, 0, 20)
ALL_FLOWS = 424


def counts(run: IngestRun) -> tuple[int, int, int, int, int]:
    return run.seen, run.created, run.unchanged, run.corrected, run.rejected


def stop(run: IngestRun) -> tuple[int | None, str]:
    return run.stopped_at_page, run.stopped_at_url


@pytest.fixture
def unresolvable(monkeypatch: pytest.MonkeyPatch) -> str:
    """A host name the resolver does not know (answered here, so no query leaves)."""
    real_getaddrinfo = socket.getaddrinfo

    def getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
        if host == "fts.unresolvable.test":
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return real_getaddrinfo(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    return "fts.unresolvable.test"


def test_a_next_page_that_cannot_be_fetched_leaves_page_one_and_says_where_it_stopped(
    fts_dir, ukraine, tmp_path, unresolvable
):
    [first, *_] = copy_opt_pages(fts_dir, tmp_path / "pages", f"http://{unresolvable}/")
    page_2 = f"http://{unresolvable}/{PAGES[1]}"

    run = ingest_location("fts", str(first), options={"follow_next_link": True})

    assert run.status == RunStatus.FAILED
    assert counts(run) == PAGE_1
    assert LedgerEntry.objects.count() == 180
    assert stop(run) == (2, page_2)
    assert run.error == (
        f"Fetching failed: {unresolvable} cannot be resolved: [Errno {socket.EAI_NONAME}] Name "
        f"or service not known. Stopped at page 2 ({page_2}); the pages before it landed."
    )


def test_a_local_files_link_to_the_web_is_followed_only_when_asked(
    fts_dir, ukraine, tmp_path, served_pages
):
    [first, *_] = copy_opt_pages(fts_dir, tmp_path / "pages", served_pages.url(""))

    alone = ingest_location("fts", str(first))

    assert alone.status == RunStatus.PARTIALLY_SUCCEEDED, alone.error
    assert counts(alone) == PAGE_1
    assert stop(alone) == (2, served_pages.url(PAGES[1]))  # recorded, not silently dropped
    assert served_pages.requests == []

    followed = ingest_location("fts", str(first), options={"follow_next_link": True})

    assert followed.seen == ALL_FLOWS
    assert followed.unchanged == 180
    assert followed.created + followed.rejected == ALL_FLOWS - 180
    assert stop(followed) == (None, "")
    assert served_pages.requests == PAGES[1:]


@pytest.mark.parametrize("link", ["relative", "file URL", "path"])
def test_a_local_files_link_to_a_file_beside_it_is_followed(fts_dir, ukraine, tmp_path, link):
    folder = tmp_path / "pages"
    prefix = {"relative": "", "file URL": f"file://{folder}/", "path": f"{folder}/"}[link]
    [first, *_] = copy_opt_pages(fts_dir, folder, prefix)

    run = ingest_location("fts", str(first))

    assert run.seen == ALL_FLOWS
    assert run.status == RunStatus.PARTIALLY_SUCCEEDED, run.error
    assert run.created + run.rejected == ALL_FLOWS
    assert LedgerEntry.objects.count() == run.created
    assert run.rejections.filter(position__startswith="page 3,").count() == 2
    assert stop(run) == (None, "")


def test_no_link_is_followed_when_the_option_says_so(fts_dir, ukraine, tmp_path):
    [first, *_] = copy_opt_pages(fts_dir, tmp_path / "pages", "")

    run = ingest_location("fts", str(first), options={"follow_next_link": "false"})

    assert counts(run) == PAGE_1
    assert stop(run) == (2, str(tmp_path / "pages" / PAGES[1]))


# --- the task: a retry continues from the page it stopped at ---------------------------------


@pytest.fixture
def task_state() -> Any:
    """What ``Task.retry(max_retries=...)`` leaves on the (process-wide) task object."""
    task = app.tasks["ingest.tasks.ingest_source"]
    vars(task).pop("override_max_retries", None)
    yield
    vars(task).pop("override_max_retries", None)


def test_a_retry_of_the_task_continues_from_the_page_that_failed(ukraine, served_pages, task_state):
    served_pages.status[PAGES[1]] = 503
    source = IngestSource.objects.create(
        name="OPT flows", adapter="fts", location=served_pages.url(PAGES[0])
    )

    with pytest.raises(Retry):
        ingest_source.apply(args=(source.pk,), kwargs={"trigger": "admin"}, task_id="opt-1")

    first = IngestRun.objects.get()
    assert first.status == RunStatus.FAILED
    assert first.error.startswith(
        f"Fetching failed (will retry): {served_pages.url(PAGES[1])} answered 503."
    )
    assert counts(first) == PAGE_1
    assert stop(first) == (2, served_pages.url(PAGES[1]))

    del served_pages.status[PAGES[1]]
    result = ingest_source.apply(
        args=(source.pk,), kwargs={"trigger": "admin"}, task_id="opt-1", retries=1
    )

    assert result.state == "SUCCESS", result.result
    resumed = IngestRun.objects.exclude(pk=first.pk).get()
    assert resumed.resumed_from == first
    assert served_pages.requests == [PAGES[0], PAGES[1], PAGES[1], PAGES[2]]
    assert resumed.seen == ALL_FLOWS - 200
    assert (resumed.unchanged, resumed.corrected) == (0, 0)
    assert first.created + resumed.created + first.rejected + resumed.rejected == ALL_FLOWS
    assert not resumed.rejections.filter(position__startswith="page 1,").exists()
    assert resumed.rejections.filter(position__startswith="page 3,").count() == 2
    assert LedgerEntry.objects.count() == first.created + resumed.created
    assert stop(resumed) == (None, "")


def test_a_new_task_reads_from_the_first_page_again(ukraine, served_pages, task_state):
    served_pages.status[PAGES[1]] = 503
    source = IngestSource.objects.create(
        name="OPT flows", adapter="fts", location=served_pages.url(PAGES[0])
    )
    with pytest.raises(Retry):
        ingest_source.apply(args=(source.pk,), kwargs={"trigger": "admin"}, task_id="opt-1")
    del served_pages.status[PAGES[1]]

    ingest_source.apply(args=(source.pk,), kwargs={"trigger": "admin"}, task_id="opt-2")

    later = IngestRun.objects.get(task_id="opt-2")
    assert later.resumed_from is None
    assert later.seen == ALL_FLOWS
    assert later.unchanged == 180


def test_the_last_retry_fails_the_run_without_promising_another(ukraine, served_pages, task_state):
    served_pages.status[PAGES[1]] = 503
    source = IngestSource.objects.create(
        name="OPT flows", adapter="fts", location=served_pages.url(PAGES[0])
    )

    result = ingest_source.apply(
        args=(source.pk,), kwargs={"trigger": "admin"}, task_id="opt-1", retries=5
    )

    assert result.state == "SUCCESS"
    assert isinstance(result.result, dict)
    assert result.result["status"] == RunStatus.FAILED
    run = IngestRun.objects.get()
    assert run.error.startswith(f"Fetching failed: {served_pages.url(PAGES[1])} answered 503.")
    assert counts(run) == PAGE_1


def test_the_paging_stops_where_the_adapter_refuses_a_page(fts_dir, ukraine, served_pages):
    (served_pages.root / PAGES[1]).write_text("<html>Service unavailable</html>")

    run = ingest_location("fts", served_pages.url(PAGES[0]))

    assert run.status == RunStatus.FAILED
    assert counts(run) == (200, 180, 0, 0, 21)  # page 1, and the refusal of page 2
    assert stop(run) == (2, served_pages.url(PAGES[1]))
    assert run.rejections.get(position="page 2").reason.endswith(
        "is not JSON: Expecting value: line 1 column 1 (char 0)"
    )
