"""News feeds over real HTTP on loopback: items fetched once, an unchanged feed polled
again in one request that writes nothing, and bad or hostile input refused or rejected
while the good items land."""

import datetime as dt
import os
import time
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ingest.fetch import Fetcher
from ingest.models import IngestRun, IngestSource, RejectedRecord, RunStatus
from ingest.runner import ingest_source
from ingest.services.sources import save_source
from ledger.models import LedgerEntry
from news.models import Article, Candidate
from tests.ingest.conftest import LoopbackServer
from tests.news.feeds import Story, page, rss, serve_stories

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("pledge_extractor")]


def news_source(location: str, **options: Any) -> IngestSource:
    return save_source(
        IngestSource(name="Gazette", adapter="news", location=location, options=options)
    )


def poll(source: IngestSource) -> IngestRun:
    return ingest_source(source, trigger="admin")


def rows() -> tuple[int, int, int]:
    return Article.objects.count(), Candidate.objects.count(), RejectedRecord.objects.count()


def test_a_feed_is_read_once_and_an_unchanged_feed_costs_one_request(
    loopback_server: LoopbackServer,
) -> None:
    stories = serve_stories(loopback_server.root, loopback_server.url(""), 3)
    source = news_source(loopback_server.url("feed.xml"))

    first = poll(source)

    assert (first.status, first.seen, first.created, first.rejected) == (
        RunStatus.SUCCEEDED,
        3,
        3,
        0,
    )
    assert loopback_server.requests == ["feed.xml", *(f"{s.slug}.html" for s in stories)]
    article = Article.objects.get(url=loopback_server.url("story-2.html"))
    assert (article.title, article.publisher, article.published_on, article.date_found_by) == (
        stories[1].title,
        "The Test Gazette",
        stories[1].published,
        "page metadata",
    )
    assert article.text.endswith(stories[1].body)  # the main text: no menu, no footer
    assert (article.ingest_source, article.first_run) == (source, first)
    assert rows() == (3, 3, 0)

    # The feed gains an item, but its server still says it was last modified then: the
    # request is conditional, the answer 304, so nothing is read (had the run not sent
    # the validators, it would read the new item).
    feed = loopback_server.root / "feed.xml"
    modified = feed.stat().st_mtime
    serve_stories(loopback_server.root, loopback_server.url(""), 4)
    os.utime(feed, (modified, modified))
    loopback_server.requests.clear()
    with CaptureQueriesContext(connection) as queries:
        again = poll(source)
    assert loopback_server.requests == ["feed.xml"]
    assert (again.status, again.seen, again.created, again.unchanged, again.same_as) == (
        RunStatus.SUCCEEDED,
        3,
        0,
        3,
        first,
    )
    assert rows() == (3, 3, 0)
    written = [
        q["sql"] for q in queries if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE"))
    ]
    assert all('"ingest_' in sql for sql in written), written  # the run and the lease only

    # A new item: the feed and its article are fetched, the stored ones are not.
    os.utime(feed, (modified + 5, modified + 5))
    loopback_server.requests.clear()
    third = poll(source)
    assert loopback_server.requests == ["feed.xml", "story-4.html"]
    assert (third.seen, third.created, third.unchanged) == (4, 1, 3)
    assert rows() == (4, 4, 0)
    assert not LedgerEntry.objects.exists()


def test_a_feed_without_validators_is_not_read_again_when_its_content_is_the_same(
    loopback_server: LoopbackServer,
) -> None:
    serve_stories(loopback_server.root, loopback_server.url(""), 2)
    # Through a redirect-free rewrite the server answers 200 with no Last-Modified.
    loopback_server.rewrite["feed.xml"] = lambda content: content
    source = news_source(loopback_server.url("feed.xml"))
    poll(source)
    loopback_server.requests.clear()
    again = poll(source)
    assert loopback_server.requests == ["feed.xml"]
    assert (again.status, again.unchanged, again.created) == (RunStatus.SUCCEEDED, 2, 0)
    assert rows() == (2, 2, 0)


def test_bad_items_are_rejected_with_their_reason_and_the_good_ones_land(
    loopback_server: LoopbackServer, settings: Any
) -> None:
    root, url = loopback_server.root, loopback_server.url
    scripted = Story(
        "scripted",
        "Scripts in the page",
        "Norway pledged 5 million kroner on Monday, said the minister in charge of the aid "
        "programme.",
    )
    scripted_page = page(scripted, extra="<script>window.stolen = document.cookie;</script>")
    scripted_page = scripted_page.replace("<body>", "<body><script>alert('pwned')</script>")
    scripted_page = scripted_page.replace(
        "</head>", '<link rel="canonical" href="javascript:alert(1)"></head>'
    )
    (root / "scripted.html").write_text(scripted_page)
    (root / "empty.html").write_text("<html><body><script>let x = 1;</script></body></html>")
    (root / "huge.html").write_text(page(Story("huge", "Huge", "pledged " * 5_000)))
    (root / "big.html").write_text(page(Story("big", "Big", "pledged " * 1_500)))
    settings.INGEST_MAX_BYTES = 20_000
    settings.NEWS_MAX_BYTES = 10_000
    (root / "feed.xml").write_text(
        rss(
            [
                ("<b>Scripts</b> &amp; pledges", url("scripted.html")),
                ("Nothing", url("empty.html")),
                ("Too big", url("huge.html")),
                ("Gone", url("gone.html")),
                ("No link", ""),
                ("Scripts again", url("scripted.html")),
                ("Big", url("big.html")),
                ("Secrets", "file:///etc/passwd"),
            ]
        )
    )
    loopback_server.status["gone.html"] = 404

    run = poll(news_source(url("feed.xml")))

    assert (run.status, run.seen, run.created, run.rejected) == (
        RunStatus.PARTIALLY_SUCCEEDED,
        8,
        1,
        7,
    )
    article = Article.objects.get()
    assert article.title == "Scripts & pledges"  # markup stripped, text kept
    assert article.url == url("scripted.html")  # trafilatura drops a javascript: canonical
    assert "alert" not in article.text
    assert "cookie" not in article.text
    assert "<" not in article.text
    reasons = dict(run.rejections.values_list("position", "reason"))
    assert reasons["item 2"].startswith("The page has no main text")
    assert reasons["item 3"] == (
        f"Its article could not be fetched: {url('huge.html')} is larger than the limit of "
        "20,000 bytes."
    )
    assert (
        reasons["item 4"] == f"Its article could not be fetched: {url('gone.html')} answered 404."
    )
    assert reasons["item 5"] == "The item has no link to its article."
    assert reasons["item 6"] == f"The feed lists {url('scripted.html')} twice; the first was read."
    assert loopback_server.requests.count("scripted.html") == 1
    assert reasons["item 8"].startswith("The item links to file:")  # as feedparser reads it
    assert reasons["item 8"].endswith(", not to an http(s) URL.")
    assert reasons["item 7"] == (
        f"Its article is not read: {url('big.html')} is larger than news documents may be "
        "(10,000 bytes)."
    )

    # A partial run is no version to lean on (its validators are not sent): the next poll
    # reads the feed again,
    # and fetches only what is not stored.
    loopback_server.requests.clear()
    poll(IngestSource.objects.get())
    assert "feed.xml" in loopback_server.requests
    assert "scripted.html" not in loopback_server.requests
    assert Article.objects.count() == 1


def test_a_link_to_a_private_address_is_refused_when_they_are_not_allowed(
    loopback_server: LoopbackServer, settings: Any, tmp_path: Path
) -> None:
    feed = tmp_path / "feed.xml"  # a local file, which links to the loopback server
    feed.write_text(rss([("Inside", loopback_server.url("admin.html"))]))
    settings.INGEST_ALLOW_PRIVATE_ADDRESSES = False

    run = poll(news_source(str(feed)))

    assert run.status == RunStatus.FAILED
    [reason] = run.rejections.values_list("reason", flat=True)
    assert "127.0.0.1 is on a private address" in reason
    assert loopback_server.requests == []


BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<rss version="2.0"><channel><title>&lol3;</title></channel></rss>"""
XXE = """<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<rss version="2.0"><channel><title>t</title><item><title>&secret;</title>
<link>http://127.0.0.1/x</link></item></channel></rss>"""


@pytest.mark.parametrize(
    ("content", "options", "reason"),
    [
        (BILLION_LAUGHS, {}, "The document declares a DTD"),
        (XXE, {}, "The document declares a DTD"),
        ("<rss><channel><item>", {}, "The document is not well-formed XML"),
        ("<catalogue><book/></catalogue>", {}, "The document is XML but not an RSS or Atom feed."),
        ("Just some words, not a feed.", {"kind": "feed"}, "The document is not well-formed XML"),
        ("Norway pledged.", {"kind": "podcast"}, "The option kind is 'podcast'"),
        ("Norway pledged.", {"published": "soon"}, "The option published is 'soon', not a date"),
    ],
)
def test_a_document_that_is_no_feed_or_is_hostile_is_refused_whole(
    tmp_path: Path, content: str, options: dict[str, str], reason: str
) -> None:
    path = tmp_path / "feed.xml"
    path.write_text(content)

    run = poll(news_source(str(path), **options))

    assert run.status == RunStatus.FAILED
    assert run.error.startswith(f"The content was refused: {reason}")
    assert run.rejections.get().position == "document"
    assert rows() == (0, 0, 1)
    assert "root:" not in run.error


def test_an_article_page_gives_its_date_from_htmldate_and_is_read_once(
    loopback_server: LoopbackServer,
) -> None:
    undated = Story(
        "undated",
        "Aid talks",
        "Published on 3 January 2024. Norway pledged 10 million kroner to Ukraine, the foreign "
        "ministry said on its website.",
        published=None,
    )
    (loopback_server.root / "undated.html").write_text(page(undated))

    source = news_source(loopback_server.url("undated.html"))
    run = poll(source)
    again = poll(source)  # answered 304: one request, nothing read

    assert run.status == RunStatus.SUCCEEDED
    assert (again.status, again.unchanged, again.same_as) == (RunStatus.SUCCEEDED, 1, run)
    assert loopback_server.requests == ["undated.html", "undated.html"]
    article = Article.objects.get()
    assert (article.published_on, article.date_found_by) == (dt.date(2024, 1, 3), "htmldate")
    assert article.title == "Aid talks"


def test_the_fetcher_sends_validators_and_reports_not_modified(
    loopback_server: LoopbackServer,
) -> None:
    path = loopback_server.root / "feed.xml"
    path.write_text(rss([]))
    with Fetcher() as fetcher:
        first = fetcher.fetch(loopback_server.url("feed.xml"))
        again = fetcher.fetch(loopback_server.url("feed.xml"), validators=first.validators)
        os.utime(path, (time.time() + 5, time.time() + 5))
        changed = fetcher.fetch(loopback_server.url("feed.xml"), validators=first.validators)
    assert first.validators.last_modified
    assert not first.not_modified
    assert (again.not_modified, again.size, again.validators) == (True, 0, first.validators)
    assert (changed.not_modified, changed.size) == (False, path.stat().st_size)
    assert changed.validators != first.validators


def test_an_atom_feed_is_read_like_an_rss_feed(loopback_server: LoopbackServer) -> None:
    stories = serve_stories(loopback_server.root, loopback_server.url(""), 1)
    (loopback_server.root / "atom.xml").write_text(
        '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
        "<title>Atom Gazette</title><id>urn:test:feed</id><updated>2025-07-10T09:00:00Z</updated>"
        f'<entry><title>Atom item</title><link href="{stories[0].slug}.html"/>'
        "<id>urn:test:1</id><updated>2025-07-10T09:00:00Z</updated></entry></feed>"
    )
    run = poll(news_source(loopback_server.url("atom.xml")))
    assert (run.status, run.created) == (RunStatus.SUCCEEDED, 1)
    article = Article.objects.get()
    # The relative link is the feed's; the item's title is the headline.
    assert (article.url, article.title) == (loopback_server.url("story-1.html"), "Atom item")


def test_a_feed_over_the_news_size_limit_is_refused(tmp_path: Path, settings: Any) -> None:
    settings.NEWS_MAX_BYTES = 1_000
    path = tmp_path / "feed.xml"
    path.write_text(rss([(f"Item {n}", f"https://news.example/{n}") for n in range(50)]))

    run = poll(news_source(str(path)))

    assert run.status == RunStatus.FAILED
    assert run.error == (
        f"The content was refused: {path} is larger than news documents may be (1,000 bytes)."
    )
