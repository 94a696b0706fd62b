"""Accepting what the five seed articles say records the seed scenario.

The candidates below are those the extractor should propose for the articles of
``ledger/scenario.py`` (what each sentence says, dated as the article dates it), each
with the editor's edits and details where the article is vaguer than the ledger needs
(a title, a description, the body and responsibility of a mandate, a coarser precision).
They are accepted one by one on a ledger holding only the scenario's organizations,
bodies and responsibility; the facts recorded must equal what ``load_scenario`` records.
The articles' text here is the scenario's own quotation of them.
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from ledger import scenario as s
from news.models import Article, Candidate, CandidateStatus
from news.services.review import AcceptDetails, accept_candidate
from tests.news.review_factory import make_user
from tests.news.scenario_facts import ledger_facts, load_scenario_facts, scenario_world

pytestmark = pytest.mark.django_db


def passage(citation: s.Citation) -> str:
    """The first passage of a citation: the sentence a candidate's evidence would be."""
    return citation.excerpt.split(" … ")[0]


@dataclass(frozen=True)
class Seed:
    """One candidate: the fields the extractor proposes (organizations by name), the
    editor's changes, and the details given on accepting (bodies by name)."""

    citation: s.Citation
    kind: str
    proposed: dict[str, Any]
    changes: dict[str, Any] = field(default_factory=dict)
    details: dict[str, Any] = field(default_factory=dict)


SEEDS = (
    Seed(
        s.BIDEN_EVERY_DOLLAR.citation,
        "commitment",
        {"donor": s.UNITED_STATES, "recipient": s.UKRAINE, "date": s.BLINKEN_IN_BRUSSELS},
        changes={"period_start": s.BLINKEN_IN_BRUSSELS},
        details={
            "title": s.BIDEN_EVERY_DOLLAR.title,
            "description": s.BIDEN_EVERY_DOLLAR.description,
            "period_end": s.BIDEN_EVERY_DOLLAR.period_end,
        },
    ),
    Seed(
        s.MANDATES[0].citation,
        "mandate",
        # "earlier held by the U.S.": no date; the editor records the year of the invasion.
        {"donor": s.UNITED_STATES},
        changes={"date": date(2022, 6, 1), "date_precision": "year"},
        details={"body": s.US_LED_COORDINATION, "note": s.MANDATES[0].note},
    ),
    Seed(
        s.MANDATES[1].citation,
        "mandate",
        {"donor": s.NATO, "counterpart": s.UNITED_STATES, "date": s.ROUNDUP_THURSDAY},
        # Under way on that Thursday, undated: known to the month.
        changes={"date_precision": "month"},
        details={"body": s.NATO_COORDINATION, "note": s.MANDATES[1].note},
    ),
    Seed(
        s.UK_PARTNERSHIP.citation,
        "event",
        {"donor": s.UNITED_KINGDOM, "recipient": s.UKRAINE, "date": s.ROUNDUP_THURSDAY},
        details={
            "event_kind": s.UK_PARTNERSHIP.kind,
            "title": s.UK_PARTNERSHIP.title,
            "place": s.UK_PARTNERSHIP.place,
            "description": s.UK_PARTNERSHIP.description,
        },
    ),
    Seed(
        s.ROME_PLEDGE.citation,
        "pledge",
        {
            "donor": s.ROME_CONFERENCE,
            "recipient": s.UKRAINE,
            "amount": Decimal("12000000000"),
            "currency": "USD",
            "date": s.ROME_THURSDAY,
        },
        details={"title": s.ROME_PLEDGE.title, "description": s.ROME_PLEDGE.description},
    ),
    Seed(
        s.US_WEAPONS_PAUSE.citation,
        "pause",
        {
            "donor": s.UNITED_STATES,
            "counterpart": s.US_DEPARTMENT_OF_DEFENSE,
            "category": "military",
            "date": s.ROME_LAST_WEEK_MONDAY,
            "date_precision": "week",
        },
        details={
            "description": s.US_WEAPONS_PAUSE.description,
            "reason": s.US_WEAPONS_PAUSE.reason,
        },
    ),
    Seed(
        s.US_WEAPONS_PAUSE.resumption_citation,
        "resumption",
        {"donor": s.UNITED_STATES, "date": s.ROME_MONDAY},
    ),
    Seed(
        s.US_AID_SINCE_INVASION.citation,
        "reported_total",
        {
            "donor": s.UNITED_STATES,
            "recipient": s.UKRAINE,
            "amount": Decimal("40000000000"),
            "currency": "USD",
            "qualifier": "at_least",
            "stage": "disbursement",
            "period_start": date(2022, 2, 1),
            "period_start_precision": "month",
        },
        # The copy is undated: the editor dates it to the week of 1 January 2024.
        changes={"date": s.FIRST_WEEK_OF_2024, "date_precision": "week"},
        details={"note": s.US_AID_SINCE_INVASION.note},
    ),
    Seed(
        s.NUC_EMERGENCY_MEETING.citation,
        "event",
        {"donor": s.NATO, "recipient": s.UKRAINE, "date": s.NUC_EMERGENCY_MEETING.occurred_on},
        details={
            "event_kind": s.NUC_EMERGENCY_MEETING.kind,
            "title": s.NUC_EMERGENCY_MEETING.title,
            "body": s.NATO_UKRAINE_COUNCIL,
            "description": s.NUC_EMERGENCY_MEETING.description,
        },
    ),
)

ORGANIZATION_FIELDS = ("donor", "recipient", "counterpart")


def store_articles() -> dict[str, Article]:
    """Each scenario article, its text made of the passages the scenario quotes from it."""
    passages: dict[s.Article, list[str]] = {}
    for citation in s.citations():
        for part in citation.excerpt.split(" … "):
            if part not in passages.setdefault(citation.article, []):
                passages[citation.article].append(part)
    return {
        article.fixture: Article.objects.create(
            content_hash=article.fixture,
            title=article.title,
            publisher=article.publisher,
            published_on=article.published_on,
            url=article.url,
            text="\n\n".join(parts),
        )
        for article, parts in passages.items()
    }


def propose(seed: Seed, article: Article, organizations: dict[str, Any]) -> Candidate:
    evidence = passage(seed.citation)
    start = article.text.index(evidence)
    fields = {
        name: organizations[value] if name in ORGANIZATION_FIELDS else value
        for name, value in seed.proposed.items()
    }
    if fields.get("date") and "date_precision" not in fields:
        fields["date_precision"] = "day"
    return Candidate.objects.create(
        article=article,
        fingerprint=f"{seed.kind}:{start}:{SEEDS.index(seed)}",
        kind=seed.kind,
        evidence=evidence,
        evidence_start=start,
        evidence_end=start + len(evidence),
        confidence=0.9,
        extractor="labels",
        **fields,
    )


def test_accepting_the_seed_articles_candidates_records_the_seed_scenario():
    expected = load_scenario_facts()
    assert all(expected.values()), "load_scenario records every kind of fact"
    organizations, bodies, _ = scenario_world()
    articles = store_articles()
    editor = make_user("editor")

    for seed in SEEDS:
        candidate = propose(seed, articles[seed.citation.article.fixture], organizations)
        details: dict[str, Any] = {
            name: bodies[value] if name == "body" else value for name, value in seed.details.items()
        }
        accepted = accept_candidate(
            candidate=candidate, user=editor, changes=seed.changes, details=AcceptDetails(**details)
        )
        assert accepted.status == CandidateStatus.ACCEPTED

    assert ledger_facts() == expected
