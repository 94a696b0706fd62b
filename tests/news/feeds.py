"""What the news ingest tests serve: short articles of our own, as HTML pages and as an
RSS feed of them, and a stand-in extractor for the rules one (``news.extraction``).

The stand-in proposes each sentence saying "pledged" as a pledge, flagged "no date" when
the article has no publication date: enough to see candidates stored once, which is what
these tests are about; what the rules find is tested with the extractor."""

import datetime as dt
import re
from dataclasses import dataclass
from email.utils import format_datetime
from html import escape
from pathlib import Path

from news.extraction.base import Found

EXTRACTOR = "tests.news.feeds.PledgeSentences"
_PLEDGE_SENTENCE = re.compile(r"[^.!?\n]*\bpledged\b[^.!?\n]*[.!?]?")


class PledgeSentences:
    name = "test: pledge sentences"

    def extract(self, text: str, *, published_on: dt.date | None) -> list[Found]:
        found = []
        for match in _PLEDGE_SENTENCE.finditer(text):
            start = match.start() + len(match.group()) - len(match.group().lstrip())
            evidence = match.group().strip()
            found.append(
                Found(
                    kind="pledge",
                    evidence=evidence,
                    evidence_start=start,
                    evidence_end=start + len(evidence),
                    confidence=0.5,
                    flags=() if published_on else ("no date",),
                )
            )
        return found


@dataclass(frozen=True)
class Story:
    slug: str
    title: str
    body: str
    published: dt.date | None = dt.date(2025, 7, 10)


def story(number: int) -> Story:
    """A short article of our own, different for each number, with one pledge in it."""
    return Story(
        slug=f"story-{number}",
        title=f"Donors meet for the {number}th time",
        body=(
            f"Norway pledged {number} million kroner to Ukraine at the meeting on Thursday. "
            "The ministers also discussed how the money will reach the hospitals that need "
            "it before the winter, and said that they would meet again in the autumn."
        ),
    )


def page(item: Story, *, site: str = "The Test Gazette", extra: str = "") -> str:
    published = (
        f'<meta property="article:published_time" content="{item.published.isoformat()}">'
        if item.published
        else ""
    )
    return (
        "<!DOCTYPE html><html><head>"
        f"<title>{escape(item.title)} | {site}</title>"
        f'<meta property="og:site_name" content="{site}">{published}'
        "</head><body><nav>Home News Sport</nav><article>"
        f"<h1>{escape(item.title)}</h1><p>{escape(item.body)}</p>{extra}"
        "</article><footer>All rights reserved</footer></body></html>"
    )


def rss(links: list[tuple[str, str]], *, title: str = "The Test Gazette") -> str:
    """An RSS 2.0 feed whose items are (title, link)."""
    date = format_datetime(dt.datetime(2025, 7, 10, 9, tzinfo=dt.UTC))
    items = "".join(
        f"<item><title>{escape(name)}</title><link>{escape(link)}</link>"
        f"<pubDate>{date}</pubDate></item>"
        for name, link in links
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        f"<title>{escape(title)}</title><link>https://gazette.example/</link>"
        f"<description>Test news</description>{items}</channel></rss>"
    )


def serve_stories(root: Path, url: str, count: int, *, feed: str = "feed.xml") -> list[Story]:
    """``count`` stories as pages in ``root`` and a feed of them, linked under ``url``."""
    stories = [story(number) for number in range(1, count + 1)]
    for item in stories:
        (root / f"{item.slug}.html").write_text(page(item))
    (root / feed).write_text(rss([(s.title, f"{url}{s.slug}.html") for s in stories]))
    return stories
