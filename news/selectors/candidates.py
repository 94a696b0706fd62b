"""What the review queue shows: candidates by status, kind, confidence, donor and
publisher, and the ledger facts a candidate probably repeats."""

from collections.abc import Iterable
from datetime import date, timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q, QuerySet

from ledger.models import (
    Commitment,
    DatePrecision,
    Event,
    LedgerEntry,
    Mandate,
    Pause,
    ReportedTotal,
)
from news.models import Candidate, CandidateKind, CandidateStatus

# The stage of the ledger entry each money kind records.
MONEY_KINDS = {
    CandidateKind.PLEDGE: "pledge",
    CandidateKind.COMMITMENT: "commitment",
    CandidateKind.ALLOCATION: "allocation",
    CandidateKind.DISBURSEMENT: "disbursement",
}
# A candidate's foreign keys to what it became, and the ledger model of each.
FACT_MODELS: dict[str, type[models.Model]] = {
    "commitment": Commitment,
    "entry": LedgerEntry,
    "pause": Pause,
    "mandate": Mandate,
    "event": Event,
    "reported_total": ReportedTotal,
}
# The days a date of each precision may stand for, after the first (the one stored).
PRECISION_SPAN = {
    DatePrecision.DAY: 0,
    DatePrecision.WEEK: 6,
    DatePrecision.MONTH: 30,
    DatePrecision.YEAR: 365,
    "": 0,
}
# Any fact's date lies at most this far before the candidate's window opens.
_WIDEST_SPAN = max(PRECISION_SPAN.values())


def review_queue(
    *,
    status: str | None = CandidateStatus.PENDING,
    kind: str | None = None,
    min_confidence: float | None = None,
    max_confidence: float | None = None,
    donor: int | None = None,
    publisher: str | None = None,
    article: int | None = None,
) -> QuerySet[Candidate]:
    """Candidates to review, grouped by article (newest first) and in text order within
    one; each filter left as ``None`` is not applied (``status=None``: every status)."""
    candidates = Candidate.objects.select_related(
        "article", "donor", "recipient", "counterpart", "decided_by"
    )
    if status:
        candidates = candidates.filter(status=status)
    if kind:
        candidates = candidates.filter(kind=kind)
    if min_confidence is not None:
        candidates = candidates.filter(confidence__gte=min_confidence)
    if max_confidence is not None:
        candidates = candidates.filter(confidence__lte=max_confidence)
    if donor is not None:
        candidates = candidates.filter(donor_id=donor)
    if publisher:
        candidates = candidates.filter(article__publisher__iexact=publisher)
    if article is not None:
        candidates = candidates.filter(article_id=article)
    return candidates.order_by(
        models.F("article__published_on").desc(nulls_last=True),
        "-article_id",
        "evidence_start",
        "id",
    )


def _near(day: date | None, precision: str, fact_day: date, fact_precision: str) -> bool:
    """Whether two dates, each standing for the period its precision names, are at most
    the window apart."""
    if day is None:
        return True
    window = settings.NEWS_DUPLICATE_WINDOW_DAYS
    end = day + timedelta(days=PRECISION_SPAN.get(precision, 0))
    fact_end = fact_day + timedelta(days=PRECISION_SPAN.get(fact_precision, 0))
    return fact_day <= end + timedelta(days=window) and day <= fact_end + timedelta(days=window)


def _dated(facts: QuerySet, field: str, candidate: Candidate) -> QuerySet:
    """Narrow ``facts`` in the database to those whose ``field`` may be near the date."""
    if candidate.date is None:
        return facts
    reach = timedelta(
        days=settings.NEWS_DUPLICATE_WINDOW_DAYS
        + PRECISION_SPAN.get(candidate.date_precision, 0)
        + _WIDEST_SPAN
    )
    return facts.filter(
        **{f"{field}__gte": candidate.date - reach, f"{field}__lte": candidate.date + reach}
    )


def _close(facts: Iterable[models.Model], field: str, candidate: Candidate) -> list[models.Model]:
    return [
        fact
        for fact in facts
        if _near(
            candidate.date,
            candidate.date_precision,
            getattr(fact, field),
            getattr(fact, f"{field}_precision"),
        )
    ]


def _own_facts(candidate: Candidate) -> set[tuple[type, int]]:
    """What the candidate itself became: never its own duplicate."""
    own = set()
    for name, model in FACT_MODELS.items():
        fact_id = getattr(candidate, f"{name}_id")
        if fact_id is not None:
            own.add((model, fact_id))
    return own


def probable_duplicates(*, candidate: Candidate) -> list[models.Model]:
    """Ledger facts ``candidate`` probably repeats, from whichever article or import
    they came: the same donor and kind of fact, the same amount and currency where it
    has one, dated within ``NEWS_DUPLICATE_WINDOW_DAYS`` (widened by both dates'
    precision). A candidate without a donor matches nothing: too many facts would."""
    if candidate.donor_id is None:
        return []
    found = _facts_like(candidate, donor=candidate.donor_id)
    own = _own_facts(candidate)
    return [fact for fact in found if (type(fact), fact.pk) not in own]


def _facts_like(candidate: Candidate, *, donor: int) -> list[models.Model]:
    kind = candidate.kind
    if kind in MONEY_KINDS and candidate.amount is not None:
        entries = LedgerEntry.objects.filter(
            commitment__donor_id=donor,
            stage=candidate.stage or MONEY_KINDS[CandidateKind(kind)],
            amount=candidate.amount,
            currency=candidate.currency,
            reverses__isnull=True,
            reversed_by__isnull=True,
        ).select_related("commitment")
        return _close(_dated(entries, "value_date", candidate), "value_date", candidate)
    if kind in MONEY_KINDS:
        commitments = Commitment.objects.filter(donor_id=donor, entries__isnull=True)
        return _close(_dated(commitments, "announced_on", candidate), "announced_on", candidate)
    if kind == CandidateKind.PAUSE:
        pauses = Pause.objects.filter(donor_id=donor)
        return _close(_dated(pauses, "paused_on", candidate), "paused_on", candidate)
    if kind == CandidateKind.RESUMPTION:
        pauses = Pause.objects.filter(donor_id=donor, resumed_on__isnull=False)
        return [
            p
            for p in _dated(pauses, "resumed_on", candidate)
            if _near(candidate.date, candidate.date_precision, p.resumed_on, DatePrecision.DAY)
        ]
    if kind == CandidateKind.MANDATE:
        mandates = Mandate.objects.filter(body__memberships__organization_id=donor).distinct()
        return _close(_dated(mandates, "starts_on", candidate), "starts_on", candidate)
    if kind == CandidateKind.EVENT:
        events = Event.objects.filter(
            Q(participants__id=donor) | Q(body__memberships__organization_id=donor)
        ).distinct()
        return _close(_dated(events, "occurred_on", candidate), "occurred_on", candidate)
    if kind == CandidateKind.REPORTED_TOTAL and candidate.amount is not None:
        totals = ReportedTotal.objects.filter(
            donor_id=donor, amount=candidate.amount, currency=candidate.currency
        )
        return _close(_dated(totals, "as_of", candidate), "as_of", candidate)
    return []
