"""The five seed articles' candidates as the review queue should show them, made from
what ``ledger.scenario`` says they report: for pages and screenshots that do not depend on
how well the extractor reads (its own tests measure that).

The articles' texts are read from ``shared/fixtures/news/`` (never copied into the
repository); each fact's evidence is the passage of its citation found in that text.
``build(folder)`` stores them and returns the candidates; running it again adds nothing.
"""

import hashlib
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

from ledger import scenario
from ledger.selectors import find_organization
from news.models import Article, Candidate


@dataclass(frozen=True)
class Shaped:
    """One candidate as the extractor would propose it from a scenario fact."""

    kind: str
    citation: scenario.Citation
    donor: str
    passage: int = 0  # which passage of the citation (joined by " … ") is the evidence
    recipient: str = ""
    amount: Decimal | None = None
    currency: str = ""
    qualifier: str = "exact"
    category: str = "unspecified"
    day: date | None = None
    precision: str = ""
    counterpart: str = ""
    confidence: float = 0.85
    flags: tuple[str, ...] = ()


def shaped() -> list[Shaped]:
    rome, pause, total = (
        scenario.ROME_PLEDGE,
        scenario.US_WEAPONS_PAUSE,
        scenario.US_AID_SINCE_INVASION,
    )
    nato = scenario.MANDATES[1]
    return [
        Shaped(
            "pledge",
            rome.citation,
            "participants",
            passage=2,
            recipient="Kyiv",
            amount=Decimal("12000000000"),
            currency="USD",
            day=rome.announced_on,
            precision="day",
            confidence=0.82,
            flags=("donor not matched: participants",),
        ),
        Shaped(
            "commitment",
            scenario.BIDEN_EVERY_DOLLAR.citation,
            scenario.UNITED_STATES,
            passage=1,
            recipient=scenario.UKRAINE,
            confidence=0.55,
            flags=("no amount",),
        ),
        Shaped(
            "pause",
            pause.citation,
            "Washington",
            category="military",
            day=pause.paused_on,
            precision="week",
            counterpart="The Pentagon",
            confidence=0.9,
        ),
        Shaped(
            "resumption",
            pause.resumption_citation,
            scenario.UNITED_STATES,
            recipient=scenario.UKRAINE,
            category="military",
            day=pause.resumed_on,
            precision="day",
            confidence=0.88,
        ),
        Shaped(
            "mandate",
            nato.citation,
            scenario.NATO,
            counterpart="U.S.",
            day=nato.starts_on,
            precision="month",
            confidence=0.7,
        ),
        Shaped(
            "event",
            scenario.UK_PARTNERSHIP.citation,
            scenario.UNITED_KINGDOM,
            recipient=scenario.UKRAINE,
            day=scenario.UK_PARTNERSHIP.occurred_on,
            precision="day",
            confidence=0.8,
        ),
        Shaped(
            "reported_total",
            total.citation,
            "The US",
            recipient="Ukraine",
            amount=total.amount,
            currency="USD",
            qualifier="at_least",
            confidence=0.75,
            flags=("no date given",),
        ),
        Shaped(
            "event",
            scenario.NUC_EMERGENCY_MEETING.citation,
            scenario.NATO,
            recipient=scenario.UKRAINE,
            day=scenario.NUC_EMERGENCY_MEETING.occurred_on,
            precision="day",
            confidence=0.45,
        ),
    ]


def stored_article(folder: Path, article: scenario.Article) -> Article:
    text = (folder / article.fixture).read_text(encoding="utf-8")
    stored, _ = Article.objects.get_or_create(
        content_hash=hashlib.sha256(text.encode()).hexdigest(),
        defaults={
            "title": article.title,
            "publisher": article.publisher,
            "published_on": article.published_on,
            "date_found_by": "given" if article.published_on else "",
            "language": "en",
            "text": text,
        },
    )
    return stored


def build(folder: Path) -> list[Candidate]:
    candidates = []
    for fact in shaped():
        article = stored_article(folder, fact.citation.article)
        evidence = fact.citation.excerpt.split(" … ")[fact.passage]
        start = article.text.index(evidence)
        donor, recipient = find_organization(fact.donor), find_organization(fact.recipient)
        counterpart = find_organization(fact.counterpart)
        candidate, _ = Candidate.objects.get_or_create(
            article=article,
            fingerprint=f"seed:{fact.kind}:{start}",
            defaults={
                "kind": fact.kind,
                "donor_name": fact.donor,
                "donor": donor,
                "recipient_name": fact.recipient,
                "recipient": recipient,
                "counterpart_name": fact.counterpart,
                "counterpart": counterpart,
                "amount": fact.amount,
                "qualifier": fact.qualifier,
                "currency": fact.currency,
                "category": fact.category,
                "date": fact.day,
                "date_precision": fact.precision,
                "evidence": evidence,
                "evidence_start": start,
                "evidence_end": start + len(evidence),
                "confidence": fact.confidence,
                "flags": list(fact.flags),
                "extractor": "seed scenario",
            },
        )
        candidates.append(candidate)
    return candidates
