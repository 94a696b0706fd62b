"""The rules extractor on the five seed articles (``../shared/fixtures/news/``), on the seed
ledger, against ``tests/news/labels/seed.json``: every labelled fact is proposed, with
the scenario's category, and nothing else is."""

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from news.extraction import default_extractor
from news.extraction.scoring import Score, fact_key, load_labels
from news.management.commands.extract_news import candidate_line

LABELS = load_labels(Path(__file__).parent / "labels" / "seed.json")
FIXTURES = LABELS[0].path.parent


@pytest.mark.skipif(
    not FIXTURES.is_dir(), reason=f"the seed articles are not here ({FIXTURES} is missing)"
)
@pytest.mark.django_db
def test_seed_articles_give_exactly_their_labelled_facts() -> None:
    call_command("load_scenario", stdout=StringIO())
    extractor = default_extractor()
    problems = []
    for article in LABELS:
        text = article.path.read_text(encoding="utf-8")
        found = extractor.extract(text, published_on=article.published)
        for candidate in found:
            assert text[candidate.evidence_start : candidate.evidence_end] == candidate.evidence
        lines = [candidate_line(article.path.name, candidate) for candidate in found]
        score = Score.empty()
        score.add(article.expected, lines)
        if score.missed.total() or score.extra.total():
            problems.append(f"{article.path.name}: expected {article.expected}, found {lines}")
        categories = {fact_key(line): line["category"] for line in lines}
        for fact in article.expected:
            if categories.get(fact_key(fact), fact["category"]) != fact["category"]:
                problems.append(f"{article.path.name}: {fact['kind']} not {fact['category']}")
    assert not problems, "\n".join(problems)
