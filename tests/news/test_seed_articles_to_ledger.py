"""The whole flow on the five seed articles: their copies ingested from files (as
``make run``'s demo does), the extractor's candidates reviewed, and what is accepted
equals what ``manage.py load_scenario`` records.

The editor's part is that of ``test_review_scenario``: the same changes and details for
each fact (titles, descriptions, a coarser precision where the article is vaguer). Two
things are not in the news and are the editor's own: the U.S.-led mandate that NATO takes
over (no article says when it began, so it is in the ledger before the news, as the
scenario words it), and the decision to link the Kyiv Independent's undated sidebar about
the pause to the pause already recorded from the Rome article.
"""

from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from ledger import scenario as s
from ledger import services
from news.models import Candidate, CandidateStatus
from news.selectors.candidates import probable_duplicates
from news.services.review import AcceptDetails, accept_candidate, link_candidate
from tests.news.review_factory import make_user
from tests.news.scenario_facts import ledger_facts, load_scenario_facts, scenario_world
from tests.news.test_review_scenario import SEEDS, Seed

FOLDER = Path(__file__).resolve().parents[3] / "shared" / "fixtures" / "news"

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not FOLDER.is_dir(), reason=f"the seed articles are not at {FOLDER}"),
]

US_LED = s.MANDATES[0]


def editor_seed(candidate: Candidate) -> Seed:
    """The editor's changes and details for the fact a candidate proposes."""
    donor = candidate.donor.name if candidate.donor else None
    source = candidate.article.ingest_source
    assert source is not None
    (seed,) = (
        seed
        for seed in SEEDS
        if seed.kind == candidate.kind
        and seed.proposed["donor"] == donor
        and seed.citation.article.fixture in source.location
    )
    return seed


def record_us_led_mandate(bodies: dict[str, Any], responsibilities: dict[str, Any]) -> None:
    source = services.record_source(
        title=US_LED.citation.article.title, excerpt=US_LED.citation.excerpt
    )
    services.assign_mandate(
        body=bodies[US_LED.body],
        responsibility=responsibilities[US_LED.responsibility],
        starts_on=US_LED.starts_on,
        starts_on_precision=US_LED.starts_on_precision,
        source=source,
        note=US_LED.note,
    )


def test_the_seed_articles_reviewed_record_the_seed_scenario():
    expected = load_scenario_facts()
    _, bodies, responsibilities = scenario_world()
    record_us_led_mandate(bodies, responsibilities)
    call_command("load_demo_news", folder=FOLDER, stdout=StringIO())
    editor = make_user("editor")

    candidates = Candidate.objects.select_related("article__ingest_source", "donor").order_by(
        "article__ingest_source__location", "evidence_start"
    )
    # The eight facts the articles state, and the sidebar's undated pause.
    assert candidates.count() == 9
    for candidate in candidates:
        if candidate.kind == "pause" and candidate.date is None:
            # The sidebar: the Rome pause, already recorded; the article is a further source.
            (pause,) = probable_duplicates(candidate=candidate)
            decided = link_candidate(candidate=candidate, user=editor, fact=pause)
            assert decided.status == CandidateStatus.LINKED
            continue
        seed = editor_seed(candidate)
        details: dict[str, Any] = {
            name: bodies[value] if name == "body" else value for name, value in seed.details.items()
        }
        decided = accept_candidate(
            candidate=candidate,
            user=editor,
            changes=seed.changes,
            details=AcceptDetails(**details),
        )
        assert decided.status == CandidateStatus.ACCEPTED, candidate

    assert ledger_facts() == expected
