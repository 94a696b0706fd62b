"""The news ingest with the extractor it runs by default (the rules): an article without
a date is stored with its candidates flagged, and the demo fills the review queue."""

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from ledger.models import LedgerEntry
from news.models import Article, Candidate

pytestmark = pytest.mark.django_db

UNDATED = (
    "Germany sends help\n\n"
    "Germany pledged 500 million euros to Ukraine on Thursday, the government said. "
    "Officials in Berlin said the money would go to air defence and to the repair of power "
    "stations before the winter.\n"
)


def test_an_article_without_a_date_is_stored_with_its_candidates_flagged(tmp_path: Path) -> None:
    path = tmp_path / "undated.txt"
    path.write_text(UNDATED)
    call_command("ingest", "--adapter", "news", "--file", str(path), stdout=StringIO())

    article = Article.objects.get()
    assert article.published_on is None
    [candidate] = Candidate.objects.all()
    assert (candidate.kind, candidate.currency, candidate.date) == ("pledge", "EUR", None)
    assert "no date" in candidate.flags


def test_the_demo_fills_the_review_queue_from_the_seed_articles(shared_dir: Path) -> None:
    out = StringIO()
    call_command("load_scenario", stdout=StringIO())
    entries = LedgerEntry.objects.count()
    call_command("load_demo_news", stdout=out)
    pending = Candidate.objects.filter(status="pending")
    assert pending.count() >= 9
    assert set(pending.values_list("article__title", flat=True)) == set(
        Article.objects.values_list("title", flat=True)
    )
    assert LedgerEntry.objects.count() == entries  # nothing reaches the ledger unreviewed
    assert out.getvalue().endswith(f"{pending.count()} candidates await review.\n")
