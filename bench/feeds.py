"""Benchmark of polling a news feed (a script, not a test).

It writes ``--items`` short articles of its own (100 by default; generated, each with one
pledge in it) as HTML pages and an RSS feed of them into a temporary directory, serves
them over HTTP on loopback (``--port``, 21300 unless given; the server answers
If-Modified-Since with 304 as any static server does), and on its own database
(``aidledger_bench_feeds`` unless ``--database-url`` names another; created afresh and
dropped at the end unless ``--keep``) it times, as a scheduled source's runs:

- the first poll: the feed and every item's page fetched, each article stored with its
  candidates (checked: every item created);
- the re-poll of the unchanged feed: the request carries the first run's validators, the
  server answers 304, nothing is read (checked: every item unchanged, nothing written).

``repoll_requests`` is what the server was asked in the re-poll, ``repoll_writes`` the
rows added to articles, candidates, rejections and ledger entries by it (the run's own
row aside). The extractor is ``--extractor`` (a dotted path, as ``NEWS_EXTRACTOR``),
``news.extraction.default_extractor`` unless given. Target: the re-poll under 2 s and no
write. It ends with one JSON line of the figures.

Run from the project root::

    .venv/bin/python bench/feeds.py
    .venv/bin/python bench/feeds.py --items 1000 --extractor tests.news.feeds.PledgeSentences
"""

import argparse
import json
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from html import escape
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from benchdb import create_database, database_settings, drop_database, setup_django

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/aidledger_bench_feeds"
DEFAULT_ITEMS = 100
DEFAULT_PORT = 21300
DONORS = ("Norway", "Germany", "Denmark", "Canada", "Japan")


def write_feed(folder: Path, url: str, items: int) -> None:
    links = []
    for number in range(1, items + 1):
        donor = DONORS[number % len(DONORS)]
        title = f"{donor} announces aid package {number}"
        body = (
            f"{donor} pledged {number} million euros to Ukraine on Thursday, its government "
            "said. The money is for the repair of power stations and for field hospitals in "
            "the east of the country, and the first deliveries are due before the winter."
        )
        (folder / f"article-{number}.html").write_text(
            f"<html><head><title>{escape(title)}</title>"
            '<meta property="og:site_name" content="Bench News">'
            '<meta property="article:published_time" content="2025-07-10"></head>'
            f"<body><article><h1>{escape(title)}</h1><p>{escape(body)}</p></article>"
            "</body></html>"
        )
        links.append(
            f"<item><title>{escape(title)}</title><link>{url}article-{number}.html</link></item>"
        )
    (folder / "feed.xml").write_text(
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        f"<title>Bench News</title><link>{url}</link><description>Bench</description>"
        f"{''.join(links)}</channel></rss>"
    )


@contextmanager
def served(folder: Path, port: int) -> Iterator[list[str]]:
    """``folder`` over HTTP on 127.0.0.1:``port``; yields the list of paths asked for."""
    requests: list[str] = []

    class Handler(SimpleHTTPRequestHandler):
        def do_GET(self) -> None:
            requests.append(self.path)
            super().do_GET()

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", port), partial(Handler, directory=str(folder)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield requests
    finally:
        server.shutdown()
        server.server_close()


def row_counts() -> dict[str, int]:
    from ingest.models import RejectedRecord
    from ledger.models import LedgerEntry
    from news.models import Article, Candidate

    return {
        model.__name__: model.objects.count()
        for model in (Article, Candidate, RejectedRecord, LedgerEntry)
    }


def benchmark(items: int, port: int) -> dict[str, Any]:
    from django.core.management import call_command
    from django_celery_beat.models import IntervalSchedule

    from ingest.models import IngestSource, RunStatus
    from ingest.runner import ingest_source
    from ingest.services.sources import save_source

    call_command("migrate", "--noinput", verbosity=0)
    with tempfile.TemporaryDirectory() as directory, served(Path(directory), port) as requests:
        url = f"http://127.0.0.1:{port}/"
        write_feed(Path(directory), url, items)
        hourly, _ = IntervalSchedule.objects.get_or_create(every=1, period=IntervalSchedule.HOURS)
        source = save_source(
            IngestSource(
                name="Bench News", adapter="news", location=f"{url}feed.xml", interval=hourly
            )
        )

        started = time.perf_counter()
        first = ingest_source(source, trigger="schedule")
        first_s = time.perf_counter() - started
        if (first.status, first.created) != (RunStatus.SUCCEEDED, items):
            raise SystemExit(
                f"The first poll did not store every item: {first.counts} {first.error}"
            )
        print(f"first poll: {items} items, {len(requests)} requests, {first_s:.2f} s")

        before, asked = row_counts(), len(requests)
        started = time.perf_counter()
        again = ingest_source(source, trigger="schedule")
        repoll_s = time.perf_counter() - started
        after = row_counts()
        if (again.status, again.unchanged) != (RunStatus.SUCCEEDED, items):
            raise SystemExit(f"The re-poll did not find every item unchanged: {again.counts}")
        writes = sum(after[name] - before[name] for name in after)
        print(
            f"re-poll: {len(requests) - asked} request(s), {writes} rows written, {repoll_s:.3f} s"
        )
    return {
        "items": items,
        "first_s": round(first_s, 3),
        "repoll_s": round(repoll_s, 3),
        "repoll_requests": len(requests) - asked,
        "repoll_writes": writes,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--items", type=int, default=DEFAULT_ITEMS, help="items in the feed")
    parser.add_argument("--port", type=int, default=DEFAULT_PORT)
    parser.add_argument("--database-url", default=DEFAULT_DATABASE_URL)
    parser.add_argument("--extractor", default="news.extraction.default_extractor")
    parser.add_argument("--keep", action="store_true", help="keep the database at the end")
    args = parser.parse_args()
    if args.items < 1:
        parser.error("--items must be positive")
    settings = database_settings(args.database_url)
    setup_django(
        args.database_url,
        INGEST_ALLOW_PRIVATE_ADDRESSES="true",  # the feed is served on loopback
        NEWS_EXTRACTOR=args.extractor,
    )
    drop_database(settings)
    create_database(settings)
    try:
        figures = benchmark(args.items, args.port)
    finally:
        if not args.keep:
            drop_database(settings)
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
