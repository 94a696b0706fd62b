"""Storing an article once, with the candidate updates the extractor finds in it.

Once: an article is found again by its canonical URL (normalised: lower-case host, no
fragment, no tracking parameters) or by the SHA-256 of its text, and then nothing is
written; the first text read stays, since evidence offsets count in it. Candidates are
only ever created with their article, so a re-run proposes nothing twice; within one
extraction, two findings with one fingerprint are one candidate.

The extractor is ``settings.NEWS_EXTRACTOR`` (a dotted path to a callable that returns an
``Extractor``), ``news.extraction.default_extractor`` unless set otherwise.
"""

import datetime as dt
import hashlib
import logging
from dataclasses import dataclass
from decimal import Decimal

from courlan import normalize_url
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.module_loading import import_string

from ingest.models import IngestRun, IngestSource
from news.extraction.base import Extractor, Found, Name
from news.models import Article, Candidate

logger = logging.getLogger(__name__)

_CENT = Decimal("0.01")


def _limit(name: str, model: type[models.Model] = Article) -> int:
    return int(getattr(model._meta.get_field(name), "max_length", 0) or 0)


@dataclass(frozen=True)
class RecordedArticle:
    article: Article
    created: bool
    candidates: int = 0


def configured_extractor() -> Extractor:
    extractor: Extractor = import_string(settings.NEWS_EXTRACTOR)()
    return extractor


def canonical_url(url: str) -> str:
    """``url`` normalised (courlan): one article's links written two ways become one."""
    url = url.strip()
    if not url.startswith(("http://", "https://")):
        return ""
    try:
        return normalize_url(url, strict=True)[: _limit("url")]
    except ValueError:
        return ""


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def stored_article(*, url: str = "", text: str = "") -> Article | None:
    """The article stored under ``url`` (canonicalised) or with ``text``, if any."""
    match = Q(content_hash=text_hash(text)) if text else Q()
    if url := canonical_url(url):
        match |= Q(url=url)
    return Article.objects.filter(match).first() if match else None


def article_stored(url: str) -> bool:
    return stored_article(url=url) is not None


def record_article(
    *,
    text: str,
    url: str = "",
    title: str = "",
    publisher: str = "",
    published_on: dt.date | None = None,
    date_found_by: str = "",
    language: str = "",
    ingest_source: IngestSource | None = None,
    run: IngestRun | None = None,
    extractor: Extractor | None = None,
) -> RecordedArticle:
    """Store the article and its candidates, or find it stored already (see above)."""
    if not text.strip():
        raise ValidationError({"text": "The article has no text."})
    existing = stored_article(url=url, text=text)
    if existing is not None:
        return RecordedArticle(existing, created=False)
    extractor = extractor or configured_extractor()
    try:
        with transaction.atomic():
            article = Article.objects.create(
                url=canonical_url(url),
                content_hash=text_hash(text),
                title=" ".join(title.split())[: _limit("title")],
                publisher=" ".join(publisher.split())[: _limit("publisher")],
                published_on=published_on,
                date_found_by=date_found_by[: _limit("date_found_by")],
                language=language[: _limit("language")],
                text=text,
                ingest_source=ingest_source,
                first_run=run,
                fetched_at=timezone.now(),
            )
            found = extractor.extract(text, published_on=published_on)
            candidates = _candidates(article, found, extractor_name=extractor.name)
            Candidate.objects.bulk_create(candidates)
    except IntegrityError:
        # Another run stored it meanwhile (same URL or text): that one is the article.
        existing = stored_article(url=url, text=text)
        if existing is None:
            raise
        return RecordedArticle(existing, created=False)
    return RecordedArticle(article, created=True, candidates=len(candidates))


def fingerprint(found: Found) -> str:
    """What one candidate is, within its article: its kind, evidence and values."""
    parts = [
        found.kind,
        str(found.evidence_start),
        str(found.evidence_end),
        str(found.amount),
        str(found.amount_upper),
        found.currency,
        str(found.date),
        *(name.text if name else "" for name in (found.donor, found.recipient, found.counterpart)),
    ]
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


def _candidates(article: Article, found: list[Found], *, extractor_name: str) -> list[Candidate]:
    by_fingerprint: dict[str, Candidate] = {}
    for item in found:
        span = article.text[item.evidence_start : item.evidence_end]
        if not item.evidence or span != item.evidence:
            # The evidence must be the stored text's: a candidate whose offsets point
            # elsewhere would show the editor the wrong sentence.
            logger.warning("Dropped a %s candidate whose evidence offsets are wrong.", item.kind)
            continue
        key = fingerprint(item)
        by_fingerprint.setdefault(key, _candidate(article, item, key, extractor_name))
    return list(by_fingerprint.values())


def _candidate(article: Article, found: Found, key: str, extractor_name: str) -> Candidate:
    flags = list(found.flags)
    for role, name in (("donor", found.donor), ("recipient", found.recipient)):
        if name is not None and not name.matched and f"unmatched {role}" not in flags:
            flags.append(f"unmatched {role}")
    return Candidate(
        article=article,
        fingerprint=key,
        kind=found.kind,
        donor_name=_name(found.donor),
        donor_id=found.donor.organization_id if found.donor else None,
        recipient_name=_name(found.recipient),
        recipient_id=found.recipient.organization_id if found.recipient else None,
        counterpart_name=_name(found.counterpart),
        counterpart_id=found.counterpart.organization_id if found.counterpart else None,
        amount=_money(found.amount),
        amount_upper=_money(found.amount_upper),
        qualifier=found.qualifier,
        currency=found.currency,
        category=found.category,
        date=found.date,
        date_precision=found.date_precision,
        stage=found.stage,
        period_start=found.period_start,
        period_start_precision=found.period_start_precision,
        evidence=found.evidence,
        evidence_start=found.evidence_start,
        evidence_end=found.evidence_end,
        confidence=min(max(found.confidence, 0.0), 1.0),
        flags=flags,
        extractor=extractor_name[: _limit("extractor", Candidate)],
    )


def _name(name: Name | None) -> str:
    return name.text[: _limit("donor_name", Candidate)] if name else ""


def _money(amount: Decimal | None) -> Decimal | None:
    return amount.quantize(_CENT) if amount is not None else None
