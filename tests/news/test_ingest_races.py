"""Two runs storing one article at the same moment (two sources naming one feed): the
database's unique URL decides, and the loser finds the winner's article."""

import datetime as dt
import threading

import pytest
from django.db import connection

from news.extraction.base import Found
from news.models import Article, Candidate
from news.services.articles import RecordedArticle, record_article
from tests.news.feeds import PledgeSentences

TEXT = "Norway pledged 35 billion kroner to Ukraine on Thursday, the government said."
URL = "https://news.example/norway"


class Slow(PledgeSentences):
    """Finds pledges only after the other run has tried to insert the same article."""

    def __init__(self, extracting: threading.Event) -> None:
        self.extracting = extracting

    def extract(self, text: str, *, published_on: dt.date | None) -> list[Found]:
        self.extracting.set()
        threading.Event().wait(0.5)  # the other insert now waits on the unique URL
        return super().extract(text, published_on=published_on)


@pytest.mark.postgresql
def test_two_runs_storing_one_article_at_once_store_it_once(live_db: None) -> None:
    extracting = threading.Event()
    results: dict[str, RecordedArticle] = {}

    def store(who: str, text: str, extractor: PledgeSentences) -> None:
        try:
            results[who] = record_article(text=text, url=URL, extractor=extractor)
        finally:
            connection.close()

    first = threading.Thread(target=store, args=("first", TEXT, Slow(extracting)))
    first.start()
    assert extracting.wait(10)
    # Another copy of the page (a changed line): found by URL only, once committed.
    second = threading.Thread(target=store, args=("second", TEXT + " More.", PledgeSentences()))
    second.start()
    first.join(10)
    second.join(10)

    assert (results["first"].created, results["second"].created) == (True, False)
    assert results["first"].article.pk == results["second"].article.pk
    assert Article.objects.count() == 1
    assert Candidate.objects.count() == 1
