"""News: RSS and Atom feeds, article pages and plain text files become articles.

What the document is: the option ``kind`` (feed, page or text) says; without it, the first
bytes do (an XML feed, an HTML page, else plain text). A feed's items are read by
feedparser and each item's link is fetched through the run's fetcher (the same size and
time limits, private addresses refused); a link whose article is stored already is not
fetched again (articles are kept as first read: their evidence offsets count in that
text). A page gives its main text, title, site name and date through trafilatura; the
date comes from the page's metadata, else the feed item's, else htmldate's search of the
page, and ``date_found_by`` says which. A text file is its text as is, its first non-empty
line the title. The options ``title``, ``publisher``, ``published`` (YYYY-MM-DD) and
``url`` override what the document says (``manage.py ingest --published/--url``); for a
feed's items only ``publisher`` and ``published`` apply.

Refused whole (nothing recorded): a document over ``NEWS_MAX_BYTES`` (it is parsed in
memory), XML that is not well-formed, declares a DTD (what billion-laughs and external-
entity attacks need, refused as the IATI adapter refuses them) or is no RSS/Atom feed.
Rejected, the run going on with the other items: an item without a link or with one
that is not http(s) (a feed must not make the worker read its files), a link that
cannot be fetched (a private address, over the size limit, an HTTP error) or is over
``NEWS_MAX_BYTES``, a link the feed lists twice (read once), a page with no main text,
text that is not English or not UTF-8 (or holds a NUL character: see
``ingest.screening``).

Nothing here keeps markup: trafilatura gives plain text, and titles from a feed are
cleaned of tags by nh3, so the admin shows (escaped) text only.
"""

import html
import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any
from urllib.parse import urljoin, urlsplit

import feedparser  # type: ignore[import-untyped]
import htmldate
import nh3
import trafilatura
from django.conf import settings
from lxml import etree

from ingest.adapters.base import (
    ContentRefused,
    Document,
    IncomingArticle,
    Item,
    ReadContext,
    Rejection,
    StoredLink,
)
from ingest.fetch import FetchError
from news.extraction import not_english_reason

KINDS = ("feed", "page", "text")
_RAW_LIMIT = 2_000
_SNIFF_BYTES = 2_048
_FIRST_ELEMENT = re.compile(rb"<([A-Za-z][\w.:-]*)")


class NewsAdapter:
    name = "news"
    paged = False
    conditional = True

    def read(self, document: Document, context: ReadContext) -> Iterator[Item]:
        data = _read(document)
        if data is None:
            raise ContentRefused(_too_large(document.url))
        given = _given(context.options)
        kind = context.options.get("kind") or _sniff(data)
        if kind == "feed":
            yield from _feed_items(data, document.url, given, context)
        elif kind == "page":
            yield _page(data, url=document.url, position="document", given=given)
        elif kind == "text":
            yield _text(data, url=document.url, given=given)
        else:
            raise ContentRefused(f"The option kind is {kind!r}; use one of {', '.join(KINDS)}.")


ADAPTER = NewsAdapter()


@dataclass(frozen=True)
class Given:
    """What is known of an article besides its document: the options' title, publisher,
    url and published (which win), and for a feed's item, the feed's word."""

    title: str = ""
    publisher: str = ""
    url: str = ""
    published: date | None = None
    feed_publisher: str = ""
    feed_date: date | None = None


def _read(document: Document) -> bytes | None:
    """The document's bytes, or None if it is over ``NEWS_MAX_BYTES``."""
    with document.open() as stream:
        data = stream.read(settings.NEWS_MAX_BYTES + 1)
    return data if len(data) <= settings.NEWS_MAX_BYTES else None


def _too_large(url: str) -> str:
    return f"{url} is larger than news documents may be ({settings.NEWS_MAX_BYTES:,} bytes)."


def _given(options: Any) -> Given:
    def text(name: str) -> str:
        return str(options.get(name) or "").strip()

    published = text("published")
    try:
        day = date.fromisoformat(published) if published else None
    except ValueError:
        raise ContentRefused(
            f"The option published is {published!r}, not a date (YYYY-MM-DD)."
        ) from None
    return Given(title=text("title"), publisher=text("publisher"), url=text("url"), published=day)


def _sniff(data: bytes) -> str:
    """A document whose first element is <html> is a page, one that begins with markup
    any other (an XML declaration, <rss>, <feed>) a feed, and the rest text."""
    head = data[:_SNIFF_BYTES].lstrip(b"\xef\xbb\xbf \t\r\n")
    if not head.startswith(b"<"):
        return "text"
    if head[:14].lower() == b"<!doctype html":
        return "page"
    first = _FIRST_ELEMENT.search(head)
    return "page" if first is not None and first.group(1).lower() == b"html" else "feed"


# --- feeds -------------------------------------------------------------------------------


def _feed_items(data: bytes, url: str, given: Given, context: ReadContext) -> Iterator[Item]:
    _refuse_hostile(data)
    feed = feedparser.parse(data, sanitize_html=True, resolve_relative_uris=False)
    if not feed.version:
        raise ContentRefused("The document is XML but not an RSS or Atom feed.")
    publisher = plain(feed.feed.get("title", ""))
    listed: set[str] = set()
    for number, entry in enumerate(feed.entries, start=1):
        position = f"item {number}"
        link = str(entry.get("link") or "").strip()
        raw = f"{plain(entry.get('title', ''))} {link}".strip()[:_RAW_LIMIT]
        if not link:
            yield Rejection(position, raw, "The item has no link to its article.")
            continue
        if urlsplit(urljoin(url, link)).scheme not in ("http", "https"):
            # Articles are web pages: a feed must not make the worker read its own files.
            yield Rejection(position, raw, f"The item links to {link}, not to an http(s) URL.")
            continue
        link = urljoin(url, link)
        if link in listed:
            yield Rejection(position, raw, f"The feed lists {link} twice; the first was read.")
            continue
        listed.add(link)
        if context.known(link):
            yield StoredLink(position, link)
            continue
        try:
            page = context.fetch(link)
        except FetchError as error:
            yield Rejection(position, raw, f"Its article could not be fetched: {error}")
            continue
        body = _read(page)
        if body is None:
            yield Rejection(position, raw, f"Its article is not read: {_too_large(link)}")
            continue
        item_given = replace(
            given,
            # The options' title and url are the document's (the feed's), not its items'.
            # An item's title is the headline as edited; a page's may carry the site's name.
            title=plain(entry.get("title", "")),
            url="",
            feed_publisher=publisher,
            feed_date=_entry_date(entry),
        )
        yield _page(body, url=link, position=position, given=item_given)


def _refuse_hostile(data: bytes) -> None:
    """Parse without expanding entities or reading anything else, and refuse a DTD."""
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False
    )
    try:
        tree = etree.fromstring(data, parser).getroottree()
    except etree.XMLSyntaxError as error:
        raise ContentRefused(f"The document is not well-formed XML: {error}") from error
    if tree.docinfo.internalDTD is not None or tree.docinfo.externalDTD is not None:
        raise ContentRefused(
            "The document declares a DTD, which feeds do not need and XML attacks "
            "(entity expansion, external entities) do: refused."
        )


def _entry_date(entry: Any) -> date | None:
    parsed = entry.get("published_parsed") or entry.get("updated_parsed")
    return date(*parsed[:3]) if parsed else None


def plain(text: str) -> str:
    """``text`` without markup: tags removed by nh3, entities read, spaces collapsed."""
    return " ".join(html.unescape(nh3.clean(str(text), tags=set())).split())


# --- pages and text files ----------------------------------------------------------------


def _page(data: bytes, *, url: str, position: str, given: Given) -> Item:
    raw = data[:_RAW_LIMIT].decode(errors="replace")
    extracted: trafilatura.settings.Document | None = trafilatura.bare_extraction(  # type: ignore[assignment]
        data,
        url=url,
        with_metadata=True,
        include_comments=False,
        # The page's own metadata only: htmldate's search of the page comes after the
        # feed's date, and is recorded as such.
        date_extraction_params={"extensive_search": False, "original_date": True},
    )
    text = (extracted.text or "").strip() if extracted is not None else ""
    if extracted is None or not text:
        return Rejection(position, raw, "The page has no main text (an empty or script-only page).")
    published, found_by = given.published, "given"
    for candidate, source in (
        (_iso_date(extracted.date), "page metadata"),
        (given.feed_date, "feed"),
        (
            _iso_date(htmldate.find_date(data, extensive_search=True, original_date=True)),
            "htmldate",
        ),
    ):
        if published is None and candidate is not None:
            published, found_by = candidate, source
    return _article(
        position=position,
        raw=raw,
        text=text,
        url=given.url or extracted.url or url,
        title=given.title or plain(extracted.title or ""),
        publisher=given.publisher or plain(extracted.sitename or "") or given.feed_publisher,
        published_on=published,
        date_found_by=found_by if published is not None else "",
    )


def _text(data: bytes, *, url: str, given: Given) -> Item:
    raw = data[:_RAW_LIMIT].decode(errors="replace")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        return Rejection("document", raw, f"The file is not UTF-8 text: {error}.")
    first_line = next((line.strip() for line in text.splitlines() if line.strip()), "")
    return _article(
        position="document",
        raw=raw,
        text=text,
        url=given.url or (url if url.startswith(("http://", "https://")) else ""),
        title=given.title or first_line,
        publisher=given.publisher,
        published_on=given.published,
        date_found_by="given" if given.published else "",
    )


def _article(*, position: str, raw: str, text: str, **fields: Any) -> Item:
    if not text.strip():
        return Rejection(position, raw, "The article has no text.")
    reason = not_english_reason(text)
    if reason:
        return Rejection(position, raw, reason)
    return IncomingArticle(position=position, raw=raw, text=text, language="en", **fields)


def _iso_date(value: str | None) -> date | None:
    if not value:
        return None
    try:
        return datetime.strptime(value[:10], "%Y-%m-%d").date()
    except ValueError:
        return None
